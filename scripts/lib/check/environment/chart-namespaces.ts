import type { RuleContext } from '../rule.ts';
import { isApplication } from '../../repo/application.ts';

/**
 * Namespaces a Helm chart Application deploys into, with the chart's name. Charts are not rendered
 * offline, so what they create there (pods, ServiceAccounts, Secrets) is unknown to the rules.
 */
export function chartNamespaces(ctx: RuleContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const { chart, namespace } of chartReleases(ctx)) out.set(namespace, chart.chart);
  return out;
}

/**
 * `<namespace>/<release>` of every chart release: the ServiceAccount most charts create for their
 * workload is named after the release (the Istio gateway chart's is exactly that), so a principal
 * naming it is no typo even though the chart is not rendered.
 */
export function chartReleaseAccounts(ctx: RuleContext): Set<string> {
  return new Set(chartReleases(ctx).map(({ chart, namespace }) => `${namespace}/${chart.releaseName}`));
}

/**
 * Where cert-manager reads ClusterIssuers' Secrets: its chart's `clusterResourceNamespace` value,
 * else the namespace the chart is installed in (the chart passes its own namespace by default);
 * undefined when the environment installs no cert-manager chart.
 */
export function clusterResourceNamespace(ctx: RuleContext): string | undefined {
  const release = chartReleases(ctx).find(({ chart }) => chart.chart === 'cert-manager');
  if (!release) return undefined;
  const configured = ctx.chartValues(release.chart).clusterResourceNamespace;
  return typeof configured === 'string' && configured !== '' ? configured : release.namespace;
}

function chartReleases(ctx: RuleContext) {
  const apps = new Map(
    ctx.resources
      .filter((r) => isApplication(r.object))
      .map((r) => [
        r.object.metadata?.name,
        (r.object.spec as { destination?: { namespace?: string } } | undefined)?.destination?.namespace,
      ]),
  );
  return ctx.charts.flatMap((chart) => {
    const namespace = apps.get(chart.app);
    return namespace ? [{ chart, namespace }] : [];
  });
}
