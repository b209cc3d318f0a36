import type { CommandIO } from '../cli/io.ts';
import { oneOf, parseFlags } from '../cli/flags.ts';
import { UsageError } from '../errors.ts';
import { assessHealth, formatHealthText, type AppRow } from '../cluster/assess-health.ts';
import { openKubeApi } from '../cluster/kube-api.ts';
import { loadSnapshot } from '../cluster/snapshot.ts';
import { formatHealthMessage } from '../notify/format-health.ts';
import { describeOutcome, renderDryRun, sendSlack } from '../notify/send-slack.ts';
import { isApplication } from '../repo/application.ts';
import { openRepository } from '../repo/repository.ts';
import type { KubeObject } from '../repo/resource.ts';
import { environmentNamed } from '../repo/settings.ts';
import { durationMs } from '../check/rules/rule-helpers.ts';
import path from 'node:path';

export const HEALTH_USAGE = `Usage: zx scripts/health.mjs --env NAME [--wait --timeout 10m [--revision SHA]] [options]

Reads the environment's Argo CD Applications: sync status, revision, health and operation, one line per
app with children under their parent, and for each app the resources that are not Healthy and why
(Argo CD's built-in checks, and this repo's Lua checks from argocd-cm).

  --env NAME        environment (repeatable; default: all)
  --wait            poll until every app is Synced and Healthy (at --revision when given)
  --timeout D       how long to wait (default 10m; 90s, 10m, 1h)
  --interval S      seconds between polls (default 10)
  --revision SHA    the git revision every app must be synced to
  --snapshot FILE   kubectl get … -o yaml output (Applications and resources) instead of a cluster
  --kubeconfig F, --context C   cluster access (default: the environment's kubeContext)
  --format F        text (default) or json
  --notify          post the result to Slack (SLACK_WEBHOOK_URL); with --dry-run, print it
  --dry-run         with --notify: print the Slack message, send nothing
  --help

Exit: 0 all Synced and Healthy, 1 otherwise (or timed out), 2 could not run.`;

export async function main(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      env: { type: 'string', multiple: true },
      wait: { type: 'boolean' },
      timeout: { type: 'string' },
      interval: { type: 'string' },
      revision: { type: 'string' },
      snapshot: { type: 'string' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      format: { type: 'string' },
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
  const timeout = durationMs(values.timeout ?? '10m');
  if (timeout === undefined)
    throw new UsageError(`--timeout "${values.timeout}" is not a duration (e.g. 90s, 10m)`);
  const interval = Number(values.interval ?? 10) * 1000;
  if (!(interval > 0)) throw new UsageError('--interval takes a number of seconds');
  const repo = await openRepository(io.cwd);
  try {
    const envs = values.env?.length ? values.env : repo.settings.environments.map((e) => e.name);
    const results: { env: string; rows: AppRow[]; ok: boolean }[] = [];
    for (const name of envs) {
      const env = environmentNamed(repo.settings, name);
      const render = await repo.render(name);
      const tree = render.applications.map((a) => ({ name: a.name, parent: a.parent }));
      const desiredByApp = new Map<string, KubeObject[]>();
      for (const r of render.resources)
        if (r.app) desiredByApp.set(r.app, [...(desiredByApp.get(r.app) ?? []), r.object]);
      const lua = new Map<string, string>();
      const cm = render.resources.find(
        (r) => r.object.kind === 'ConfigMap' && r.object.metadata?.name === 'argocd-cm',
      );
      for (const [k, v] of Object.entries((cm?.object.data ?? {}) as Record<string, string>)) {
        const m = /^resource\.customizations\.health\.(.+)$/.exec(k);
        if (m) lua.set(m[1]!, v);
      }
      const kinds = new Map(
        render.resources.map((r) => [
          `${r.object.apiVersion}/${r.object.kind}`,
          { apiVersion: r.object.apiVersion!, kind: r.object.kind! },
        ]),
      );
      kinds.set('argoproj.io/v1alpha1/Application', {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
      });
      const api = values.snapshot
        ? undefined
        : openKubeApi({
            kubeconfig: values.kubeconfig,
            context: values.context ?? env.kubeContext,
          });
      const deadline = Date.now() + timeout;
      for (;;) {
        const live = values.snapshot
          ? loadSnapshot(path.resolve(io.cwd, values.snapshot))
          : (await api!.list([...kinds.values()])).items;
        const liveApps = live.filter(
          (o) => isApplication(o) && (o.metadata?.namespace ?? env.argocdNamespace) === env.argocdNamespace,
        );
        const assessed = assessHealth({
          tree,
          liveApps,
          desiredByApp,
          live,
          lua,
          ...(values.revision ? { revision: values.revision } : {}),
        });
        if (assessed.ok || !values.wait || Date.now() + interval > deadline) {
          results.push({ env: name, ...assessed });
          if (values.wait && !assessed.ok)
            io.stderr(
              `timed out after ${values.timeout ?? '10m'} waiting for ${name}: ${assessed.rows
                .filter((r) => !r.ok)
                .map((r) => `${r.name} ${r.sync}/${r.health}${r.message ? ` (${r.message})` : ''}`)
                .join('; ')}\n`,
            );
          break;
        }
        await new Promise((r) => setTimeout(r, interval));
      }
    }
    if (format === 'json') io.stdout(`${JSON.stringify(results, null, 2)}\n`);
    else for (const r of results) io.stdout(formatHealthText(r.env, r.rows));
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
        if (values['dry-run']) io.stdout(renderDryRun(message));
        else io.stderr(`${describeOutcome(await sendSlack(message, { env: io.env }))}\n`);
      }
    return results.every((r) => r.ok) ? 0 : 1;
  } finally {
    repo.dispose();
  }
}
