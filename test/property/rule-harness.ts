import { runRules } from '../../scripts/lib/check/run-rules.ts';
import type { Rule } from '../../scripts/lib/check/rule.ts';
import type { KubeObject, Resource } from '../../scripts/lib/repo/resource.ts';
import type { RepoSettings } from '../../scripts/lib/repo/settings.ts';

const settings: RepoSettings = {
  root: '/',
  repoURL: 'https://git.example.test/r.git',
  environments: [
    { name: 'dev', argocdNamespace: 'argocd' },
    { name: 'staging', argocdNamespace: 'argocd' },
    { name: 'prod', argocdNamespace: 'argocd' },
  ],
  chartRepositories: [],
  kindsWithoutSchema: [],
};

/** Runs one rule over in-memory objects, as validate would for an environment. */
export function findings(rule: Rule, objects: KubeObject[], env = 'prod') {
  const resources: Resource[] = objects.map((object, i) => ({
    object,
    origin: { file: `f${i}.yaml`, line: 1 },
    env,
    app: 'app',
  }));
  return runRules([rule], {
    env,
    resources,
    settings,
    lineOf: (r) => r.origin.line,
    charts: [],
    chartValues: () => ({}),
    lineInFile: () => 1,
  });
}
