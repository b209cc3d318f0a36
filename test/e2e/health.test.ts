import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/lib/commands/health.ts';
import { openRepository, type Repository } from '../../scripts/lib/repo/repository.ts';
import type { KubeObject } from '../../scripts/lib/repo/resource.ts';
import type { Clock } from '../../scripts/lib/time/clock.ts';
import { REPO_ROOT, renderCache } from '../helpers/fixture-repo.ts';
import { startKubeApiDouble } from '../helpers/kube-api-double.ts';
import { manualClock } from '../helpers/manual-clock.ts';
import { runInProcess } from '../helpers/run-main.ts';
import { runScript } from '../helpers/run-script.ts';
import { startSlackDouble } from '../helpers/slack-double.ts';

const REV = '0123456789abcdef0123456789abcdef01234567';
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** This repository's dev environment, rendered once for the file and shared by every in-process run. */
let repo: Repository;
let desired: KubeObject[] = [];
let appNames: string[] = [];
let scratch: string;
beforeAll(async () => {
  repo = await openRepository(REPO_ROOT, { cacheDir: renderCache() });
  const render = await repo.render('dev');
  desired = render.resources.map((r) => structuredClone(r.object));
  appNames = render.applications.map((a) => a.name);
  scratch = mkdtempSync(path.join(tmpdir(), 'health-'));
});
afterAll(() => {
  repo.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

/**
 * What Argo CD writes as the synced revision (controller/state.go): a git source's commit, a chart
 * source's version; `revision` for one source, `revisions` in source order for several.
 */
function syncedRevision(app: KubeObject): { revision: string } | { revisions: string[] } {
  type Source = { chart?: string; targetRevision?: string };
  const spec = (app as { spec: { source?: Source; sources?: Source[] } }).spec;
  const of = (s: Source) => (s.chart ? s.targetRevision! : REV);
  return spec.sources ? { revisions: spec.sources.map(of) } : { revision: of(spec.source!) };
}

/** The dev cluster as the snapshot: every app Synced and Healthy at REV, with `change` applied. */
function cluster(change: (objects: KubeObject[]) => void = () => {}): KubeObject[] {
  const objects = desired.map((o) => {
    const copy = structuredClone(o) as KubeObject & { status?: unknown };
    if (copy.kind === 'Application')
      copy.status = {
        sync: { status: 'Synced', ...syncedRevision(copy) },
        health: { status: 'Healthy' },
        operationState: { phase: 'Succeeded' },
      };
    return copy;
  });
  change(objects);
  return objects;
}

function snapshot(objects: KubeObject[], name = 'snap.yaml'): string {
  const file = path.join(scratch, name);
  writeFileSync(file, yaml.dump({ apiVersion: 'v1', kind: 'List', items: objects }));
  return file;
}

const app = (objects: KubeObject[], name: string) =>
  objects.find((o) => o.kind === 'Application' && o.metadata?.name === name) as KubeObject & { status: any };
const health = (args: string[], opts: { clock?: Clock; env?: NodeJS.ProcessEnv } = {}) =>
  runInProcess(main, args, { cwd: REPO_ROOT, ...opts, deps: { repository: repo } });
const summary = (stdout: string) => stdout.trimEnd().split('\n').at(-1);

describe('zx scripts/health.mjs as a process', () => {
  it('reads a cluster through a test-double API server and notifies Slack', async () => {
    const api = await startKubeApiDouble({ objects: cluster(), pageSize: 50 });
    cleanups.push(api.close);
    const slack = await startSlackDouble([{ status: 200, body: 'ok' }]);
    cleanups.push(slack.close);
    const r = await runScript(
      'health',
      ['--env', 'dev', '--kubeconfig', api.kubeconfig, '--context', 'dev', '--notify', '--revision', REV],
      { cwd: REPO_ROOT, env: { SLACK_WEBHOOK_URL: slack.url } },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Slack: notification sent');
    expect(slack.received).toHaveLength(1);
    expect((slack.received[0] as { text: string }).text).toMatch(/^Sync succeeded: dev/);
    expect(r.stdout + r.stderr).not.toContain('XXXXSECRETXXXX');
  });
});

describe('health (in process)', () => {
  it('all Synced and Healthy at the revision: exit 0, children under their parent, one summary line', async () => {
    const r = await health(['--env', 'dev', '--snapshot', snapshot(cluster()), '--revision', REV]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('dev:');
    expect(lines[1]).toMatch(/^  root\s+Synced\s+Healthy\s+0123456789ab$/);
    expect(lines.filter((l) => /^    \S/.test(l)).map((l) => l.trim().split(/\s+/)[0])).toEqual(
      appNames.filter((n) => n !== 'root').sort(),
    );
    expect(summary(r.stdout)).toBe(
      `Summary: dev ${appNames.length} of ${appNames.length} Synced and Healthy`,
    );
  });

  it('names the unhealthy resource and why, through the repo’s Lua check', async () => {
    const objects = cluster((os) => {
      const gw = os.find((o) => o.kind === 'Gateway')! as KubeObject & { status?: unknown };
      gw.status = {
        validationMessages: [
          { level: 'ERROR', type: { code: 'IST0101' }, description: 'Referenced credential not found' },
        ],
      };
      app(os, 'mesh-config').status.health = { status: 'Degraded' };
    });
    const r = await health(['--env', 'dev', '--snapshot', snapshot(objects)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/mesh-config\s+Synced\s+Degraded/);
    expect(r.stdout).toContain(
      '✗ Gateway istio-ingress/public-gateway: Degraded — IST0101 Referenced credential not found',
    );
    expect(summary(r.stdout)).toBe(
      `Summary: dev ${appNames.length - 1} of ${appNames.length} Synced and Healthy (mesh-config Synced/Degraded)`,
    );
  });

  it('a snapshot holding only Applications: the rest is "not in snapshot", neither Missing nor unhealthy', async () => {
    const onlyApps = cluster().filter((o) => o.kind === 'Application');
    const r = await health(['--env', 'dev', '--snapshot', snapshot(onlyApps)]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/Missing|✗/);
    const unread = desired.filter((o) => o.kind !== 'Application' && o.kind !== 'AppProject').length;
    expect(r.stdout).toMatch(/· \d+ resources? not in snapshot/);
    expect(summary(r.stdout)).toMatch(
      new RegExp(
        `^Summary: dev ${appNames.length} of ${appNames.length} Synced and Healthy; \\d+ resources not in snapshot$`,
      ),
    );
    expect(Number(/; (\d+) resources not in snapshot$/.exec(summary(r.stdout)!)![1])).toBeGreaterThan(
      unread / 2,
    );
    const none = await health([
      '--env',
      'dev',
      '--snapshot',
      snapshot(onlyApps.map((o) => ({ ...o, kind: 'ConfigMap', apiVersion: 'v1' }))),
    ]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/holds no Argo CD Applications/);
  });

  it('--wait times out naming what is stuck and why, on an injected clock', async () => {
    const objects = cluster((os) => {
      app(os, 'istiod').status.sync = { status: 'OutOfSync', revision: REV };
    });
    const time = manualClock();
    const r = await health(
      ['--env', 'dev', '--snapshot', snapshot(objects), '--wait', '--timeout', '1s', '--interval', '0.2'],
      { clock: time.clock },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/timed out after 1s waiting for dev: istiod OutOfSync\/Healthy/);
    expect(time.waits).toEqual([200, 200, 200, 200, 200]);
  });

  it('--wait ends as soon as every app is Synced and Healthy', async () => {
    const file = snapshot(cluster((os) => (app(os, 'istiod').status.health = { status: 'Progressing' })));
    const time = manualClock();
    // The sync lands during the second wait.
    const clock: Clock = {
      ...time.clock,
      sleep: async (ms) => {
        await time.clock.sleep(ms);
        if (time.waits.length === 2) snapshot(cluster());
      },
    };
    const r = await health(
      ['--env', 'dev', '--snapshot', file, '--wait', '--timeout', '10m', '--interval', '10'],
      { clock },
    );
    expect(r.code).toBe(0);
    expect(time.waits).toEqual([10_000, 10_000]);
  });

  it('--wait-for sync or health, as argocd app wait; --app limits to named apps', async () => {
    const file = snapshot(cluster((os) => (app(os, 'istiod').status.health = { status: 'Degraded' })));
    expect((await health(['--env', 'dev', '--snapshot', file, '--wait-for', 'sync'])).code).toBe(0);
    const time = manualClock();
    const byHealth = await health(
      ['--env', 'dev', '--snapshot', file, '--wait-for', 'health', '--timeout', '30s', '--interval', '10'],
      { clock: time.clock },
    );
    expect(byHealth.code).toBe(1);
    expect(byHealth.stderr).toMatch(/timed out after 30s waiting for dev: istiod Synced\/Degraded/);
    const one = await health([
      '--env',
      'dev',
      '--snapshot',
      file,
      '--app',
      'mesh-config',
      '--app',
      'istio-base',
    ]);
    expect(one.code).toBe(0);
    expect(
      one.stdout
        .split('\n')
        .filter((l) => /^\s+\S+\s+Synced/.test(l))
        .map((l) => l.trim().split(/\s+/)[0]),
    ).toEqual(['istio-base', 'mesh-config']);
    expect(summary(one.stdout)).toBe('Summary: dev 2 of 2 Synced and Healthy');
    const unknown = await health(['--env', 'dev', '--snapshot', file, '--app', 'nosuchapp']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^error: --app nosuchapp: dev has no Application named "nosuchapp"\nhint: its Applications: /,
    );
  });

  it('waits for the revision; --format json --notify --dry-run keeps stdout to the JSON', async () => {
    const objects = cluster((os) => {
      app(os, 'mesh-config').status.sync.revision = 'ffffffffffffffffffffffffffffffffffffffff';
      // A chart and its values from git: the values' commit is the one to wait for.
      const istiod = app(os, 'istiod').status.sync;
      istiod.revisions = istiod.revisions.map((r: string) => (r === REV ? 'e'.repeat(40) : r));
    });
    const r = await health([
      '--env',
      'dev',
      '--snapshot',
      snapshot(objects),
      '--revision',
      REV,
      '--format',
      'json',
      '--notify',
      '--dry-run',
    ]);
    expect(r.code).toBe(1);
    const [env] = JSON.parse(r.stdout);
    expect(env.rows.find((x: { name: string }) => x.name === 'mesh-config')).toMatchObject({
      ok: false,
      message: 'at ffffffffffff, waiting for 0123456789ab',
    });
    expect(env.rows.find((x: { name: string }) => x.name === 'istiod')).toMatchObject({ ok: false });
    // Only a chart, no commit: synced to the pinned version is all there is to wait for.
    expect(env.rows.find((x: { name: string }) => x.name === 'prometheus-operator-crds')).toMatchObject({
      ok: true,
    });
    expect(r.stderr).toContain('Slack message (dry run, not sent):');
  });
});
