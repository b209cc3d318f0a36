import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/fixture-repo.ts';
import { runScript } from '../helpers/run-script.ts';
import { startSlackDouble } from '../helpers/slack-double.ts';

const GIT_ENV = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Ada Lovelace',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada Lovelace',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
};
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' }).trim();
}

/** A working clone of the three-environment fixture with a bare remote as origin. */
function setup() {
  const base = mkdtempSync(path.join(tmpdir(), 'promote-e2e-'));
  cleanups.push(() => rmSync(base, { recursive: true, force: true }));
  const seed = path.join(base, 'seed');
  cpSync(path.join(FIXTURES, 'promote/three-envs'), seed, { recursive: true });
  git(seed, 'init', '-q', '-b', 'main');
  git(seed, 'add', '-A');
  git(seed, 'commit', '-q', '-m', 'initial');
  git(base, 'clone', '-q', '--bare', seed, 'remote.git');
  git(base, 'clone', '-q', path.join(base, 'remote.git'), 'work');
  const work = path.join(base, 'work');
  git(work, 'config', 'user.name', 'Ada Lovelace');
  git(work, 'config', 'user.email', 'ada@example.com');
  return { base, work, remote: path.join(base, 'remote.git') };
}

const promote = (cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  runScript('promote', args, { cwd, env: { ...GIT_ENV, ...env } });
const read = (dir: string, f: string) => readFileSync(path.join(dir, f), 'utf8');
const STAGING_IMAGES = 'workloads/web/overlays/staging/kustomization.yaml';
const STAGING_PINS = 'apps/overlays/staging/release-pins.yaml';

describe('zx scripts/promote.mjs (end to end, real git)', () => {
  it('dry run prints the plan and writes nothing', async () => {
    const { work } = setup();
    const before = read(work, STAGING_IMAGES);
    const r = await promote(work, ['--from', 'dev', '--dry-run']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('image:registry.example.test/web 1.4.0 → 1.5.0');
    expect(r.stdout).toContain('chart:cache 1.2.3 → 1.3.0');
    expect(r.stdout).toMatch(/changed Deployment web\/web \(1 field\)/);
    expect(read(work, STAGING_IMAGES)).toBe(before);
    expect(git(work, 'status', '--porcelain')).toBe('');
    expect(git(work, 'rev-list', '--count', 'HEAD')).toBe('1');
  });

  it('moves only the pin lines, keeps comments, and commits with trailers', async () => {
    const { work } = setup();
    const r = await promote(work, ['--from', 'dev', '--skip-live-check']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const diff = git(work, 'diff', '--unified=0', 'HEAD~1', 'HEAD');
    const changed = diff.split('\n').filter((l) => /^[-+][^-+]/.test(l));
    expect(changed).toEqual([
      "-  cache: '1.2.3' # cache chart",
      "+  cache: '1.3.0' # cache chart",
      '-    newTag: 1.4.0 # release tag',
      '+    newTag: 1.5.0 # release tag',
    ]);
    expect(read(work, STAGING_IMAGES)).toContain(
      '# Promoted by scripts/promote.mjs; edit by hand only for a hotfix.',
    );
    const message = git(work, 'log', '-1', '--format=%B');
    expect(message.split('\n')[0]).toBe('promote(dev→staging): cache 1.2.3→1.3.0, web 1.4.0→1.5.0');
    expect(message).toMatch(/^Promoted-From: dev@[0-9a-f]{40}$/m);
    expect(message).toMatch(/^Promotion-Id: \S+$/m);
    expect(message).toContain('Promoted-By: Ada Lovelace <ada@example.com>');
    expect(message).toContain('Live-Check: skipped by --skip-live-check');
    expect(git(work, 'status', '--porcelain')).toBe('');
  });

  it('refuses a dirty tree, a skipped environment without --hotfix, and prod without --yes', async () => {
    const { work } = setup();
    writeFileSync(path.join(work, 'notes.txt'), 'wip');
    const dirty = await promote(work, ['--from', 'dev', '--skip-live-check']);
    expect(dirty.code).toBe(1);
    expect(dirty.stderr).toMatch(/clean-tree/);
    rmSync(path.join(work, 'notes.txt'));
    const skip = await promote(work, ['--from', 'dev', '--to', 'prod', '--skip-live-check']);
    expect(skip.code).toBe(1);
    expect(skip.stderr).toMatch(/skips staging/);
    const noYes = await promote(work, [
      '--from',
      'dev',
      '--to',
      'prod',
      '--hotfix',
      'CVE-2026-1234 fix',
      '--skip-live-check',
    ]);
    expect(noYes.code).toBe(1);
    expect(noYes.stderr).toMatch(/needs --yes/);
    expect(git(work, 'rev-list', '--count', 'HEAD')).toBe('1');
    const hotfix = await promote(work, [
      '--from',
      'dev',
      '--to',
      'prod',
      '--hotfix',
      'CVE-2026-1234 fix',
      '--skip-live-check',
      '--yes',
    ]);
    expect(hotfix.code).toBe(0);
    expect(git(work, 'rev-parse', '--abbrev-ref', 'HEAD')).toMatch(/^promote\/dev-to-prod-[0-9a-f]{7}$/);
    expect(git(work, 'log', '-1', '--format=%B')).toContain('Hotfix-Reason: CVE-2026-1234 fix');
  });

  it('a promotion that breaks validation leaves every file as it was', async () => {
    const { work } = setup();
    writeFileSync(
      path.join(work, 'apps/overlays/dev/release-pins.yaml'),
      read(work, 'apps/overlays/dev/release-pins.yaml').replace('1.3.0', '1.3.x'),
    );
    git(work, 'commit', '-q', '-am', 'dev tries a range');
    const before = read(work, STAGING_PINS);
    const r = await promote(work, ['--from', 'dev', '--skip-live-check']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/validation/);
    expect(r.stderr).toMatch(/argocd\/chart-pinned/);
    expect(read(work, STAGING_PINS)).toBe(before);
    expect(git(work, 'status', '--porcelain')).toBe('');
    expect(git(work, 'rev-list', '--count', 'HEAD')).toBe('2');
  });

  it('rolls back to the pins an environment had at a revision', async () => {
    const { work } = setup();
    expect((await promote(work, ['--from', 'dev', '--skip-live-check'])).code).toBe(0);
    expect(read(work, STAGING_IMAGES)).toContain('newTag: 1.5.0');
    const r = await promote(work, ['--from', 'staging@HEAD~1', '--to', 'staging']);
    expect(r.code).toBe(0);
    expect(read(work, STAGING_IMAGES)).toContain('newTag: 1.4.0 # release tag');
    expect(read(work, STAGING_PINS)).toContain("cache: '1.2.3'");
    expect(git(work, 'log', '-1', '--format=%s')).toBe(
      'promote(staging→staging): cache 1.3.0→1.2.3, web 1.5.0→1.4.0',
    );
  });

  it('says so and commits nothing when there is nothing to promote', async () => {
    const { work } = setup();
    const r = await promote(work, ['--from', 'staging', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Nothing to promote/);
    expect(git(work, 'rev-list', '--count', 'HEAD')).toBe('1');
  });

  it('pushes after rebasing onto a concurrent commit', async () => {
    const { base, work, remote } = setup();
    git(base, 'clone', '-q', remote, 'other');
    const other = path.join(base, 'other');
    writeFileSync(path.join(other, 'README.md'), 'someone else\n');
    git(other, 'add', 'README.md');
    git(other, 'commit', '-q', '-m', 'concurrent change');
    git(other, 'push', '-q', 'origin', 'main');
    const r = await promote(work, ['--from', 'dev', '--skip-live-check', '--push']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Pushed main after rebasing 1 time/);
    expect(git(remote, 'log', '-2', '--format=%s', 'main').split('\n')).toEqual([
      'promote(dev→staging): cache 1.2.3→1.3.0, web 1.4.0→1.5.0',
      'concurrent change',
    ]);
  });

  it('stops when the source environment is not Synced and Healthy (snapshot)', async () => {
    const { base, work } = setup();
    const snapshot = path.join(base, 'apps.yaml');
    writeFileSync(
      snapshot,
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: argoproj.io/v1alpha1\n    kind: Application\n    metadata: {name: web}\n    status: {sync: {status: Synced}, health: {status: Degraded}}\n',
    );
    const r = await promote(work, ['--from', 'dev', '--snapshot', snapshot]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/live-check/);
    expect(r.stderr).toContain('web is Synced/Degraded');
  });

  it('passes the live gate when the source runs the pinned commit, and skips it when the cluster is unreachable', async () => {
    const { base, work } = setup();
    const head = git(work, 'rev-parse', 'HEAD');
    const snapshot = path.join(base, 'apps.yaml');
    writeFileSync(
      snapshot,
      `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: argoproj.io/v1alpha1\n    kind: Application\n    metadata: {name: web}\n    status: {sync: {status: Synced, revision: ${head}}, health: {status: Healthy}}\n`,
    );
    const ok = await promote(work, ['--from', 'dev', '--snapshot', snapshot]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Live check: 1 Applications of dev Synced and Healthy');
    expect(git(work, 'log', '-1', '--format=%B')).toContain(
      'Live-Check: 1 Applications of dev Synced and Healthy',
    );
    git(work, 'reset', '-q', '--hard', 'HEAD~1');
    const kubeconfig = path.join(base, 'kubeconfig');
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
    const skipped = await promote(work, ['--from', 'dev', '--kubeconfig', kubeconfig]);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toMatch(/Live check: cluster of dev not reachable/);
  });

  it('notifies a local Slack test double once, never printing the webhook URL', async () => {
    const { work } = setup();
    const slack = await startSlackDouble([{ status: 200, body: 'ok' }]);
    cleanups.push(() => slack.close());
    const r = await promote(work, ['--from', 'dev', '--skip-live-check', '--notify', '--output', 'json'], {
      SLACK_WEBHOOK_URL: slack.url,
    });
    expect(r.code).toBe(0);
    expect(slack.received).toHaveLength(1);
    const msg = slack.received[0] as { text: string; blocks: unknown[] };
    expect(msg.text).toContain('Promotion dev → staging');
    expect(JSON.stringify(msg.blocks)).toContain('1.4.0 → 1.5.0');
    expect(r.stdout + r.stderr).not.toContain(slack.url);
    expect(r.stdout + r.stderr).not.toContain('XXXXSECRETXXXX');
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'promoted', to: 'staging' });
  });
});
