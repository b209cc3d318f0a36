import path from 'node:path';
import type { CommandIO } from '../cli/io.ts';
import { oneOf, parseFlags } from '../cli/flags.ts';
import { writeFileAtomic } from '../cli/write-file-atomic.ts';
import { outputFlag } from '../cli/output-path.ts';
import { ToolError, UsageError } from '../errors.ts';
import { diffResources, type DesiredResource } from '../cluster/diff-resources.ts';
import { driftFingerprint, readNotifyState, writeNotifyState } from '../cluster/drift-notify-state.ts';
import {
  drifted,
  formatDriftJson,
  formatDriftMarkdown,
  formatDriftText,
  notComparedByReason,
  type EnvironmentDrift,
} from '../cluster/drift-report.ts';
import type { IgnoreDifference } from '../cluster/ignore-differences.ts';
import { kindsOf, openKubeApi } from '../cluster/kube-api.ts';
import { loadSnapshot } from '../cluster/snapshot.ts';
import { environmentOfSnapshot } from '../cluster/snapshot-environment.ts';
import { trackedBy } from '../cluster/tracking.ts';
import { formatDriftMessage } from '../notify/format-drift.ts';
import { describeOutcome, renderDryRun, sendSlack } from '../notify/send-slack.ts';
import { appsWithChartsNotRendered, chartsNotRenderedNotice } from '../repo/helm-not-rendered.ts';
import { toolCacheDir } from '../repo/repo-root.ts';
import { openRepository } from '../repo/repository.ts';
import type { KubeObject } from '../repo/resource.ts';
import { environmentNamed, inPromotionOrder } from '../repo/settings.ts';
import type { EnvironmentRender } from '../repo/walk.ts';
import { systemClock, type Clock } from '../time/clock.ts';

export const DRIFT_USAGE = `Usage: zx scripts/drift.mjs [--env NAME]... [--snapshot FILE | --kubeconfig F --context C] [options]

Compares each environment's rendered resources (the validate walk) with the cluster, normalised as
Argo CD does, and reports resources missing in the cluster, changed fields, and extra resources
Argo CD tracks that git no longer has.

  --env NAME        environment (repeatable; default: all; with --snapshot: the one the snapshot shows)
  --snapshot FILE   kubectl get … -o yaml output standing in for the cluster
  --kubeconfig F    kubeconfig file (default: KUBECONFIG or ~/.kube/config)
  --context C       kube context (default: the environment's kubeContext)
  --request-timeout S  seconds each API request may take (default 15), retried on 429/5xx
  --format F        text (default), json, markdown
  --output FILE     write the report to FILE
  --notify          post a summary to Slack (SLACK_WEBHOOK_URL) when the result changed since the
                    last post for that environment
  --notify-always   post even when the result did not change
  --notify-state F  where the last post per environment is kept (default
                    node_modules/.cache/drift-notify/state.json; CI caches it)
  --dry-run         with --notify: print the Slack message to stderr, send nothing
  --help

Exit: 0 no drift, 1 drift, 2 could not run.`;

/** What tests inject: time for request timeouts and retries. */
export interface DriftDeps {
  clock?: Clock;
}

