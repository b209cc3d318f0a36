import { statSync } from 'node:fs';
import path from 'node:path';
import type { CommandIO } from '../cli/io.ts';
import { oneOf, parseFlags } from '../cli/flags.ts';
import { writeFileAtomic } from '../cli/write-file-atomic.ts';
import { outputFlag } from '../cli/output-path.ts';
import { UsageError } from '../errors.ts';
import {
  assessHealth,
  formatHealthSummary,
  formatHealthText,
  groupKind,
  type EnvironmentHealth,
  type WaitFor,
} from '../cluster/assess-health.ts';
import { kindsOf, openKubeApi, type KindRef } from '../cluster/kube-api.ts';
import { loadSnapshot } from '../cluster/snapshot.ts';
import { formatHealthMessage } from '../notify/format-health.ts';
import { describeOutcome, renderDryRun, sendSlack } from '../notify/send-slack.ts';
import { isApplication } from '../repo/application.ts';
import { appsWithChartsNotRendered, chartsNotRenderedNotice } from '../repo/helm-not-rendered.ts';
import { openRepository, type Repository } from '../repo/repository.ts';
import type { KubeObject } from '../repo/resource.ts';
import { environmentNamed, inPromotionOrder } from '../repo/settings.ts';
import type { EnvironmentRender } from '../repo/walk.ts';
import { durationMs } from '../check/rules/rule-helpers.ts';
import { systemClock, type Clock } from '../time/clock.ts';
import { appendTo } from '../collections/map-of-lists.ts';

export const HEALTH_USAGE = `Usage: zx scripts/health.mjs [--env NAME]... [--app NAME]... [--wait [--timeout 10m] [--revision SHA]] [options]

Reads the environment's Argo CD Applications: sync status, revision, health and operation, one line per
app with children under their parent, and for each app the resources that are not Healthy and why
(Argo CD's built-in checks, and this repo's Lua checks from argocd-cm); one summary line at the end.

  --env NAME        environment (repeatable; default: all)
  --app NAME        only this Application (repeatable; default: all)
  --wait            poll until every app is Synced and Healthy (at --revision when given)
  --wait-for W      what to wait for, as argocd app wait: sync, health or both (default both;
                    implies --wait)
  --timeout D       how long to wait (default 10m; 90s, 10m, 1h)
  --interval S      seconds between polls (default 10)
  --revision SHA    the git revision every app must be synced to
  --snapshot FILE   kubectl get … -o yaml output (Applications and resources) instead of a cluster;
                    resources of kinds it does not hold are "not in snapshot", not Missing
  --kubeconfig F, --context C   cluster access (default: the environment's kubeContext)
  --format F        text (default) or json
  --output FILE     write the report to FILE
  --notify          post the result to Slack (SLACK_WEBHOOK_URL); with --dry-run, print it to stderr
  --dry-run         with --notify: print the Slack message, send nothing
  --help

Exit: 0 all apps reached what was waited for, 1 otherwise (or timed out), 2 could not run.`;

/** What tests inject: time for polling, request timeouts and retries; a repository already rendered. */
export interface HealthDeps {
  clock?: Clock;
  /** Used as is and left open (the caller owns it), instead of opening io.cwd. */
  repository?: Repository;
}

