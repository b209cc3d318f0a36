import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as drift } from '../../scripts/lib/commands/drift.ts';
import { openRepository, type Repository } from '../../scripts/lib/repo/repository.ts';
import { REPO_ROOT, renderCache } from '../helpers/fixture-repo.ts';
import { runInProcess } from '../helpers/run-main.ts';

let repo: Repository;
beforeAll(async () => {
  repo = await openRepository(REPO_ROOT, { cacheDir: renderCache() });
});
afterAll(() => repo.dispose());

describe('docs/examples/dev-snapshot.yaml holds what docs/quickstart.md says it does', () => {
  it('drift finds the one hand edit, the hotfix image nobody committed, and nothing else', async () => {
    const r = await runInProcess(
      drift,
      ['--snapshot', 'docs/examples/dev-snapshot.yaml', '--format', 'json'],
      {
        cwd: REPO_ROOT,
        deps: { repository: repo },
      },
    );
    expect(r.code).toBe(1);
    const [env] = JSON.parse(r.stdout);
    const drifted = env.drift.filter((d: { state: string }) => d.state !== 'not-compared');
    expect(drifted).toEqual([
      expect.objectContaining({
        state: 'changed',
        resource: expect.objectContaining({
          kind: 'Deployment',
          namespace: 'payments',
          name: 'payment-service',
        }),
      }),
    ]);
  });
});
