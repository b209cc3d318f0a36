import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/lib/commands/promote.ts';
import { FIXTURES } from '../helpers/fixture-repo.ts';
import { startKubeApiDouble } from '../helpers/kube-api-double.ts';
import { manualClock } from '../helpers/manual-clock.ts';
import { runInProcess } from '../helpers/run-main.ts';
import { runScript } from '../helpers/run-script.ts';
import { git, GIT_ENV, initRepo } from '../helpers/git-fixture.ts';
import { startSlackDouble } from '../helpers/slack-double.ts';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/**
 * A working clone of the three-environment fixture with a bare remote as origin, made once and
 * copied back to the same paths for every test: each test starts from the same state, and renders
 * of unchanged folders come from the render cache.
 */
let base: string;
const work = () => path.join(base, 'work');
const remote = () => path.join(base, 'remote.git');
beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'promote-e2e-'));
  const seed = path.join(base, 'seed');
  cpSync(path.join(FIXTURES, 'promote/three-envs'), seed, { recursive: true });
  initRepo(seed);
  git(base, 'clone', '-q', '--bare', seed, 'remote.git');
  git(base, 'clone', '-q', remote(), 'work');
  git(work(), 'config', 'user.name', 'Ada Lovelace');
  git(work(), 'config', 'user.email', 'ada@example.com');
  cpSync(remote(), path.join(base, 'pristine/remote.git'), { recursive: true });
  cpSync(work(), path.join(base, 'pristine/work'), { recursive: true });
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

function setup() {
  for (const d of ['work', 'remote.git', 'other', 'apps.yaml'])
    rmSync(path.join(base, d), { recursive: true, force: true });
  cpSync(path.join(base, 'pristine/remote.git'), remote(), { recursive: true });
  cpSync(path.join(base, 'pristine/work'), work(), { recursive: true });
  return { base, work: work(), remote: remote() };
}

const NO_CLUSTER = { HOME: '/nonexistent', KUBECONFIG: '' };
const promote = (args: string[], opts: { env?: NodeJS.ProcessEnv; answer?: string; clock?: any } = {}) =>
  runInProcess(main, args, { cwd: work(), ...opts, env: { ...GIT_ENV, ...NO_CLUSTER, ...opts.env } });
const read = (f: string) => readFileSync(path.join(work(), f), 'utf8');
const commits = () => git(work(), 'rev-list', '--count', 'HEAD');
const STAGING_IMAGES = 'workloads/web/overlays/staging/kustomization.yaml';
const STAGING_PINS = 'apps/overlays/staging/release-pins.yaml';
const SKIP = ['--skip-live-check', 'dev cluster rebuilt, checked by hand'];
const HELMLESS =
  'info: helm not on PATH: did not look inside the Helm charts of 1 Application (cache); the plan and the validation gate did not see inside them. Install helm to render them as Argo CD does.\n';

/** What `promote --from dev` commits, made by hand (tests of what comes after need no render for it). */
function promoteByHand() {
  writeFileSync(
    path.join(work(), STAGING_IMAGES),
    read(STAGING_IMAGES).replace('newTag: 1.4.0', 'newTag: 1.5.0'),
  );
  writeFileSync(path.join(work(), STAGING_PINS), read(STAGING_PINS).replace("'1.2.3'", "'1.3.0'"));
  git(work(), 'commit', '-q', '-am', 'promote(dev→staging): cache 1.2.3→1.3.0, web 1.4.0→1.5.0');
}

/** The source cluster's Applications: every app of the fixture's tree at `revision`, with `change` applied. */
function applications(revision: string, change: (apps: Record<string, any>[]) => void = () => {}) {
  const apps = ['root', 'web', 'cache'].map((name) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd' },
    status: { sync: { status: 'Synced', revision }, health: { status: 'Healthy' } },
  }));
  change(apps);
  return apps;
}
function snapshotOf(apps: Record<string, any>[]): string {
  const file = path.join(base, 'apps.yaml');
  writeFileSync(file, yaml.dump({ apiVersion: 'v1', kind: 'List', items: apps }));
  return file;
}

