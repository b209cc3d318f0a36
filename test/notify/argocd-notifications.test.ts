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

/**
 * Just enough of Go's text/template (with the sprig functions the templates use) to render them as
 * the notifications controller would: fields of the data, `if`/`else`/`end`, `range $i, $v :=`,
 * `and`, `not`, `printf`, `call`, `trunc`, `toJson`, `trimAll`. As in Go, a missing field is nil, `if`
 * and `range` take nil as empty, and passing nil to a function that wants a string is an error:
 * what the controller reports as a template that fails to render, and no message is sent.
 */
function renderGoTemplate(text: string, data: Record<string, unknown>): string {
  type Node =
    | string
    | { action: string }
    | { if: string; then: Node[]; else: Node[] }
    | { range: string; key: string; value: string; body: Node[] };
  const parts = text.split(/(\{\{.*?\}\})/s);
  let at = 0;
  const parse = (stop: string[]): { nodes: Node[]; end: string } => {
    const nodes: Node[] = [];
    while (at < parts.length) {
      const p = parts[at++]!;
      if (!p.startsWith('{{')) {
        if (p) nodes.push(p);
        continue;
      }
      const a = p.slice(2, -2).trim();
      if (stop.includes(a)) return { nodes, end: a };
      const ifm = /^if (.*)$/s.exec(a);
      const rm = /^range \$(\w+), \$(\w+) := (.*)$/s.exec(a);
      if (ifm) {
        const then = parse(['else', 'end']);
        nodes.push({ if: ifm[1]!, then: then.nodes, else: then.end === 'else' ? parse(['end']).nodes : [] });
      } else if (rm) nodes.push({ range: rm[3]!, key: rm[1]!, value: rm[2]!, body: parse(['end']).nodes });
      else nodes.push({ action: a });
    }
    return { nodes, end: '' };
  };
  const tokens = (src: string) => src.match(/"(?:[^"\\]|\\.)*"|\(|\)|\||[^\s()|]+/g) ?? [];
  const vars: Record<string, unknown> = {};
  // A missing key is nil; a field of nil is an error ("nil pointer evaluating interface {}.x").
  const field = (path: string, from: unknown) =>
    path
      .split('.')
      .filter(Boolean)
      .reduce<unknown>((o, k) => {
        if (o == null) throw new Error(`nil pointer evaluating interface {}.${k} in ${path}`);
        return (o as Record<string, unknown>)[k];
      }, from);
  const str = (fn: string, v: unknown): string => {
    if (typeof v !== 'string') throw new Error(`${fn}: invalid value; expected string, got ${String(v)}`);
    return v;
  };
  const funcs: Record<string, (...args: unknown[]) => unknown> = {
    not: (x) => !x,
    trunc: (n, s) => str('trunc', s).slice(0, Number(n)),
    toJson: (v) => JSON.stringify(v ?? null),
    trimAll: (cut, s) => str('trimAll', s).replace(new RegExp(`^[${cut}]+|[${cut}]+$`, 'g'), ''),
    printf: (f, ...a) => {
      let k = 0;
      return str('printf', f).replace(/%s/g, () => str('printf', a[k++]));
    },
    call: (fn, ...a) => (fn as (...x: unknown[]) => unknown)(...a),
  };
  const evalPipeline = (src: string): unknown => {
    const toks = tokens(src);
    let pos = 0;
    // Operands are evaluated when used: Go's `and` stops at the first empty one.
    type Operand = { fn: string } | (() => unknown);
    const operand = (): Operand => {
      const t = toks[pos++]!;
      if (t === '(') {
        const start = pos;
        for (let depth = 1; depth; pos++) depth += toks[pos] === '(' ? 1 : toks[pos] === ')' ? -1 : 0;
        const inner = toks.slice(start, pos - 1).join(' ');
        const next = toks[pos];
        if (next?.startsWith('.') && next !== '.') {
          pos++;
          return () => field(next, evalPipeline(inner));
        }
        return () => evalPipeline(inner);
      }
      if (t.startsWith('"')) return () => JSON.parse(t);
      if (/^\d+$/.test(t)) return () => Number(t);
      if (t.startsWith('$')) return () => vars[t.slice(1)];
      if (t.startsWith('.')) return () => field(t, data);
      return { fn: t };
    };
    const command = (piped?: { v: unknown }): unknown => {
      const args: Operand[] = [];
      while (pos < toks.length && toks[pos] !== '|') args.push(operand());
      const [head, ...rest] = args;
      const value = (o: Operand | undefined) => (typeof o === 'function' ? o() : undefined);
      if (head && typeof head !== 'function') {
        if (head.fn === 'and') {
          let last: unknown;
          for (const o of rest) if (!(last = value(o))) return last;
          return last;
        }
        const fn = funcs[head.fn];
        if (!fn) throw new Error(`unknown function ${head.fn}`);
        return fn(...rest.map(value), ...(piped ? [piped.v] : []));
      }
      if (args.length !== 1 || piped) throw new Error(`cannot evaluate ${src}`);
      return value(head);
    };
    let v = command();
    while (toks[pos] === '|') {
      pos++;
      v = command({ v });
    }
    return v;
  };
  const truthy = (v: unknown) => (Array.isArray(v) ? v.length > 0 : Boolean(v));
  const run = (nodes: Node[]): string =>
    nodes
      .map((n) => {
        if (typeof n === 'string') return n;
        if ('action' in n) {
          const v = evalPipeline(n.action);
          if (v == null) throw new Error(`{{${n.action}}} is nil: Go would print "<no value>"`);
          return String(v);
        }
        if ('if' in n) return run(truthy(evalPipeline(n.if)) ? n.then : n.else);
        const list = (evalPipeline(n.range) ?? []) as unknown[];
        return list
          .map((item, k) => {
            vars[n.key] = k;
            vars[n.value] = item;
            return run(n.body);
          })
          .join('');
      })
      .join('');
  return run(parse([]).nodes);
}