export async function main(args: string[], io: CommandIO, deps: HealthDeps = {}): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      env: { type: 'string', multiple: true },
      app: { type: 'string', multiple: true },
      wait: { type: 'boolean' },
      'wait-for': { type: 'string' },
      timeout: { type: 'string' },
      interval: { type: 'string' },
      revision: { type: 'string' },
      snapshot: { type: 'string' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      format: { type: 'string' },
      output: { type: 'string' },
      notify: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    HEALTH_USAGE,
  );
  if (values.help) {
    io.stdout(`${HEALTH_USAGE}\n`);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
  const output = outputFlag(values.output, io.cwd);
  const waitFor: WaitFor = oneOf('wait-for', values['wait-for'], ['sync', 'health', 'both'] as const, 'both');
  const wait = values.wait || values['wait-for'] !== undefined;
  const timeout = durationMs(values.timeout ?? '10m');
  if (timeout === undefined)
    throw new UsageError(`--timeout "${values.timeout}" is not a duration (e.g. 90s, 10m)`);
  const interval = Number(values.interval ?? 10) * 1000;
  if (!(interval > 0)) throw new UsageError('--interval takes a number of seconds');
  const clock = deps.clock ?? systemClock;
  const unreadWhy = values.snapshot ? 'not in snapshot' : 'not readable (403), not checked';
  const repo = deps.repository ?? (await openRepository(io.cwd, { env: io.env }));
  try {
    const declared = repo.settings.environments.map((e) => e.name);
    const envs = values.env?.length ? inPromotionOrder(values.env, declared) : declared;
    const results: EnvironmentHealth[] = [];
    const renders: EnvironmentRender[] = [];
    for (const name of envs) {
      const env = environmentNamed(repo.settings, name);
      const render = await repo.render(name);
      renders.push(render);
      const tree = render.applications.map((a) => ({ name: a.name, parent: a.parent }));
      for (const a of values.app ?? [])
        if (!tree.some((n) => n.name === a))
          throw new UsageError(
            `--app ${a}: ${name} has no Application named "${a}"`,
            `its Applications: ${tree
              .map((n) => n.name)
              .sort()
              .join(', ')}`,
          );
      const desiredByApp = new Map<string, KubeObject[]>();
      for (const r of render.resources) if (r.app) appendTo(desiredByApp, r.app, r.object);
      const lua = new Map<string, string>();
      const cm = render.resources.find(
        (r) => r.object.kind === 'ConfigMap' && r.object.metadata?.name === 'argocd-cm',
      );
      for (const [k, v] of Object.entries((cm?.object.data ?? {}) as Record<string, string>)) {
        const m = /^resource\.customizations\.health\.(.+)$/.exec(k);
        if (m) lua.set(m[1]!, v);
      }
      const kinds = kindsOf([
        ...render.resources.map((r) => r.object),
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' },
      ]);
      const api = values.snapshot
        ? undefined
        : await openKubeApi({
            kubeconfig: values.kubeconfig,
            context: values.context ?? env.kubeContext,
            clock,
            env: io.env,
          });
      const snapshot = values.snapshot
        ? snapshotReader(path.resolve(io.cwd, values.snapshot), render)
        : undefined;
      const deadline = clock.now() + timeout;
      for (;;) {
        const { live, unreadKinds } = snapshot ? snapshot() : await fromCluster(api!, kinds);
        const liveApps = live.filter(
          (o) => isApplication(o) && (o.metadata?.namespace ?? env.argocdNamespace) === env.argocdNamespace,
        );
        const assessed = assessHealth({
          tree,
          liveApps,
          desiredByApp,
          live,
          lua,
          unreadKinds,
          waitFor,
          ...(values.app?.length ? { apps: values.app } : {}),
          ...(values.revision ? { revision: values.revision } : {}),
        });
        if (assessed.ok || !wait || clock.now() + interval > deadline) {
          results.push({ env: name, ...assessed });
          if (wait && !assessed.ok)
            io.stderr(
              `timed out after ${values.timeout ?? '10m'} waiting for ${name}: ${assessed.rows
                .filter((r) => !r.ok)
                .map((r) => `${r.name} ${r.sync}/${r.health}${r.message ? ` (${r.message})` : ''}`)
                .join('; ')}\n`,
            );
          break;
        }
        await clock.sleep(interval);
      }
    }
    const report =
      format === 'json'
        ? `${JSON.stringify(results, null, 2)}\n`
        : results.map((r) => formatHealthText(r.env, r.rows, unreadWhy)).join('') +
          formatHealthSummary(results, waitFor, unreadWhy);
    if (output) writeFileAtomic(output, report);
    else io.stdout(report);
    const notice = chartsNotRenderedNotice(
      appsWithChartsNotRendered(renders),
      'the health of the objects they create was not checked',
    );
    if (notice) io.stderr(notice);
    if (values.notify)
      for (const r of results) {
        const message = formatHealthMessage({
          env: r.env,
          ...(values.revision ? { revision: values.revision } : {}),
          apps: r.rows.map((row) => ({
            name: row.name,
            sync: row.sync,
            health: row.health,
            ...(row.message
              ? { message: row.message }
              : row.resources[0]
                ? { message: `${row.resources[0].id}: ${row.resources[0].status}` }
                : {}),
          })),
        });
        if (values['dry-run']) io.stderr(renderDryRun(message));
        else io.stderr(`${describeOutcome(await sendSlack(message, { env: io.env, clock }))}\n`);
      }
    return results.every((r) => r.ok) ? 0 : 1;
  } finally {
    if (!deps.repository) repo.dispose();
  }
}

/**
 * A snapshot shows only the kinds it holds: the environment's other kinds are unread, not Missing.
 * Each poll reads the file again only when it changed.
 */
function snapshotReader(file: string, render: EnvironmentRender) {
  let seen: { stamp: string; live: KubeObject[]; unreadKinds: Set<string> } | undefined;
  return () => {
    const st = statSync(file, { throwIfNoEntry: false });
    const stamp = st ? `${st.mtimeMs}:${st.size}` : '';
    if (seen?.stamp === stamp && stamp) return seen;
    const live = loadSnapshot(file);
    if (!live.some(isApplication))
      throw new UsageError(
        `the snapshot ${file} holds no Argo CD Applications: their status is what health reads`,
        'include them: kubectl get applications.argoproj.io -A -o yaml',
      );
    const held = new Set(live.map(groupKind));
    const unreadKinds = new Set(render.resources.map((r) => groupKind(r.object)).filter((k) => !held.has(k)));
    seen = { stamp, live, unreadKinds };
    return seen;
  };
}

/** A cluster shows every kind it serves, except those the credentials may not list (403). */
async function fromCluster(api: Awaited<ReturnType<typeof openKubeApi>>, kinds: KindRef[]) {
  const listed = await api.list(kinds);
  const unreadKinds = new Set(
    listed.forbidden.map((k) => {
      const [apiVersion, kind] = k.split(' ') as [string, string];
      return groupKind({ apiVersion, kind });
    }),
  );
  return { live: listed.items, unreadKinds };
}
