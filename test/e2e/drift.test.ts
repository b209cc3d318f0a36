import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/lib/commands/drift.ts';
import { openRepository } from '../../scripts/lib/repo/repository.ts';
import type { KubeObject } from '../../scripts/lib/repo/resource.ts';
import { fixtureRepo } from '../helpers/fixture-repo.ts';
import { startKubeApiDouble } from '../helpers/kube-api-double.ts';
import { manualClock } from '../helpers/manual-clock.ts';
import { runInProcess } from '../helpers/run-main.ts';
import { runScript } from '../helpers/run-script.ts';
import { startSlackDouble } from '../helpers/slack-double.ts';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const CONFIG = 'listen: 8080\nlog: json\nretries: 3\n';
/** The validate fixture with a multi-line ConfigMap beside the web Deployment, rendered once for the file. */
let repoDir: string;
let scratch: string;
let desired: KubeObject[];
let cleanup: () => void;
beforeAll(async () => {
  const fx = fixtureRepo('validate/clean', {
    'workloads/web/base/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - service.yaml\n  - configmap.yaml\n',
    'workloads/web/base/configmap.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  config.yaml: |\n${CONFIG.replace(/^/gm, '    ').trimEnd()}\n`,
  });
  repoDir = fx.dir;
  scratch = mkdtempSync(path.join(tmpdir(), 'drift-e2e-'));
  cleanup = () => {
    fx.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  };
  const repo = await openRepository(repoDir);
  desired = (await repo.render('dev')).resources.map((r) => structuredClone(r.object));
  repo.dispose();
});
afterAll(() => cleanup());

const find = (objects: KubeObject[], kind: string) =>
  objects.find((o) => o.kind === kind) as KubeObject & any;

/** The dev cluster as a snapshot would show it: git's objects with server fields, then `change`. */
function cluster(change: (live: KubeObject[]) => void = () => {}): KubeObject[] {
  const live: KubeObject[] = desired.map((o) => ({
    ...structuredClone(o),
    metadata: { ...o.metadata, uid: 'x', resourceVersion: '1' },
    status: { observed: true },
  }));
  live.push({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kube-root-ca.crt', namespace: 'web' },
  });
  change(live);
  return live;
}
const drifted = (live: KubeObject[]) => {
  const dep = find(live, 'Deployment');
  dep.spec.replicas = 5;
  dep.spec.template.spec.containers[0].resources.limits.cpu = '0.5';
  dep.spec.template.spec.containers.unshift({ name: 'istio-proxy', image: 'proxyv2' });
  find(live, 'ConfigMap').data['config.yaml'] = 'listen: 8080\nlog: text\nretries: 3\ntimeout: 5s\n';
  live.push({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'old',
      namespace: 'web',
      annotations: { 'argocd.argoproj.io/tracking-id': 'web:/ConfigMap:web/old' },
    },
  });
};

function snapshot(objects: KubeObject[], name = 'snap.yaml'): string {
  const file = path.join(scratch, name);
  writeFileSync(file, yaml.dump({ apiVersion: 'v1', kind: 'List', items: objects }));
  return file;
}

const drift = (args: string[], opts: { env?: NodeJS.ProcessEnv; clock?: any } = {}) =>
  runInProcess(main, args, { cwd: repoDir, ...opts });
const HELMLESS =
  'info: helm not on PATH: did not look inside the Helm charts of 1 Application (cache); objects they track are reported as not compared, never as extra. Install helm to render them as Argo CD does.\n';

describe('zx scripts/drift.mjs as a process', () => {
  it('--format json --notify --dry-run: stdout is only the report, the Slack preview goes to stderr', async () => {
    const r = await runScript(
      'drift',
      ['--env', 'dev', '--snapshot', snapshot(cluster(drifted)), '--format', 'json', '--notify', '--dry-run'],
      { cwd: repoDir },
    );
    expect(r.code).toBe(1);
    const [report] = JSON.parse(r.stdout);
    expect(report.drift).toEqual([
      { state: 'extra', resource: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'web', name: 'old' } },
      {
        state: 'changed',
        resource: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'web', name: 'web-config' },
        fields: [
          {
            path: 'data.config.yaml',
            git: CONFIG,
            live: 'listen: 8080\nlog: text\nretries: 3\ntimeout: 5s\n',
            lines: ['@@ line 2 @@', '- log: json', '+ log: text', '@@ line 4 @@', '+ timeout: 5s'],
          },
        ],
      },
      {
        state: 'changed',
        resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'web', name: 'web' },
        fields: [{ path: 'spec.replicas', git: 2, live: 5 }],
      },
    ]);
    expect(r.stderr).toContain('Slack message (dry run, not sent):');
    expect(r.stderr).toContain(HELMLESS);
  });
});