describe('zx scripts/promote.mjs as a process (real git, the entry point)', () => {
  it('moves only the pin lines, keeps comments, and commits with trailers', async () => {
    setup();
    const r = await runScript('promote', ['--from', 'dev', ...SKIP], {
      cwd: work(),
      env: { ...GIT_ENV, ...NO_CLUSTER },
    });
    // stderr holds only the one line saying the tests run without helm.
    expect(r.stderr).toBe(HELMLESS);
    expect(r.code).toBe(0);
    const diff = git(work(), 'diff', '--unified=0', 'HEAD~1', 'HEAD');
    expect(diff.split('\n').filter((l) => /^[-+][^-+]/.test(l))).toEqual([
      "-  cache: '1.2.3' # cache chart",
      "+  cache: '1.3.0' # cache chart",
      '-    newTag: 1.4.0 # release tag',
      '+    newTag: 1.5.0 # release tag',
    ]);
    expect(read(STAGING_IMAGES)).toContain(
      '# Promoted by scripts/promote.mjs; edit by hand only for a hotfix.',
    );
    const message = git(work(), 'log', '-1', '--format=%B');
    expect(message.split('\n')[0]).toBe('promote(dev→staging): cache 1.2.3→1.3.0, web 1.4.0→1.5.0');
    expect(message).toContain(
      '- web 1.4.0 → 1.5.0 (image:registry.example.test/web, workloads/web/overlays/staging/kustomization.yaml)',
    );
    expect(message).toMatch(/^Promoted-From: dev@[0-9a-f]{40}$/m);
    expect(message).toMatch(/^Promotion-Id: \S+$/m);
    expect(message).toContain('Promoted-By: Ada Lovelace <ada@example.com>');
    expect(message).toContain('Live-Check: skipped — dev cluster rebuilt, checked by hand');
    expect(git(work(), 'status', '--porcelain')).toBe('');
  });
});

