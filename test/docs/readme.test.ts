import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../scripts/lib/repo/resource.ts';
import { openRepository } from '../../scripts/lib/repo/repository.ts';
import { REPO_ROOT, renderCache } from '../helpers/fixture-repo.ts';
import { git } from '../helpers/git-fixture.ts';
import { startKubeApiDouble } from '../helpers/kube-api-double.ts';
import { makeSealingKey } from '../helpers/sealing-key.ts';
import { startSlackDouble } from '../helpers/slack-double.ts';
import {
  commandTitle,
  docCommands,
  expectAsDocumented,
  openWorkspace,
  type DocsWorkspace,
} from './docs-workspace.ts';

// One test per command, in order, in one copy: each builds on what the ones before it did.
const commands = docCommands('README.md');
let ws: DocsWorkspace;
let env: NodeJS.ProcessEnv;
let synced: () => void;
let slack: Awaited<ReturnType<typeof startSlackDouble>>;
const outputs: string[] = [];
const closers: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  ws = openWorkspace();
  closers.push(() => ws.close());
  const repo = ws.repo;
  // A cluster where Argo CD has synced every Application to the copy's latest commit and every
  // rollout finished, in every environment; it holds the mesh config dev renders to (for kubectl).
  const snapshot = yaml.loadAll(
    readFileSync(path.join(REPO_ROOT, 'docs/examples/dev-snapshot.yaml'), 'utf8'),
  ) as (KubeObject & { status?: Record<string, any>; spec?: Record<string, any> })[];
  const opened = await openRepository(repo, { cacheDir: renderCache(), env: { ...process.env, HELM: '' } });
  const mesh = (await opened.render('dev')).resources
    .map((r) => r.object)
    .filter((o) =>
      ['VirtualService', 'DestinationRule', 'Gateway', 'ServiceEntry', 'Service'].includes(o.kind!),
    );
  opened.dispose();
  const objects = [...snapshot, ...(structuredClone(mesh) as typeof snapshot)];
  synced = () => {
    const head = git(repo, 'rev-parse', 'HEAD');
    for (const o of objects) {
      if (o.kind === 'Application')
        o.status = { sync: { status: 'Synced', revision: head }, health: { status: 'Healthy' } };
      if (o.kind === 'Deployment') {
        const n = o.spec?.replicas ?? 1;
        o.status = {
          observedGeneration: 3,
          replicas: n,
          readyReplicas: n,
          updatedReplicas: n,
          availableReplicas: n,
        };
      }
    }
  };
  synced();
  const api = await startKubeApiDouble({
    objects,
    contexts: ['staging', 'prod'],
    pageSize: 500,
    anonymous: true,
  });
  closers.push(() => api.close());
  slack = await startSlackDouble([{ status: 200, body: 'ok' }]);
  closers.push(() => slack.close());
  // Fetched once per cluster with kubeseal in real life (a line of the README the test does not run).
  writeFileSync(path.join(repo, 'clusters/dev/sealed-secrets.pem'), makeSealingKey().certPem);
  env = ws.env({
    KUBECONFIG: api.kubeconfig,
    SLACK_WEBHOOK_URL: slack.url,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
  });
});
afterAll(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('every command in README.md works as written, in order, against a cluster and Slack test double', () => {
  it('shows enough commands to be the guide', () => {
    expect(commands.length).toBeGreaterThan(20);
  });
  for (const c of commands)
    it(commandTitle(c), async () => {
      const r = await ws.run(c, env);
      // Argo CD syncs what was pushed: the double's Applications follow the copy's HEAD, which only
      // promotions and git commands move (asking git after every command costs a process each).
      if (/\bpromote\b|^git /.test(c.line)) synced();
      if (r) outputs.push(r.output);
      expectAsDocumented(r);
    });
  it('sent the documented Slack notifications and never printed the webhook URL', () => {
    expect(slack.received.length).toBeGreaterThan(0);
    expect(outputs.join('\n')).not.toContain('XXXXSECRETXXXX');
  });
});
