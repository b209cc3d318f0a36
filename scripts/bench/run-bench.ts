import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CommandIO } from '../lib/cli/io.ts';
import { createSchemaRegistry, SCHEMA_CACHE_DIR } from '../lib/check/schema/registry.ts';
import { validate } from '../lib/commands/validate.ts';
import { toolCacheDir } from '../lib/repo/repo-root.ts';
import { parseYamlStream } from '../lib/repo/yaml-stream.ts';
import { benchDiff } from './diff.ts';
import { syntheticStream, writeSyntheticRepo } from './synthetic.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const COUNT = 10_000;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export async function main(_args: string[], io: CommandIO): Promise<number> {
  const out = (s: string) => io.stdout(`${s}\n`);
  out(
    `node ${process.version}, ${COUNT} synthetic resources (Deployment, Service, VirtualService, DestinationRule, ConfigMap)`,
  );

  const stream = syntheticStream(COUNT);
  const registry = createSchemaRegistry({ cacheDir: SCHEMA_CACHE_DIR });
  const kinds = new Map<string, { apiVersion: string; kind: string }>();
  for (const d of parseYamlStream(stream.split('---\n').slice(0, 5).join('---\n'), 'warm')) {
    const o = d.value as { apiVersion: string; kind: string };
    kinds.set(`${o.apiVersion}/${o.kind}`, o);
  }
  let t = performance.now();
  await registry.prepare([...kinds.values()]);
  out(`schema load (5 kinds, warm cache if present): ${(performance.now() - t).toFixed(0)} ms`);

  t = performance.now();
  const docs = parseYamlStream(stream, 'bench.yaml');
  const parseMs = performance.now() - t;
  t = performance.now();
  let issues = 0;
  for (const d of docs) issues += registry.validate(d.value as Record<string, unknown>)?.length ?? 0;
  const schemaMs = performance.now() - t;
  if (issues > 0) out(`warning: ${issues} schema issues in the synthetic stream`);
  const total = parseMs + schemaMs;
  out(`parse: ${(COUNT / (parseMs / 1000)).toFixed(0)} resources/s (${parseMs.toFixed(0)} ms)`);
  out(`schema: ${(COUNT / (schemaMs / 1000)).toFixed(0)} resources/s (${schemaMs.toFixed(0)} ms)`);
  out(`parse + schema: ${(COUNT / (total / 1000)).toFixed(0)} resources/s`);

  const repoDir = mkdtempSync(path.join(tmpdir(), 'bench-repo-'));
  try {
    writeSyntheticRepo(repoDir, 50, COUNT / 50);
    t = performance.now();
    const r = await validate({ cwd: repoDir, cacheDir: null, registry, rules: [] });
    const ms = performance.now() - t;
    out(
      `synthetic repo (50 apps, ${r.resources} resources) walk + parse + schema: ${ms.toFixed(0)} ms, ${(r.resources / (ms / 1000)).toFixed(0)} resources/s`,
    );
  } finally {
    rmSync(repoDir, { recursive: true, force: true });
  }

  const zx = path.join(ROOT, 'node_modules', '.bin', 'zx');
  const run = () => {
    const s = performance.now();
    const p = spawnSync(zx, [path.join(ROOT, 'scripts', 'validate.mjs'), '--format', 'json'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    return { ms: performance.now() - s, code: p.status, out: p.stdout };
  };
  const cold = (() => {
    rmSync(toolCacheDir('gitops-render'), { recursive: true, force: true });
    return run();
  })();
  const warm = run();
  let summary = '';
  try {
    const s = JSON.parse(warm.out).summary;
    summary = ` (${s.resources} resources in ${s.environments.join(', ')}; ${s.error} errors, ${s.warning} warnings)`;
  } catch {
    summary = ` (exit ${warm.code})`;
  }
  out(
    `full validate of this repo: ${cold.ms.toFixed(0)} ms with an empty render cache, ${warm.ms.toFixed(0)} ms warm${summary}`,
  );

  const driftBench = path.join(ROOT, 'scripts', 'bench', 'drift.ts');
  if (existsSync(driftBench)) {
    const { benchDrift } = (await import(pathToFileURL(driftBench).href)) as {
      benchDrift: () => Promise<{ objects: number; ms: number; perSecond: number }>;
    };
    const d = await benchDrift();
    out(
      `drift over a ${d.objects}-object snapshot: ${d.ms.toFixed(0)} ms, ${d.perSecond.toFixed(0)} objects/s`,
    );
  }
  const diff = benchDiff(ROOT);
  out(
    `rendered diff of this repo after a shared-base change (${diff.environments} environments, ${diff.changedResources} resources changed, exit ${diff.exitCode}): ${diff.coldMs.toFixed(0)} ms with an empty render cache, ${diff.warmMs.toFixed(0)} ms warm`,
  );
  out(`peak memory (RSS): ${mb(process.resourceUsage().maxRSS * 1024)}`);
  return 0;
}
