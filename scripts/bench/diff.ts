import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** A base every workload of every environment builds on: a change there shows everywhere. */
const SHARED_BASE = 'platform/workloads/base/in-house-service/deployment.yaml';

export interface DiffBench {
  coldMs: number;
  warmMs: number;
  exitCode: number | null;
  environments: number;
  changedResources: number;
}

/**
 * `zx scripts/diff.mjs` as a user runs it, in a scratch clone of this repository whose work tree
 * changes a shared base: once with an empty render cache, once warm.
 */
export function benchDiff(root: string): DiffBench {
  const top = mkdtempSync(path.join(tmpdir(), 'bench-diff-'));
  try {
    const clone = path.join(top, 'clone');
    // Its own render cache, empty for the cold run: the user's cache is left alone.
    const cache = path.join(top, 'render-cache');
    execFileSync('git', ['clone', '-q', root, clone]);
    const file = path.join(clone, SHARED_BASE);
    const text = readFileSync(file, 'utf8');
    const changed = text.replace(
      /terminationGracePeriodSeconds: (\d+)/,
      (_m, n) => `terminationGracePeriodSeconds: ${Number(n) + 15}`,
    );
    if (changed === text)
      throw new Error(`${SHARED_BASE} has no terminationGracePeriodSeconds to change: update the benchmark`);
    writeFileSync(file, changed);
    const zx = path.join(root, 'node_modules', '.bin', 'zx');
    const run = () => {
      const start = performance.now();
      const p = spawnSync(
        zx,
        [path.join(root, 'scripts', 'diff.mjs'), '--base', 'HEAD', '--format', 'json'],
        {
          cwd: clone,
          env: { ...process.env, GITOPS_RENDER_CACHE: cache },
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      return { ms: performance.now() - start, code: p.status, out: p.stdout };
    };
    const cold = run();
    const warm = run();
    let environments = 0;
    let changedResources = 0;
    try {
      const r = JSON.parse(warm.out) as { environments: { applications: { resources: unknown[] }[] }[] };
      environments = r.environments.length;
      changedResources = r.environments
        .flatMap((e) => e.applications)
        .reduce((n, a) => n + a.resources.length, 0);
    } catch {
      // reported through the exit code
    }
    return { coldMs: cold.ms, warmMs: warm.ms, exitCode: warm.code, environments, changedResources };
  } finally {
    rmSync(top, { recursive: true, force: true });
  }
}