describe('promote (in process, real git)', () => {
  it('--format json --notify: stdout is only the JSON, Slack gets the skip reason, the URL is never printed', async () => {
    setup();
    const slack = await startSlackDouble([{ status: 200, body: 'ok' }]);
    cleanups.push(() => slack.close());
    const r = await promote(['--from', 'dev', ...SKIP, '--notify', '--format', 'json'], {
      env: { SLACK_WEBHOOK_URL: slack.url },
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      status: 'promoted',
      to: 'staging',
      liveCheck: 'skipped — dev cluster rebuilt, checked by hand',
    });
    expect(r.stderr).toContain('Promotion plan dev → staging:');
    expect(r.stderr).toContain('Slack: notification sent');
    expect(slack.received).toHaveLength(1);
    const msg = JSON.stringify(slack.received[0]);
    expect(msg).toContain('Promotion dev → staging');
    expect(msg).toContain('1.4.0 → 1.5.0');
    expect(msg).toContain('live check: skipped — dev cluster rebuilt, checked by hand');
    expect(r.stdout + r.stderr).not.toContain('XXXXSECRETXXXX');
  });
  it('dry run: the plan shows every changed field old → new, nothing is written; with --format json stdout is the JSON', async () => {
    setup();
    const before = read(STAGING_IMAGES);
    const r = await promote(['--from', 'dev', '--dry-run', '--notify', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      status: 'dry-run',
      resources: [
        { id: 'Application argocd/cache', change: 'changed' },
        { id: 'Deployment web/web', fields: [{ path: 'spec.template.spec.containers[web].image' }] },
      ],
    });
    // The plan a person reads, and the Slack preview, go to stderr.
    expect(r.stderr).toContain(
      '  web: 1.4.0 → 1.5.0  (image:registry.example.test/web in workloads/web/overlays/staging/kustomization.yaml; web)',
    );
    expect(r.stderr).toContain(
      '  cache: 1.2.3 → 1.3.0  (chart:cache in apps/overlays/staging/release-pins.yaml; cache)',
    );
    expect(r.stderr).toContain(
      [
        '  ~ Application argocd/cache',
        '      spec.sources[0].targetRevision: 1.2.3 → 1.3.0',
        '  ~ Deployment web/web',
        '      spec.template.spec.containers[web].image: registry.example.test/web:1.4.0 → registry.example.test/web:1.5.0',
      ].join('\n'),
    );
    expect(r.stderr).toContain('Slack message (dry run, not sent):');
    expect(read(STAGING_IMAGES)).toBe(before);
    expect(git(work(), 'status', '--porcelain')).toBe('');
    expect(commits()).toBe('1');
  });

  it('fails closed: without a kube context nothing is written, and the reason is said', async () => {
    setup();
    const r = await promote(['--from', 'dev']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "promotion stopped (live-check): cannot check that dev runs these pins: cannot read dev's Applications: cannot load kubeconfig: none found (no --kubeconfig, KUBECONFIG or ~/.kube/config)",
    );
    expect(r.stderr).toContain('--skip-live-check "reason"');
    expect(git(work(), 'status', '--porcelain')).toBe('');
    expect(commits()).toBe('1');
  });

  it('fails closed when the cluster refuses the credentials (401) or does not answer (timeout)', async () => {
    setup();
    const api = await startKubeApiDouble({ objects: applications('0'.repeat(40)), hang: ['applications'] });
    cleanups.push(api.close);
    const time = manualClock();
    // Each request left hanging times out at once: the client's timer fires when the double has it.
    api.events.on('hang', () => setImmediate(() => time.fireTimers()));
    const slow = await promote(['--from', 'dev', '--kubeconfig', api.kubeconfig], { clock: time.clock });
    expect(slow.code).toBe(1);
    expect(slow.stderr).toMatch(
      /promotion stopped \(live-check\): cannot check that dev runs these pins: .*cannot reach the cluster at http:\/\/127\.0\.0\.1:\d+ .*no answer within 5000 ms/,
    );
    writeFileSync(api.kubeconfig, readFileSync(api.kubeconfig, 'utf8').replace('test-token', 'wrong'));
    const denied = await promote(['--from', 'dev', '--kubeconfig', api.kubeconfig]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/live-check.*refused the credentials \(401\)/);
    expect(commits()).toBe('1');
  });

  it('passes the live check against the API when every app runs the pin commit; stops when one is Degraded or absent', async () => {
    setup();
    const head = git(work(), 'rev-parse', 'HEAD');
    const degraded = await promote([
      '--from',
      'dev',
      '--snapshot',
      snapshotOf(
        applications(head, (apps) => {
          apps[1]!.status.health.status = 'Degraded';
          apps.pop();
        }),
      ),
    ]);
    expect(degraded.code).toBe(1);
    expect(degraded.stderr).toContain(
      'promotion stopped (live-check): dev is not Synced and Healthy at the pinned revision',
    );
    expect(degraded.stderr).toContain('  - cache is not in the cluster');
    expect(degraded.stderr).toContain('  - web is Synced/Degraded');
    const api = await startKubeApiDouble({ objects: applications(head) });
    cleanups.push(api.close);
    const ok = await promote(['--from', 'dev', '--kubeconfig', api.kubeconfig]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Live check: 3 Applications of dev Synced and Healthy');
    expect(git(work(), 'log', '-1', '--format=%B')).toContain(
      'Live-Check: 3 Applications of dev Synced and Healthy',
    );
  });

  it('the last environment refuses a commit the remote’s default branch does not have', async () => {
    setup();
    promoteByHand();
    const local = git(work(), 'rev-parse', 'HEAD');
    const refused = await promote(['--from', 'staging', '--yes', ...SKIP]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `promotion stopped (not-deployed): ${local.slice(0, 12)} is not on origin/main: it was never deployed, so it cannot be promoted into the last environment`,
    );
    git(work(), 'push', '-q', 'origin', 'main');
    const r = await promote(['--from', 'staging', '--yes', ...SKIP]);
    expect(r.code).toBe(0);
    expect(git(work(), 'rev-parse', '--abbrev-ref', 'HEAD')).toBe(
      `promote/staging-to-prod-${local.slice(0, 7)}`,
    );
  });

  it('modified tracked files block and are named; untracked files do not', async () => {
    setup();
    writeFileSync(path.join(work(), 'notes.txt'), 'wip');
    writeFileSync(path.join(work(), 'values/cache.yaml'), 'replicas: 2\n');
    const dirty = await promote(['--from', 'dev', ...SKIP]);
    expect(dirty.code).toBe(1);
    expect(dirty.stderr).toContain(
      'promotion stopped (clean-tree): tracked files have uncommitted changes: values/cache.yaml',
    );
    git(work(), 'checkout', '--', 'values/cache.yaml');
    const r = await promote(['--from', 'dev', ...SKIP]);
    expect(r.code).toBe(0);
    expect(git(work(), 'show', '--name-only', '--format=', 'HEAD').split('\n')).not.toContain('notes.txt');
  });

  it('refuses a skipped environment without --hotfix and prod without --yes; a hotfix branches', async () => {
    setup();
    const skip = await promote(['--from', 'dev', '--to', 'prod', ...SKIP]);
    expect(skip.code).toBe(1);
    expect(skip.stderr).toMatch(/skips staging/);
    const noYes = await promote(['--from', 'dev', '--to', 'prod', '--hotfix', 'CVE-2026-1234 fix', ...SKIP]);
    expect(noYes.code).toBe(1);
    expect(noYes.stderr).toMatch(/needs --yes/);
    expect(commits()).toBe('1');
    const hotfix = await promote(
      ['--from', 'dev', '--to', 'prod', '--hotfix', 'CVE-2026-1234 fix', ...SKIP],
      { answer: 'prod' },
    );
    expect(hotfix.code).toBe(0);
    expect(git(work(), 'rev-parse', '--abbrev-ref', 'HEAD')).toMatch(/^promote\/dev-to-prod-[0-9a-f]{7}$/);
    expect(git(work(), 'log', '-1', '--format=%B')).toContain('Hotfix-Reason: CVE-2026-1234 fix');
  });

  it('a promotion that breaks validation leaves every file as it was', async () => {
    setup();
    writeFileSync(
      path.join(work(), 'apps/overlays/dev/release-pins.yaml'),
      read('apps/overlays/dev/release-pins.yaml').replace('1.3.0', '1.3.x'),
    );
    git(work(), 'commit', '-q', '-am', 'dev tries a range');
    const before = read(STAGING_PINS);
    const r = await promote(['--from', 'dev', ...SKIP]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/promotion stopped \(validation\)/);
    expect(r.stderr).toMatch(/argocd\/chart-pinned/);
    expect(read(STAGING_PINS)).toBe(before);
    expect(git(work(), 'status', '--porcelain')).toBe('');
    expect(commits()).toBe('2');
  });

  it("the validation gate applies the repository's rule levels (clusters/validate.yaml)", async () => {
    setup();
    // workload/image-pinned is a warning by default; this repository makes it an error.
    writeFileSync(path.join(work(), 'clusters/validate.yaml'), 'severity:\n  workload/image-pinned: error\n');
    const dev = 'workloads/web/overlays/dev/kustomization.yaml';
    writeFileSync(path.join(work(), dev), read(dev).replace(/newTag: [^\s#]+/, 'newTag: latest'));
    git(work(), 'add', '-A');
    git(work(), 'commit', '-q', '-m', 'dev runs latest, and image pins are errors here');
    const before = read(STAGING_IMAGES);
    const r = await promote(['--from', 'dev', ...SKIP]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/promotion stopped \(validation\)/);
    expect(r.stderr).toMatch(/workload\/image-pinned/);
    expect(read(STAGING_IMAGES)).toBe(before);
    expect(git(work(), 'status', '--porcelain')).toBe('');
  });

  it('rolls back to the pins an environment had at a revision: rollback(env) on rollback/env-<sha>', async () => {
    setup();
    promoteByHand();
    const target = git(work(), 'rev-parse', 'HEAD~1');
    const r = await promote(['--from', 'staging@HEAD~1']);
    expect(r.code).toBe(0);
    expect(read(STAGING_IMAGES)).toContain('newTag: 1.4.0 # release tag');
    expect(read(STAGING_PINS)).toContain("cache: '1.2.3'");
    expect(git(work(), 'log', '-1', '--format=%s')).toBe(
      'rollback(staging): cache 1.3.0→1.2.3, web 1.5.0→1.4.0',
    );
    expect(git(work(), 'rev-parse', '--abbrev-ref', 'HEAD')).toBe(`rollback/staging-${target.slice(0, 7)}`);
    expect(git(work(), 'log', '-1', '--format=%B')).toContain(
      `Live-Check: not applicable — rollback to staging's pins at ${target.slice(0, 12)}`,
    );
  });

  it('pushes after rebasing onto a concurrent commit', async () => {
    setup();
    git(base, 'clone', '-q', remote(), 'other');
    const other = path.join(base, 'other');
    writeFileSync(path.join(other, 'README.md'), 'someone else\n');
    git(other, 'add', 'README.md');
    git(other, 'commit', '-q', '-m', 'concurrent change');
    git(other, 'push', '-q', 'origin', 'main');
    const r = await promote(['--from', 'dev', ...SKIP, '--push']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Pushed main after rebasing 1 time/);
    expect(git(remote(), 'log', '-2', '--format=%s', 'main').split('\n')).toEqual([
      'promote(dev→staging): cache 1.2.3→1.3.0, web 1.4.0→1.5.0',
      'concurrent change',
    ]);
  });

  it.each([
    [['--from', 'staging', '--yes'], 0, /Nothing to promote: prod already runs the pins of staging\./],
    [
      ['--from', 'dev', '--only', 'nosuchapp', ...SKIP],
      2,
      /error: --only nosuchapp: no Application, image or pin key of dev or staging is called that\nhint: pins here: cache, web/,
    ],
    [
      ['--from', 'dev', '--to', 'dev'],
      2,
      /error: --from and --to name the same environment \(dev\)\nhint: to roll dev back to its pins at a revision: --from dev@REV/,
    ],
    [
      ['--from', 'staging', '--to', 'dev', ...SKIP],
      1,
      /promotion stopped \(order\): staging → dev goes backwards/,
    ],
    [['--from', 'dev', '--skip-live-check'], 2, /error: Option '--skip-live-check <value>' argument missing/],
    [['--from', 'dev', '--skip-live-check', ' '], 2, /error: --skip-live-check needs a reason/],
    [
      ['--from', 'dev', '--output', 'json'],
      2,
      /error: --output takes a file name; for json output use --format json/,
    ],
  ])('%j → exit %i', async (args, code, message) => {
    setup();
    const r = await promote(args);
    expect(r.stdout + r.stderr).toMatch(message);
    expect(r.code).toBe(code);
    expect(commits()).toBe('1');
  });
});