export async function main(args: string[], io: CommandIO, deps: DriftDeps = {}): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      env: { type: 'string', multiple: true },
      snapshot: { type: 'string' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      'request-timeout': { type: 'string' },
      format: { type: 'string' },
      output: { type: 'string' },
      notify: { type: 'boolean' },
      'notify-always': { type: 'boolean' },
      'notify-state': { type: 'string' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    DRIFT_USAGE,
  );
  if (values.help) {
    io.stdout(`${DRIFT_USAGE}\n`);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const timeoutMs =
    values['request-timeout'] === undefined ? undefined : Number(values['request-timeout']) * 1000;
  if (timeoutMs !== undefined && !(timeoutMs > 0))
    throw new UsageError('--request-timeout takes a number of seconds');
  const format = oneOf('format', values.format, ['text', 'json', 'markdown'] as const, 'text');
  const output = outputFlag(values.output, io.cwd);
  const notify = values.notify || values['notify-always'];
  const clock = deps.clock ?? systemClock;
  const repo = await openRepository(io.cwd, { env: io.env });
  try {
    const snapshot = values.snapshot ? loadSnapshot(path.resolve(io.cwd, values.snapshot)) : undefined;
    const envs = values.env?.length
      ? inPromotionOrder(
          values.env,
          repo.settings.environments.map((e) => e.name),
        )
      : snapshot
        ? [
            await snapshotEnvironment(
              snapshot,
              repo.settings.environments.map((e) => e.name),
              repo.render,
            ),
          ]
        : repo.settings.environments.map((e) => e.name);
    const reports: EnvironmentDrift[] = [];
    const renders: EnvironmentRender[] = [];
    for (const name of envs) {
      const env = environmentNamed(repo.settings, name);
      const render = await repo.render(name);
      renders.push(render);
      const broken = render.findings.filter((f) => f.severity === 'error');
      if (broken.length)
        throw new ToolError(
          `cannot compute the desired state of ${name}: ${broken[0]!.file}:${broken[0]!.line} ${broken[0]!.message}`,
          'run npm run validate',
        );
      const apps = new Map(render.applications.map((a) => [a.name, a]));
      const desired: DesiredResource[] = render.resources.map((r) => {
        const spec = apps.get(r.app)?.resource.object.spec as
          { ignoreDifferences?: IgnoreDifference[]; destination?: { namespace?: string } } | undefined;
        return {
          object: r.object,
          ignore: spec?.ignoreDifferences ?? [],
          ...(spec?.destination?.namespace ? { namespace: spec.destination.namespace } : {}),
        };
      });
      let live: KubeObject[];
      let forbidden: string[] = [];
      let source: string;
      if (snapshot) {
        live = snapshot;
        source = `snapshot ${values.snapshot}`;
      } else {
        const api = await openKubeApi({
          timeoutMs,
          kubeconfig: values.kubeconfig,
          context: values.context ?? env.kubeContext,
          clock,
          env: io.env,
        });
        const listed = await api.list(kindsOf(render.resources.map((r) => r.object)));
        live = listed.items;
        forbidden = listed.forbidden;
        source = api.server;
      }
      const names = new Set(apps.keys());
      const incomplete = new Map(
        render.charts
          .filter((c) => c.notRendered)
          .map((c) => [c.app, `chart not rendered (${c.notRendered})`] as const),
      );
      const kindOf = (o: KubeObject) => `${o.apiVersion} ${o.kind}`;
      const read = new Set(live.map(kindOf));
      const unreadable = new Set(forbidden);
      const unread = (o: KubeObject) =>
        unreadable.has(kindOf(o))
          ? 'not allowed to list (403)'
          : snapshot && !read.has(kindOf(o))
            ? 'kind not in snapshot'
            : undefined;
      const drift = diffResources(desired, live, {
        trackedBy: (o) => trackedBy(o, names),
        incomplete,
        unread,
      });
      reports.push({ env: name, source, drift, forbidden });
    }
    const report =
      format === 'json'
        ? formatDriftJson(reports)
        : format === 'markdown'
          ? formatDriftMarkdown(reports)
          : formatDriftText(reports);
    if (output) writeFileAtomic(output, report);
    else io.stdout(report);
    const notice = chartsNotRenderedNotice(
      appsWithChartsNotRendered(renders),
      'objects they track are reported as not compared, never as extra',
    );
    if (notice) io.stderr(notice);
    if (notify) await notifyChanges(reports, io, clock, values);
    return reports.some((r) => drifted(r).length > 0) ? 1 : 0;
  } finally {
    repo.dispose();
  }
}

/** The environment a snapshot shows, or exit 2 asking for --env. */
async function snapshotEnvironment(
  snapshot: KubeObject[],
  environments: string[],
  render: (env: string) => Promise<EnvironmentRender>,
): Promise<string> {
  const found = await environmentOfSnapshot(
    snapshot,
    environments,
    async (env) => new Set((await render(env)).applications.map((a) => a.name)),
  );
  if ('env' in found) return found.env;
  throw new UsageError(
    `cannot tell which environment the snapshot is of (it could be ${found.candidates.join(', ')})`,
    'pass --env NAME',
  );
}

/**
 * Posts each environment's result unless it is the one last posted for that environment (the
 * hourly job would otherwise repeat the same drift every hour); --notify-always posts regardless.
 * Previews and outcomes go to stderr, so stdout keeps only the report.
 */
async function notifyChanges(
  reports: readonly EnvironmentDrift[],
  io: CommandIO,
  clock: Clock,
  flags: { 'notify-always'?: boolean; 'notify-state'?: string; 'dry-run'?: boolean },
): Promise<void> {
  const stateFile = flags['notify-state']
    ? path.resolve(io.cwd, flags['notify-state'])
    : path.join(toolCacheDir('drift-notify'), 'state.json');
  const state = readNotifyState(stateFile);
  let changed = false;
  for (const r of reports) {
    const fingerprint = driftFingerprint(r);
    const last = state[r.env];
    if (!flags['notify-always'] && last?.fingerprint === fingerprint) {
      io.stderr(
        `Slack: ${r.env} unchanged since the post of ${last.postedAt} (${last.summary}); not posted (--notify-always posts anyway)\n`,
      );
      continue;
    }
    const message = formatDriftMessage({
      env: r.env,
      resources: drifted(r).map((d) => ({
        kind: d.object.kind ?? '',
        ...(d.object.metadata?.namespace ? { namespace: d.object.metadata.namespace } : {}),
        name: d.object.metadata?.name ?? '',
        state: d.state as 'missing' | 'changed' | 'extra',
        ...(d.state === 'changed' ? { fields: d.fields.length } : {}),
      })),
      notCompared: notComparedByReason(r),
    });
    if (flags['dry-run']) {
      io.stderr(renderDryRun(message));
      continue;
    }
    const outcome = await sendSlack(message, { env: io.env, clock });
    io.stderr(`${describeOutcome(outcome)}\n`);
    if (outcome.status !== 'sent') continue;
    const n = drifted(r).length;
    state[r.env] = {
      fingerprint,
      postedAt: new Date(clock.now()).toISOString(),
      summary: n ? `${n} resource${n === 1 ? '' : 's'} drifted` : 'no drift',
    };
    changed = true;
  }
  if (changed) writeNotifyState(stateFile, state);
}
