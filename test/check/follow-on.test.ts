import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validate } from '../../scripts/lib/commands/validate.ts';
import { scratchCopy } from '../../scripts/lib/release/scratch-copy.ts';
import { REPO_ROOT, renderCache } from '../helpers/fixture-repo.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('one cause, one error', () => {
  it('an Application path typo is one error; what follows from it is folded under it', async () => {
    const file = 'apps/base/workloads/payments.yaml';
    const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
    const copy = scratchCopy(
      REPO_ROOT,
      new Map([
        [file, text.replace('path: platform/workloads/payments/', 'path: platform/workload/payments/')],
      ]),
    );
    cleanups.push(copy.dispose);
    const { findings } = await validate({ cwd: copy.dir, envs: ['dev'], cacheDir: renderCache() });
    expect(findings.filter((f) => f.severity === 'error')).toMatchObject([
      { rule: 'walk/missing-source-path', file, line: 17 },
    ]);
    const cause = findings.find((f) => f.rule === 'walk/missing-source-path')!;
    // Without the payments workloads, the mesh config routing to them and its policies look in vain.
    expect(cause.followers!.length).toBeGreaterThan(5);
    expect(new Set(cause.followers!.map((f) => f.file)).size).toBeGreaterThan(3);
  });
});
