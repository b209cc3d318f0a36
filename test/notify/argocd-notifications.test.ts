import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository, type Repository } from '../../scripts/lib/repo/repository.ts';
import type { KubeObject } from '../../scripts/lib/repo/resource.ts';
import { REPO_ROOT, renderCache } from '../helpers/fixture-repo.ts';

const ENVS = ['dev', 'staging', 'prod'];
let repo: Repository;
const cms: Record<string, Record<string, string>> = {};
const projects: Record<string, KubeObject> = {};

beforeAll(async () => {
  repo = await openRepository(REPO_ROOT, { cacheDir: renderCache() });
  for (const env of ENVS) {
    const r = await repo.render(env);
    const find = (kind: string, name: string) =>
      r.resources.find((x) => x.object.kind === kind && x.object.metadata?.name === name)!.object;
    cms[env] = find('ConfigMap', 'argocd-notifications-cm').data as Record<string, string>;
    projects[env] = find('AppProject', 'platform');
  }
});
afterAll(() => repo.dispose());

/** Sample values for the Go-template expressions the templates use, as the controller would render them. */
const SAMPLE: Record<string, string> = {
  '.app.metadata.name': 'backend-api',
  '.context.environment': 'prod',
  '.context.argocdUrl': 'https://argocd.example.com',
  '.app.status.sync.revision': '0123456789abcdef0123456789abcdef01234567',
  '.app.status.operationState.syncResult.revision': '0123456789abcdef0123456789abcdef01234567',
  '.app.status.health.status': 'Degraded',
  '.app.status.sync.status': 'OutOfSync',
  '.app.status.operationState.finishedAt': '2026-11-22T10:00:00Z',
  '.app.status.operationState.message':
    'one or more objects failed to apply, reason: "quoted" \\ and\nnewline',
};

function renderGoTemplate(text: string): string {
  return text.replace(/\{\{\s*(.*?)\s*\}\}/g, (_m, expr: string) => {
    if (expr.startsWith('(call .repo.GetCommitMetadata')) return 'Ada Lovelace <ada@example.com>';
    const [head, ...pipes] = expr.split('|').map((s) => s.trim());
    let value = SAMPLE[head!];
    if (value === undefined) throw new Error(`template uses an expression the test does not know: ${expr}`);
    for (const p of pipes) {
      const trunc = /^trunc (\d+)$/.exec(p);
      if (trunc) value = value.slice(0, Number(trunc[1]));
      else if (p === 'toJson') value = JSON.stringify(value);
      else throw new Error(`unknown pipe ${p}`);
    }
    return value;
  });
}

const BLOCK_TYPES = new Set(['header', 'section', 'context', 'actions', 'divider']);

describe('Argo CD notifications configuration', () => {
  it.each(ENVS)('%s: every trigger sends templates that exist', (env) => {
    const cm = cms[env]!;
    const triggers = Object.keys(cm).filter((k) => k.startsWith('trigger.'));
    expect(triggers.map((t) => t.slice(8)).sort()).toEqual(
      [
        'on-deployed',
        'on-health-degraded',
        'on-out-of-sync',
        'on-sync-failed',
        'on-sync-status-unknown',
        'on-sync-succeeded',
      ].sort(),
    );
    for (const t of triggers) {
      const conditions = yaml.load(cm[t]!) as { send: string[]; when: string; oncePer?: string }[];
      for (const c of conditions) {
        expect(c.when, t).toBeTruthy();
        expect(c.oncePer, `${t} fires once per revision`).toMatch(/revision/);
        for (const name of c.send) expect(cm[`template.${name}`], `${t} → ${name}`).toBeDefined();
      }
    }
  });

  it.each(ENVS)('%s: every template renders to valid Slack Block Kit JSON', (env) => {
    const cm = cms[env]!;
    for (const key of Object.keys(cm).filter((k) => k.startsWith('template.'))) {
      const tpl = yaml.load(cm[key]!) as { message: string; slack: { blocks: string } };
      expect(renderGoTemplate(tpl.message), key).toContain('backend-api');
      const blocks = JSON.parse(renderGoTemplate(tpl.slack.blocks)) as {
        type: string;
        text?: { type: string; text: string };
        fields?: unknown[];
        elements?: { url?: string }[];
      }[];
      expect(blocks.length, key).toBeLessThanOrEqual(50);
      for (const b of blocks) {
        expect(BLOCK_TYPES.has(b.type), `${key}: ${b.type}`).toBe(true);
        if (b.type === 'header') expect(b.text!.type).toBe('plain_text');
        if (b.type === 'section') expect(b.text ?? b.fields, key).toBeTruthy();
        for (const e of b.elements ?? [])
          if (e.url) expect(e.url).toMatch(/^https:\/\/argocd\.example\.com\/applications\/backend-api/);
      }
      const all = JSON.stringify(blocks);
      expect(all, `${key} names the app`).toContain('backend-api');
      expect(all, `${key} names the environment`).toContain('prod');
      expect(all, `${key} names the revision`).toContain('0123456789ab');
    }
  });

  it.each(ENVS)('%s: subscriptions name triggers and services that exist', (env) => {
    const cm = cms[env]!;
    const subs = Object.entries(projects[env]!.metadata!.annotations ?? {}).filter(([k]) =>
      k.startsWith('notifications.argoproj.io/subscribe.'),
    );
    expect(subs.length).toBeGreaterThan(0);
    for (const [k, channel] of subs) {
      const [trigger, service] = k.slice('notifications.argoproj.io/subscribe.'.length).split('.');
      expect(cm[`trigger.${trigger}`], k).toBeDefined();
      expect(cm[`service.${service}`], k).toBeDefined();
      expect(channel).toMatch(new RegExp(`-${env}$`));
    }
  });

  it('prod alone is told about drift; the context names each environment', () => {
    const outOfSync = (env: string) =>
      Object.keys(projects[env]!.metadata!.annotations ?? {}).some((k) => k.includes('on-out-of-sync'));
    expect(ENVS.filter(outOfSync)).toEqual(['prod']);
    for (const env of ENVS)
      expect((yaml.load(cms[env]!.context!) as { environment: string }).environment).toBe(env);
  });

  it('the Slack token is a secret reference, never a literal', () => {
    for (const env of ENVS)
      expect(yaml.load(cms[env]!['service.slack']!)).toMatchObject({ token: '$slack-token' });
  });
});