const GIT_REPO = 'https://github.com/example-org/istio-gitops-platform.git';
const COMMIT = '0123456789abcdef0123456789abcdef01234567';
/** Three kinds of Application, with the status Argo CD writes for each (controller/state.go). */
function appData(kind: 'git' | 'chart and values' | 'chart'): Record<string, unknown> {
  const chart = {
    repoURL: 'https://istio-release.storage.googleapis.com/charts',
    chart: 'istiod',
    targetRevision: '1.30.0',
  };
  const git = { repoURL: GIT_REPO, targetRevision: 'main', path: 'istio/mesh/overlays/prod' };
  const spec =
    kind === 'git'
      ? { source: git }
      : kind === 'chart'
        ? { source: chart }
        : { sources: [chart, { ...git, ref: 'values' }] };
  const revisions =
    kind === 'git'
      ? { revision: COMMIT }
      : kind === 'chart'
        ? { revision: '1.30.0' }
        : { revisions: ['1.30.0', COMMIT] };
  const lookedUp: string[] = [];
  return {
    app: {
      metadata: { name: 'backend-api' },
      spec,
      status: {
        sync: { status: 'OutOfSync', ...revisions },
        health: { status: 'Degraded' },
        operationState: {
          finishedAt: '2026-11-22T10:00:00Z',
          message: 'one or more objects failed to apply, reason: "quoted" \\ and\nnewline',
          syncResult: revisions,
        },
      },
    },
    context: { environment: 'prod', argocdUrl: 'https://argocd.example.com' },
    repo: {
      // As argo-cd util/notification/expression/repo/repo.go: only spec.source.repoURL is read.
      GetCommitMetadata: (sha: unknown) => {
        if (!(spec as { source?: { repoURL?: string } }).source?.repoURL)
          throw new Error('failed to get application source repo URL');
        if (sha !== COMMIT) throw new Error(`${String(sha)} is not a commit of ${GIT_REPO}`);
        lookedUp.push(sha);
        return { Author: 'Ada "the" Lovelace <ada@example.com>' };
      },
    },
  };
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
    // As argo-cd's notifications_catalog: right after a sync the Healthy status may still be the old one.
    expect(cm['trigger.on-deployed']).toContain(
      'time.Parse(app.status.health.lastTransitionTime).Before(time.Parse(app.status.operationState.startedAt))',
    );
  });

  it.each(ENVS)(
    '%s: every template renders to valid Slack Block Kit JSON, for one git source, a chart with git values, a chart',
    (env) => {
      const cm = cms[env]!;
      const shown = {
        git: '0123456789ab',
        'chart and values': '1.30.0, 0123456789ab',
        chart: '1.30.0',
      } as const;
      for (const kind of ['git', 'chart and values', 'chart'] as const) {
        for (const key of Object.keys(cm).filter((k) => k.startsWith('template.'))) {
          const where = `${key} (${kind})`;
          const tpl = yaml.load(cm[key]!) as { message: string; slack: { blocks: string } };
          expect(renderGoTemplate(tpl.message, appData(kind)), where).toContain('backend-api');
          const blocks = JSON.parse(renderGoTemplate(tpl.slack.blocks, appData(kind))) as {
            type: string;
            text?: { type: string; text: string };
            fields?: unknown[];
            elements?: { url?: string }[];
          }[];
          expect(blocks.length, where).toBeLessThanOrEqual(50);
          for (const b of blocks) {
            expect(BLOCK_TYPES.has(b.type), `${where}: ${b.type}`).toBe(true);
            if (b.type === 'header') expect(b.text!.type).toBe('plain_text');
            if (b.type === 'section') expect(b.text ?? b.fields, where).toBeTruthy();
            for (const e of b.elements ?? [])
              if (e.url) expect(e.url).toMatch(/^https:\/\/argocd\.example\.com\/applications\/backend-api/);
          }
          const all = JSON.stringify(blocks);
          expect(all, `${where} names the app`).toContain('backend-api');
          expect(all, `${where} names the environment`).toContain('prod');
          expect(all, `${where} names the revision`).toContain(shown[kind]);
          if (/Author|commit by/.test(tpl.slack.blocks))
            expect(all.includes('Ada \\"the\\" Lovelace'), `${where}: the author only for a git source`).toBe(
              kind === 'git',
            );
        }
      }
    },
  );

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
