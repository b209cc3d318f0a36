import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CommandIO } from '../lib/cli/io.ts';
import { oneOf, parseFlags } from '../lib/cli/flags.ts';
import { createSchemaRegistry, SCHEMA_CACHE_DIR } from '../lib/check/schema/registry.ts';
import { validate } from '../lib/commands/validate.ts';
import { openRepository } from '../lib/repo/repository.ts';
import { TOOL_ROOT } from '../lib/repo/repo-root.ts';
import { parseYamlStream } from '../lib/repo/yaml-stream.ts';
import { benchDiff } from './diff.ts';
import { benchDrift } from './drift.ts';
import { FIGURES, formatFigure, type Figure, type Measured } from './figures.ts';
import { syntheticStream, writeSyntheticRepo } from './synthetic.ts';

const COUNT = 10_000;
const BASELINE = path.join(TOOL_ROOT, 'scripts', 'bench', 'baseline.json');
const ZX = path.join(TOOL_ROOT, 'node_modules', '.bin', 'zx');
const PEAK_RSS = path.join(TOOL_ROOT, 'scripts', 'bench', 'peak-rss.mjs');

export const BENCH_USAGE = `Usage: zx scripts/bench.mjs [--only NAME]... [--format text|json] [--update-baseline]

Measures what issue #12 asks of the tools on this machine and prints each figure beside the
committed baseline (scripts/bench/baseline.json), so a regression shows. Never run in tests.

  --only NAME         measure only figures whose name starts with NAME (repeatable)
  --format F          text (default), or json: every figure, its baseline and target
  --update-baseline   write this run's figures as the new baseline
  --help

Exit: 0 measured, 2 could not run.`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Wall time of a command, median of `runs`. */
function timeCommand(
  cmd: string,
  args: string[],
  runs: number,
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
) {
  const times: number[] = [];
  let last: ReturnType<typeof spawnSync> | undefined;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    last = spawnSync(cmd, args, {
      cwd: opts.cwd ?? TOOL_ROOT,
      env: { ...process.env, ...opts.env },
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    times.push(performance.now() - t);
  }
  return { ms: median(times), result: last! };
}

/** A validate run in a child process, with its own peak memory (scripts/bench/peak-rss.mjs). */
function validateChild(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [PEAK_RSS, 'validate', ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const ms = performance.now() - t;
  const rss = Number(/peak-rss-kb (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
  return { ms, rssMb: rss, code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export async function main(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseFlags(
    args,
    {
      only: { type: 'string', multiple: true },
      format: { type: 'string' },
      'update-baseline': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    BENCH_USAGE,
  );
  if (values.help) {
    io.stdout(`${BENCH_USAGE}\n`);
    return 0;
  }
  const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
  // With --format json the figures go out as one JSON document at the end; progress stays quiet.
  const print = (line: string) => (format === 'text' ? io.stdout(line) : undefined);
  const wanted = (group: string) =>
    !values.only?.length || values.only.some((o) => group.startsWith(o) || o.startsWith(group));
  let baseline: Record<string, number> = {};
  try {
    baseline = JSON.parse(readFileSync(BASELINE, 'utf8')).figures ?? {};
  } catch {
    // no baseline yet: figures print alone
  }
  const measured: Measured = {};
  const report = (f: Figure, value: number, detail = '') => {
    measured[f.name] = value;
    print(`${formatFigure(f, value, baseline[f.name])}${detail ? `  (${detail})` : ''}\n`);
  };
  const cores = (await import('node:os')).availableParallelism();
  print(`node ${process.version} on ${process.platform}, ${cores} cores
`);
  const scratch = mkdtempSync(path.join(tmpdir(), 'gitops-bench-'));
  try {
    if (wanted('start')) {
      report(FIGURES.startFloor, zxFloor(scratch));
      report(
        FIGURES.startHelp,
        timeCommand(ZX, [path.join(TOOL_ROOT, 'scripts', 'validate.mjs'), '--help'], 7).ms,
      );
      const npx = timeCommand('npx', ['zx', path.join(TOOL_ROOT, 'scripts', 'validate.mjs'), '--help'], 3);
      report(FIGURES.startNpx, npx.ms, 'npm’s own start is most of it');
    }

    if (wanted('stream')) {
      // The 5 MB time varied by a fifth between bench runs here: the median of three runs, and the
      // highest peak memory of them. The 26 MB stream takes ~6 s a run: one.
      for (const [figure, rssFigure, targetMb, runs] of [
        [FIGURES.stream5, FIGURES.stream5Rss, 5, 3],
        [FIGURES.stream26, FIGURES.stream26Rss, 26, 1],
      ] as const) {
        const file = path.join(scratch, `stream-${targetMb}mb.yaml`);
        const docs = writeStream(file, targetMb);
        const all = Array.from({ length: runs }, () =>
          validateChild(
            ['--files', file, '--format', 'json', '--output', path.join(scratch, 'out.json')],
            scratch,
          ),
        );
        const ms = median(all.map((r) => r.ms));
        report(
          figure,
          docs / (ms / 1000),
          `${docs} documents, ${(ms / 1000).toFixed(2)} s with process start${runs > 1 ? `, median of ${runs} runs` : ''}, exit ${all[0]!.code}`,
        );
        report(rssFigure, Math.max(...all.map((r) => r.rssMb)));
      }
    }

    if (wanted('parse') || wanted('schema')) {
      const stream = syntheticStream(COUNT);
      const registry = createSchemaRegistry({ cacheDir: SCHEMA_CACHE_DIR });
      const sample = parseYamlStream(stream.split('---\n').slice(0, 5).join('---\n'), 'warm');
      await registry.prepare(sample.map((d) => d.value as { apiVersion: string; kind: string }));
      let t = performance.now();
      const docs = parseYamlStream(stream, 'bench.yaml');
      const parseMs = performance.now() - t;
      t = performance.now();
      for (const d of docs) registry.validate(d.value as Record<string, unknown>);
      const schemaMs = performance.now() - t;
      report(FIGURES.parse, COUNT / (parseMs / 1000));
      report(FIGURES.schema, COUNT / (schemaMs / 1000));
    }

    if (wanted('synthetic')) {
      const repoDir = path.join(scratch, 'synthetic');
      writeSyntheticRepo(repoDir, 50, COUNT / 50);
      const registry = createSchemaRegistry({ cacheDir: SCHEMA_CACHE_DIR });
      let t = performance.now();
      const noRules = await validate({ cwd: repoDir, cacheDir: null, registry, rules: [] });
      report(
        FIGURES.syntheticWalk,
        performance.now() - t,
        `${noRules.resources} resources, 50 apps, schema only`,
      );
      t = performance.now();
      await validate({ cwd: repoDir, cacheDir: null, registry });
      report(FIGURES.syntheticRules, performance.now() - t, 'walk, schema and every rule');
    }

    if (wanted('repo')) {
      const cache = path.join(scratch, 'render-cache');
      const env = { GITOPS_RENDER_CACHE: cache };
      const cold = validateChild(['--format', 'json'], TOOL_ROOT, env);
      // One warm run varied by a third between bench runs on this machine: the median of five.
      const warmRuns = Array.from({ length: 5 }, () => validateChild(['--format', 'json'], TOOL_ROOT, env));
      const warm = warmRuns.at(-1)!;
      let summary = '';
      try {
        const s = JSON.parse(warm.stdout).summary;
        summary = `${s.resources} resources in ${s.environments.join(', ')}; ${s.error} errors`;
      } catch {
        summary = `exit ${warm.code}`;
      }
      const repo = await openRepository(TOOL_ROOT, { cacheDir: null });
      try {
        await Promise.all(repo.settings.environments.map((e) => repo.render(e.name)));
        report(FIGURES.repoCold, cold.ms, `${summary}; ${repo.renderer.builds} kubectl runs`);
      } finally {
        repo.dispose();
      }
      report(FIGURES.repoWarm, median(warmRuns.map((r) => r.ms)), 'median of 5 runs');
    }

    if (wanted('diff')) {
      const d = benchDiff(TOOL_ROOT);
      const detail = `${d.environments} environments, ${d.changedResources} resources changed, exit ${d.exitCode}`;
      report(FIGURES.diffCold, d.coldMs, detail);
      report(FIGURES.diffWarm, d.warmMs);
    }

    if (wanted('drift')) {
      const d = await benchDrift();
      report(FIGURES.drift, d.perSecond, `${d.objects} objects in ${d.ms.toFixed(0)} ms`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (format === 'json') {
    const figures = (Object.values(FIGURES) as Figure[])
      .filter((f) => measured[f.name] !== undefined)
      .map((f) => ({
        name: f.name,
        label: f.label,
        unit: f.unit,
        value: measured[f.name],
        ...(baseline[f.name] !== undefined ? { baseline: baseline[f.name] } : {}),
        ...(f.target !== undefined ? { target: f.target } : {}),
      }));
    io.stdout(`${JSON.stringify({ node: process.version, cores, figures }, null, 2)}\n`);
  }
  if (values['update-baseline']) {
    const figures = { ...baseline, ...measured };
    writeFileSync(
      BASELINE,
      `${JSON.stringify({ measured: new Date().toISOString().slice(0, 10), node: process.version, figures }, null, 2)}\n`,
    );
    io.stderr(`baseline written to scripts/bench/baseline.json\n`);
  }
  return 0;
}

/** The cost of zx itself starting an empty script: no entry point can start faster. */
function zxFloor(scratch: string): number {
  const noop = path.join(scratch, 'noop.mjs');
  writeFileSync(noop, '');
  return timeCommand(ZX, [noop], 7).ms;
}

/** A multi-document stream of about `mb` megabytes; returns the number of documents. */
function writeStream(file: string, mb: number): number {
  const one = syntheticStream(100);
  const perDoc = one.length / 100;
  const count = Math.round((mb * 1024 * 1024) / perDoc);
  writeFileSync(file, syntheticStream(count));
  return count;
}
