import type { Repository } from '../repo/repository.ts';
import type { EnvironmentRender } from '../repo/walk.ts';
import type { Finding } from './finding.ts';
import type { Rule, RuleContext } from './rule.ts';
import { runRules, runRulesAcross } from './run-rules.ts';
import { checkSchemas } from './schema-check.ts';
import type { SchemaRegistry } from './schema/registry.ts';
import { mergeAcrossEnvironments, sortFindings } from './sort-findings.ts';
import { applySuppressions } from './suppression.ts';
import { chartAccess } from './chart-values.ts';
import { checkChartValues } from './chart-values-schema.ts';

export interface ValidationResult {
  findings: Finding[];
  renders: EnvironmentRender[];
  resources: number;
}

/**
 * The validate pipeline for each environment: walk and render, schema-check every resource, run
 * every rule over the environment as a whole. Findings from a shared base are merged across
 * environments so a person reads each problem once.
 */
export async function validateEnvironments(
  repo: Repository,
  envs: readonly string[],
  registry: SchemaRegistry,
  rules: readonly Rule[],
): Promise<ValidationResult> {
  const renders = await Promise.all(envs.map((e) => repo.render(e)));
  const findings: Finding[] = [];
  let resources = 0;
  const contexts: RuleContext[] = [];
  for (const render of renders) {
    resources += render.resources.length;
    const envFindings = [...render.findings];
    envFindings.push(
      ...(await checkSchemas(render.resources, registry, repo.index, repo.settings.kindsWithoutSchema)),
      ...checkChartValues(render, repo.helm, repo.index),
    );
    const ctx: RuleContext = {
      env: render.env.name,
      resources: render.resources,
      settings: repo.settings,
      lineOf: (r, p) => (r.chart ? r.origin.line : repo.index.lineOf(r.origin, p)),
      ...chartAccess(repo.index, render.charts),
    };
    contexts.push(ctx);
    envFindings.push(...runRules(rules, ctx));
    findings.push(...applySuppressions(envFindings, render.resources));
  }
  const allResources = renders.flatMap((r) => r.resources);
  findings.push(...applySuppressions(runRulesAcross(rules, contexts), allResources));
  return { findings: sortFindings(mergeAcrossEnvironments(findings)), renders, resources };
}
