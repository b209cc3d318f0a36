import type { Finding } from './finding.ts';
import type { Rule, RuleContext } from './rule.ts';

/** Runs every rule over one environment; each finding carries its rule's severity and Istio code. */
export function runRules(rules: readonly Rule[], ctx: RuleContext): Finding[] {
  return rules.flatMap((rule) => withRuleDefaults(rule, rule.check?.(ctx) ?? []));
}

/** Runs the cross-environment rules over every environment of the run at once. */
export function runRulesAcross(rules: readonly Rule[], envs: readonly RuleContext[]): Finding[] {
  return rules.flatMap((rule) => withRuleDefaults(rule, rule.checkAcross?.(envs) ?? []));
}

/** A rule's findings carry its id, severity, hint and Istio code unless the finding says otherwise. */
function withRuleDefaults(rule: Rule, raw: Finding[]): Finding[] {
  return raw.map((f) => ({
    ...f,
    rule: rule.id,
    severity: f.severity ?? rule.severity,
    hint: f.hint ?? rule.hint,
    ...(rule.istioCode && !f.istioCode ? { istioCode: rule.istioCode } : {}),
  }));
}
