import { writeFileAtomic } from '../cli/write-file-atomic.ts';
import path from 'node:path';
import type { CommandIO } from '../cli/io.ts';
import { oneOf, parseFlags } from '../cli/flags.ts';
import { ToolError, UsageError } from '../errors.ts';
import { diffResources, type DesiredResource } from '../cluster/diff-resources.ts';
import {
  formatDriftJson,
  formatDriftMarkdown,
  formatDriftText,
  type EnvironmentDrift,
} from '../cluster/drift-report.ts';
import type { IgnoreDifference } from '../cluster/ignore-differences.ts';
import { openKubeApi } from '../cluster/kube-api.ts';
import { loadSnapshot } from '../cluster/snapshot.ts';
import { formatDriftMessage } from '../notify/format-drift.ts';
import { describeOutcome, renderDryRun, sendSlack } from '../notify/send-slack.ts';
import { isApplication } from '../repo/application.ts';
import { openRepository } from '../repo/repository.ts';
import type { KubeObject } from '../repo/resource.ts';
import { environmentNamed } from '../repo/settings.ts';

export const DRIFT_USAGE = `Usage: zx scripts/drift.mjs [--env NAME]... [--snapshot FILE | --kubeconfig F --context C] [options]

Compares each environment's rendered resources (the validate walk) with the cluster, normalised as
Argo CD does, and reports resources missing in the cluster, changed fields, and extra resources
Argo CD tracks that git no longer has.

  --env NAME        environment (repeatable; default: all)
  --snapshot FILE   kubectl get … -o yaml output standing in for the cluster
  --kubeconfig F    kubeconfig file (default: KUBECONFIG or ~/.kube/config)
  --context C       kube context (default: the environment's kubeContext)
  --request-timeout S  seconds each API request may take (default 15), retried on 429/5xx
  --format F        text (default), json, markdown
  --output FILE     write the report to FILE
  --notify          post a summary to Slack (SLACK_WEBHOOK_URL); with --dry-run, print it instead
  --dry-run         with --notify: print the Slack message, send nothing
  --help

Exit: 0 no drift, 1 drift, 2 could not run.`;

export async function main(args: string[], io: CommandIO): Promise<number> {
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
  const repo = await openRepository(io.cwd);
  try {
    const envs = values.env?.length ? values.env : repo.settings.environments.map((e) => e.name);
    const reports: EnvironmentDrift[] = [];
    const snapshot = values.snapshot ? loadSnapshot(path.resolve(io.cwd, values.snapshot)) : undefined;
    for (const name of envs) {
      const env = environmentNamed(repo.settings, name);
      const render = await repo.render(name);
      const broken = render.findings.filter((f) => f.severity === 'error');
      if (broken.length)
        throw new ToolError(
          `cannot compute the desired state of ${name}: ${broken[0]!.file}:${broken[0]!.line} ${broken[0]!.message}`,
          'run npm run validate',
        );
      const ignoreByApp = new Map<string, IgnoreDifference[]>();
      for (const a of render.applications)
        ignoreByApp.set(
          a.name,
          (a.resource.object.spec as { ignoreDifferences?: IgnoreDifference[] })?.ignoreDifferences ?? [],
        );
      const desired: DesiredResource[] = render.resources.map((r) => ({
        object: r.object,
        ignore: ignoreByApp.get(r.app) ?? [],
      }));
      let live: KubeObject[];
      let forbidden: string[] = [];
      let source: string;
      if (snapshot) {
        live = snapshot;
        source = `snapshot ${values.snapshot}`;
      } else {
        const api = openKubeApi({
          timeoutMs,
          kubeconfig: values.kubeconfig,
          context: values.context ?? env.kubeContext,
        });
        const kinds = new Map(
          render.resources.map((r) => [
            `${r.object.apiVersion}/${r.object.kind}`,
            { apiVersion: r.object.apiVersion!, kind: r.object.kind! },
          ]),
        );
        const listed = await api.list([...kinds.values()]);
        live = listed.items;
        forbidden = listed.forbidden;
        source = api.server;
      }
      const apps = new Set(render.applications.map((a) => a.name));
      const isTracked = (o: KubeObject) => {
        const tracking = o.metadata?.annotations?.['argocd.argoproj.io/tracking-id'];
        const instance = o.metadata?.labels?.['app.kubernetes.io/instance'];
        return (
          (tracking !== undefined && apps.has(tracking.split(':')[0]!)) ||
          (instance !== undefined && apps.has(instance) && !isApplication(o))
        );
      };
      reports.push({ env: name, source, drift: diffResources(desired, live, isTracked), forbidden });
    }
    const report =
      format === 'json'
        ? formatDriftJson(reports)
        : format === 'markdown'
          ? formatDriftMarkdown(reports)
          : formatDriftText(reports);
    if (values.output) {
      writeFileAtomic(path.resolve(io.cwd, values.output), report);
    } else io.stdout(report);
    if (values.notify)
      for (const r of reports) {
        const message = formatDriftMessage({
          env: r.env,
          resources: r.drift.map((d) => ({
            kind: d.object.kind ?? '',
            ...(d.object.metadata?.namespace ? { namespace: d.object.metadata.namespace } : {}),
            name: d.object.metadata?.name ?? '',
            state: d.state,
            ...(d.state === 'changed' ? { fields: d.fields.length } : {}),
          })),
        });
        if (values['dry-run']) io.stdout(renderDryRun(message));
        else io.stderr(`${describeOutcome(await sendSlack(message, { env: io.env }))}\n`);
      }
    return reports.some((r) => r.drift.length > 0) ? 1 : 0;
  } finally {
    repo.dispose();
  }
}