describe('drift (in process)', () => {
  it('text report: named list items, multi-line values as a line diff', async () => {
    const r = await drift([
      '--env',
      'dev',
      '--snapshot',
      snapshot(
        cluster((live) => {
          drifted(live);
          find(live, 'Deployment').spec.template.spec.containers[1].image = 'registry.example.test/web:1.3.9';
        }),
      ),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        `dev (snapshot ${path.join(scratch, 'snap.yaml')}): 3 resources drifted`,
        '  extra    ConfigMap web/old: tracked by Argo CD, no longer in git',
        '  changed  ConfigMap web/web-config',
        '             data.config.yaml: git ≠ live',
        '               @@ line 2 @@',
        '               - log: json',
        '               + log: text',
        '               @@ line 4 @@',
        '               + timeout: 5s',
        '  changed  Deployment web/web',
        '             spec.replicas: git 2 ≠ live 5',
        '             spec.template.spec.containers[web].image: git registry.example.test/web:1.4.0 ≠ live registry.example.test/web:1.3.9',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe(HELMLESS);
  });

  it('exit 0 when the cluster matches; markdown report', async () => {
    const file = snapshot(cluster());
    const text = await drift(['--env', 'dev', '--snapshot', file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(`dev (snapshot ${file}): no drift\n`);
    const md = await drift(['--env', 'dev', '--snapshot', file, '--format', 'markdown']);
    expect(md.stdout).toContain('### Drift: dev');
  });

  it('objects an unrendered chart’s Application tracks are "not compared", never extra, and not drift', async () => {
    const file = snapshot(
      cluster((live) =>
        live.push({
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          metadata: { name: 'cache', namespace: 'web', labels: { 'app.kubernetes.io/instance': 'cache' } },
        }),
      ),
    );
    const r = await drift(['--env', 'dev', '--snapshot', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `dev (snapshot ${file}): no drift; 1 not compared\n  not compared  StatefulSet web/cache: chart not rendered (helm not on PATH)\n`,
    );
    expect(r.stderr).toBe(HELMLESS);
  });

  it('--snapshot without --env takes the environment from the snapshot’s Applications, or asks for --env', async () => {
    const r = await drift(['--snapshot', snapshot(cluster())]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^dev \(snapshot /);
    const bare = await drift([
      '--snapshot',
      snapshot([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'web' } }]),
    ]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toBe(
      'error: cannot tell which environment the snapshot is of (it could be dev, prod)\nhint: pass --env NAME\n',
    );
  });

  it('against a test-double API server: discovery, pagination, a 403 kind skipped, a 500 retried', async () => {
    const api = await startKubeApiDouble({
      objects: cluster(drifted),
      forbidden: ['appprojects'],
      flaky: ['deployments'],
      pageSize: 1,
    });
    cleanups.push(api.close);
    const time = manualClock();
    const r = await drift(['--env', 'dev', '--kubeconfig', api.kubeconfig, '--context', 'dev'], {
      clock: time.clock,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('changed  Deployment web/web');
    expect(r.stdout).toContain('spec.replicas: git 2 ≠ live 5');
    expect(r.stdout).toContain('skipped  argoproj.io/v1alpha1 AppProject: not allowed to list (403)');
    expect(
      api.requests
        .filter((q) => q.startsWith('/apis/argoproj.io/v1alpha1/applications'))
        .map((q) => q.replace(/^.*\?/, '')),
    ).toEqual(['limit=500', 'limit=500&continue=1', 'limit=500&continue=2']);
    expect(api.requests.filter((q) => q.startsWith('/apis/apps/v1/deployments'))).toHaveLength(2);
    expect(time.waits).toEqual([500]);
  });

  it('an API that does not answer, or refuses the credentials: one line, exit 2', async () => {
    const api = await startKubeApiDouble({ objects: cluster(), hang: ['services', 'configmaps'] });
    cleanups.push(api.close);
    const time = manualClock();
    // The double has the request and leaves it hanging: the client's timer fires now, not after 300 ms.
    api.events.on('hang', () => setImmediate(() => time.fireTimers()));
    const slow = await drift(['--env', 'dev', '--kubeconfig', api.kubeconfig, '--request-timeout', '0.3'], {
      clock: time.clock,
    });
    expect(slow.code).toBe(2);
    expect(slow.stderr).toMatch(
      /^error: cannot reach the cluster at http:\/\/127\.0\.0\.1:\d+ .*no answer within 300 ms/,
    );
    expect(time.waits).toEqual([500, 1000, 2000]);
    writeFileSync(api.kubeconfig, readFileSync(api.kubeconfig, 'utf8').replace('test-token', 'wrong'));
    const denied = await drift(['--env', 'dev', '--kubeconfig', api.kubeconfig]);
    expect(denied.code).toBe(2);
    expect(denied.stderr).toMatch(/refused the credentials \(401\)/);
  });

  it('--notify posts when the result changed since the last post for the environment, --notify-always regardless', async () => {
    const slack = await startSlackDouble([{ status: 200, body: 'ok' }]);
    cleanups.push(slack.close);
    const state = path.join(scratch, 'notify-state.json');
    const env = { SLACK_WEBHOOK_URL: slack.url };
    const notify = (file: string, ...more: string[]) =>
      drift(['--env', 'dev', '--snapshot', file, '--notify', '--notify-state', state, ...more], { env });
    const first = await notify(snapshot(cluster(drifted)));
    expect(first.code).toBe(1);
    expect(slack.received).toHaveLength(1);
    expect((slack.received[0] as { text: string }).text).toMatch(
      /^Drift report: dev: \*dev\* drifted from git: 3 resources/,
    );
    expect(JSON.parse(readFileSync(state, 'utf8')).dev).toMatchObject({ summary: '3 resources drifted' });
    const same = await notify(snapshot(cluster(drifted)));
    expect(slack.received).toHaveLength(1);
    expect(same.stderr).toMatch(
      /Slack: dev unchanged since the post of \S+ \(3 resources drifted\); not posted/,
    );
    await notify(snapshot(cluster(drifted)), '--notify-always');
    expect(slack.received).toHaveLength(2);
    const fixed = await notify(snapshot(cluster()));
    expect(fixed.code).toBe(0);
    expect(slack.received).toHaveLength(3);
    expect((slack.received[2] as { text: string }).text).toMatch(/\*dev\* matches git/);
    expect(first.stdout + first.stderr + same.stderr).not.toContain('XXXXSECRETXXXX');
  });
});
