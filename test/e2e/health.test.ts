import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openRepository } from '../../scripts/lib/repo/repository.ts';
import type { KubeObject } from '../../scripts/lib/repo/resource.ts';
import { REPO_ROOT } from '../helpers/fixture-repo.ts';
import { startKubeApiDouble } from '../helpers/kube-api-double.ts';
import { runScript } from '../helpers/run-script.ts';
import { startSlackDouble } from '../helpers/slack-double.ts';

const REV = '0123456789abcdef0123456789abcdef01234567';
let desired: KubeObject[] = [];
let appNames: string[] = [];
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

beforeAll(async () => {
  const repo = await openRepository(REPO_ROOT, { cacheDir: null });
  const render = await repo.render('dev');
  desired = render.resources.map((r) => structuredClone(r.object));
  appNames = render.applications.map((a) => a.name);
  repo.dispose();
});

/** The dev cluster as the snapshot: every app Synced and Healthy at REV, with `change` applied. */
function cluster(change: (objects: KubeObject[]) => void = () => {}): KubeObject[] {
  const objects = desired.map((o) => {
    const copy = structuredClone(o) as KubeObject & { status?: unknown };
    if (copy.kind === 'Application')
      copy.status = {
        sync: { status: 'Synced', revision: REV },
        health: { status: 'Healthy' },
        operationState: { phase: 'Succeeded' },
      };
    return copy;
  });
  change(objects);
  return objects;
}

function snapshot(objects: KubeObject[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'health-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'snap.yaml');
  writeFileSync(file, yaml.dump({ apiVersion: 'v1', kind: 'List', items: objects }));
  return file;
}

const app = (objects: KubeObject[], name: string) =>
  objects.find((o) => o.kind === 'Application' && o.metadata?.name === name) as KubeObject & { status: any };

describe('zx scripts/health.mjs (end to end)', () => {
  it('all Synced and Healthy at the revision: exit 0, children under their parent', async () => {
    const r = await runScript(
      'health',
      ['--env', 'dev', '--snapshot', snapshot(cluster()), '--revision', REV],
      { cwd: REPO_ROOT },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('dev:');
    expect(lines[1]).toMatch(/^  root\s+Synced\s+Healthy\s+0123456789ab$/);
    expect(lines.filter((l) => /^    \S/.test(l)).map((l) => l.trim().split(/\s+/)[0])).toEqual(
      appNames.filter((n) => n !== 'root').sort(),
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
    const r = await runScript('health', ['--env', 'dev', '--snapshot', snapshot(objects)], {
      cwd: REPO_ROOT,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/mesh-config\s+Synced\s+Degraded/);
    expect(r.stdout).toContain(
      '✗ Gateway istio-ingress/public-gateway: Degraded — IST0101 Referenced credential not found',
    );
  });

  it('--wait times out naming what is stuck and why', async () => {
    const objects = cluster((os) => {
      app(os, 'istiod').status.sync = { status: 'OutOfSync', revision: REV };
    });
    const r = await runScript(
      'health',
      ['--env', 'dev', '--snapshot', snapshot(objects), '--wait', '--timeout', '1s', '--interval', '0.2'],
      { cwd: REPO_ROOT },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/timed out after 1s waiting for dev: istiod OutOfSync\/Healthy/);
  });

  it('waits for the revision: an app still at an older one is not done', async () => {
    const objects = cluster((os) => {
      app(os, 'mesh-config').status.sync.revision = 'ffffffffffffffffffffffffffffffffffffffff';
    });
    const r = await runScript(
      'health',
      ['--env', 'dev', '--snapshot', snapshot(objects), '--revision', REV, '--format', 'json'],
      { cwd: REPO_ROOT },
    );
    expect(r.code).toBe(1);
    const [env] = JSON.parse(r.stdout);
    expect(env.rows.find((x: { name: string }) => x.name === 'mesh-config')).toMatchObject({
      ok: false,
      message: 'at ffffffffffff, waiting for 0123456789ab',
    });
  });

  it('reads a cluster through a test-double API server and notifies Slack', async () => {
    const api = await startKubeApiDouble({ objects: cluster(), pageSize: 2 });
    cleanups.push(api.close);
    const slack = await startSlackDouble([
      { status: 500, body: '' },
      { status: 200, body: 'ok' },
    ]);
    cleanups.push(slack.close);
    const r = await runScript(
      'health',
      ['--env', 'dev', '--kubeconfig', api.kubeconfig, '--context', 'dev', '--notify', '--revision', REV],
      {
        cwd: REPO_ROOT,
        env: { SLACK_WEBHOOK_URL: slack.url },
      },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Slack: notification sent');
    expect(slack.received).toHaveLength(2);
    expect((slack.received[1] as { text: string }).text).toMatch(/^Sync succeeded: dev/);
    expect(r.stdout + r.stderr).not.toContain(slack.url);
  });
});
