import type { Repository } from '../repo/repository.ts';
import type { EnvironmentRender } from '../repo/walk.ts';
import type { Finding } from './finding.ts';
import type { Rule, RuleContext } from './rule.ts';
import { runRules, runRulesAcross } from './run-rules.ts';
import { checkSchemas } from './schema-check.ts';
import type { SchemaRegistry } from './schema/registry.ts';
import { mergeAcrossEnvironments, sortFindings } from './sort-findings.ts';
import { applySuppressions } from './suppression.ts';
import { locateField } from '../repo/field-origin.ts';
import { chartAccess } from './chart-values.ts';
import { foldFollowOn } from './follow-on.ts';
import { applySeverity, type SeverityConfig } from './severity-config.ts';
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
  // Required: a gate that left it out ran at the rules' own levels, weaker than `validate` here.
  config: SeverityConfig,
): Promise<ValidationResult> {
  // Each environment is checked as soon as it is rendered, while kubectl still builds the others:
  // the checks of the first ones no longer wait for the last build.
  const pending = envs.map((e) => repo.render(e));
  // Handled now, rethrown in turn below: a failure of a later environment is not left unhandled.
  for (const p of pending) p.catch(() => undefined);
  const renders: Awaited<(typeof pending)[number]>[] = [];
  const findings: Finding[] = [];
  let resources = 0;
  const contexts: RuleContext[] = [];
  for (const next of pending) {
    const render = await next;
    renders.push(render);
    resources += render.resources.length;
    const envFindings = [...render.findings];
    envFindings.push(
      ...(await checkSchemas(
        render.resources,
        registry,
        repo.index,
        repo.settings.kindsWithoutSchema,
        render.env.kubernetesVersion,
      )),
      ...checkChartValues(render, repo.helm, repo.index),
    );
    const ctx: RuleContext = {
      env: render.env.name,
      kubernetesVersion: render.env.kubernetesVersion,
      resources: render.resources,
      settings: repo.settings,
      lineOf: (r, p) => (r.chart ? r.origin.line : repo.index.lineOf(r.origin, p)),
      locate: (r, p) =>
        r.chart ? { file: r.origin.file, line: r.origin.line } : locateField(repo.index, r, p),
      ...chartAccess(repo.index, render.charts),
    };
    contexts.push(ctx);
    for (const f of runRules(rules, ctx)) envFindings.push(f);
    const levels = config.levelsFor(render.env.name);
    // A loop, not push(...): an environment can hold more findings than a call has arguments.
    for (const f of foldFollowOn(applySeverity(applySuppressions(envFindings, render.resources), levels)))
      findings.push(f);
  }
  const allResources = renders.flatMap((r) => r.resources);
  // A cross-environment finding names its environments: the levels of each apply.
  for (const f of applySuppressions(runRulesAcross(rules, contexts), allResources))
    findings.push(...applySeverity([f], config.levelsFor(f.env)));
  return { findings: sortFindings(mergeAcrossEnvironments(findings)), renders, resources };
}
