import { runRules } from '../../scripts/lib/check/run-rules.ts';
import type { Rule } from '../../scripts/lib/check/rule.ts';
import type { KubeObject, Resource } from '../../scripts/lib/repo/resource.ts';
import type { RepoSettings } from '../../scripts/lib/repo/settings.ts';
import type { HelmChartSource } from '../../scripts/lib/repo/walk.ts';
import { NEWEST_KUBERNETES_VERSION } from '../../scripts/lib/repo/kubernetes-version.ts';

const settings: RepoSettings = {
  root: '/',
  repoURL: 'https://git.example.test/r.git',
  environments: [
    { name: 'dev', argocdNamespace: 'argocd', kubernetesVersion: NEWEST_KUBERNETES_VERSION },
    { name: 'staging', argocdNamespace: 'argocd', kubernetesVersion: NEWEST_KUBERNETES_VERSION },
    { name: 'prod', argocdNamespace: 'argocd', kubernetesVersion: NEWEST_KUBERNETES_VERSION },
  ],
  chartRepositories: [],
  kindsWithoutSchema: [],
  crdProviders: {},
};

/** A Helm chart the environment installs, with its merged values (charts are not rendered offline). */
export interface ChartWithValues {
  chart: string;
  values: Record<string, unknown>;
}

/** Runs one rule over in-memory objects, as validate would for an environment at a Kubernetes version. */
export function findings(
  rule: Rule,
  objects: KubeObject[],
  env = 'prod',
  charts: ChartWithValues[] = [],
  kubernetesVersion = NEWEST_KUBERNETES_VERSION,
) {
  const resources: Resource[] = objects.map((object, i) => ({
    object,
    origin: { file: `f${i}.yaml`, line: 1 },
    env,
    app: 'app',
  }));
  const sources: (HelmChartSource & { values: Record<string, unknown> })[] = charts.map((c) => ({
    app: c.chart,
    repoURL: 'https://charts.example.test',
    chart: c.chart,
    version: '1.0.0',
    releaseName: c.chart,
    valueFiles: [{ ref: `$values/${c.chart}.yaml`, file: `${c.chart}.yaml` }],
    values: c.values,
  }));
  return runRules([rule], {
    env,
    kubernetesVersion,
    resources,
    settings,
    lineOf: (r) => r.origin.line,
    charts: sources,
    chartValues: (chart) => (chart as (typeof sources)[number]).values ?? {},
    lineInFile: () => 1,
    valueFileSetting: (chart) => [...chart.valueFiles].reverse().find((v) => v.file)?.file,
  });
}
