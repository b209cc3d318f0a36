import { writeFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { openRepository } from '../../scripts/lib/repo/repository.ts';
import type { KubeObject } from '../../scripts/lib/repo/resource.ts';
import { fixtureRepo } from '../helpers/fixture-repo.ts';
import { startKubeApiDouble } from '../helpers/kube-api-double.ts';
import { runScript } from '../helpers/run-script.ts';
import { startSlackDouble } from '../helpers/slack-double.ts';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** The fixture repo and its dev environment as a cluster would hold it, with drift applied. */
async function setup() {
  const fx = fixtureRepo('validate/clean');
  cleanups.push(fx.cleanup);
  const repo = await openRepository(fx.dir, { cacheDir: null });
  const desired = (await repo.render('dev')).resources.map((r) => structuredClone(r.object));
  repo.dispose();
  const live: KubeObject[] = desired.map((o) => ({
    ...structuredClone(o),
    metadata: { ...o.metadata, uid: 'x', resourceVersion: '1' },
    status: { observed: true },
  }));
  const dep = live.find((o) => o.kind === 'Deployment')! as KubeObject & { spec: any };
  dep.spec.replicas = 5;
  dep.spec.template.spec.containers[0].resources.limits.cpu = '0.5';
  live.push({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'old',
      namespace: 'web',
      annotations: { 'argocd.argoproj.io/tracking-id': 'web:/ConfigMap:web/old' },
    },
  });
  live.push({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kube-root-ca.crt', namespace: 'web' },
  });
  return { dir: fx.dir, live };
}

describe('zx scripts/drift.mjs (end to end)', () => {
  it('against a snapshot: changed fields, extra tracked resources, quantities by value; exit 1', async () => {
    const { dir, live } = await setup();
    writeFileSync(path.join(dir, 'snap.yaml'), yaml.dump({ apiVersion: 'v1', kind: 'List', items: live }));
    const r = await runScript('drift', ['--env', 'dev', '--snapshot', 'snap.yaml', '--format', 'json'], {
      cwd: dir,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const [report] = JSON.parse(r.stdout);
    expect(report.drift).toEqual([
      { state: 'extra', resource: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'web', name: 'old' } },
      {
        state: 'changed',
        resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'web', name: 'web' },
        fields: [{ path: 'spec.replicas', git: 2, live: 5 }],
      },
    ]);
  });

  it('exit 0 when the cluster matches, text and markdown reports', async () => {
    const { dir, live } = await setup();
    const dep = live.find((o) => o.kind === 'Deployment')! as KubeObject & { spec: any };
    dep.spec.replicas = 2;
    const clean = live.filter((o) => o.metadata?.name !== 'old');
    writeFileSync(path.join(dir, 'snap.yaml'), clean.map((o) => yaml.dump(o)).join('---\n'));
    const text = await runScript('drift', ['--env', 'dev', '--snapshot', 'snap.yaml'], { cwd: dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toBe('dev (snapshot snap.yaml): no drift\n');
    const md = await runScript('drift', ['--env', 'dev', '--snapshot', 'snap.yaml', '--format', 'markdown'], {
      cwd: dir,
    });
    expect(md.stdout).toContain('### Drift: dev');
  });

  it('against a test-double API server: discovery, pagination, a 403 kind skipped, a 500 retried', async () => {
    const { dir, live } = await setup();
    const api = await startKubeApiDouble({
      objects: live,
      forbidden: ['appprojects'],
      flaky: ['deployments'],
      pageSize: 1,
    });
    cleanups.push(api.close);
    const r = await runScript('drift', ['--env', 'dev', '--kubeconfig', api.kubeconfig, '--context', 'dev'], {
      cwd: dir,
    });
    expect(r.stderr).toBe('');
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
  });

  it('an unreachable cluster or bad credentials: one line, exit 2', async () => {
    const { dir, live } = await setup();
    const api = await startKubeApiDouble({ objects: live, hang: ['services', 'configmaps'] });
    cleanups.push(api.close);
    const slow = await runScript(
      'drift',
      ['--env', 'dev', '--kubeconfig', api.kubeconfig, '--request-timeout', '0.3'],
      { cwd: dir },
    );
    expect(slow.code).toBe(2);
    expect(slow.stderr).toMatch(
      /^error: cannot reach the cluster at http:\/\/127\.0\.0\.1:\d+ .*no answer within 300 ms/,
    );
    expect(slow.stderr).not.toMatch(/\n\s+at /);
    writeFileSync(
      api.kubeconfig,
      (await import('node:fs')).readFileSync(api.kubeconfig, 'utf8').replace('test-token', 'wrong'),
    );
    const denied = await runScript('drift', ['--env', 'dev', '--kubeconfig', api.kubeconfig], { cwd: dir });
    expect(denied.code).toBe(2);
    expect(denied.stderr).toMatch(/refused the credentials \(401\)/);
  });

  it('--notify posts a summary to a Slack test double without printing the URL', async () => {
    const { dir, live } = await setup();
    writeFileSync(path.join(dir, 'snap.yaml'), yaml.dump({ apiVersion: 'v1', kind: 'List', items: live }));
    const slack = await startSlackDouble([{ status: 200, body: 'ok' }]);
    cleanups.push(slack.close);
    const r = await runScript('drift', ['--env', 'dev', '--snapshot', 'snap.yaml', '--notify'], {
      cwd: dir,
      env: { SLACK_WEBHOOK_URL: slack.url },
    });
    expect(r.code).toBe(1);
    expect(slack.received).toHaveLength(1);
    expect((slack.received[0] as { text: string }).text).toMatch(
      /^Drift report: dev: \*dev\* drifted from git: 2 resources/,
    );
    expect(r.stdout + r.stderr).not.toContain(slack.url);
  });
});
