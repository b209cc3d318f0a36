import type { Finding } from './finding.ts';
import type { Rule, RuleContext } from './rule.ts';

/** Runs every rule over one environment; each finding carries its rule's severity and Istio code. */
export function runRules(rules: readonly Rule[], ctx: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const f of rule.check(ctx)) {
      findings.push({
        ...f,
        rule: rule.id,
        severity: f.severity ?? rule.severity,
        hint: f.hint ?? rule.hint,
        ...(rule.istioCode && !f.istioCode ? { istioCode: rule.istioCode } : {}),
      });
    }
  }
  return findings;
}
