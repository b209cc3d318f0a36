import type { Finding } from './finding.ts';
import type { Rule } from './rule.ts';
import type { Resource } from '../repo/resource.ts';
import { at, name } from './rules/rule-helpers.ts';

/** `"<rule-id>[,<rule-id>...]: <reason>"` on the resource a finding is about. */
export const SUPPRESS = 'validate.platform.example.com/suppress';
/** Istio's own annotation (`"IST0101,IST0118"`) has no room for a reason: it goes here. */
export const GALLEY_SUPPRESS = 'galley.istio.io/analyze-suppress';
export const SUPPRESS_REASON = 'validate.platform.example.com/suppress-reason';

interface Suppression {
  ids: string[];
  reason: string;
}

export function suppressionsOf(r: Resource): Suppression[] {
  const a = r.object.metadata?.annotations ?? {};
  const out: Suppression[] = [];
  const own = a[SUPPRESS];
  if (own !== undefined) {
    const colon = own.indexOf(':');
    const ids = (colon < 0 ? own : own.slice(0, colon))
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    out.push({ ids, reason: colon < 0 ? '' : own.slice(colon + 1).trim() });
  }
  const galley = a[GALLEY_SUPPRESS];
  if (galley !== undefined)
    out.push({
      ids: galley
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      reason: (a[SUPPRESS_REASON] ?? '').trim(),
    });
  return out;
}

export const suppressionReason: Rule = {
  id: 'suppress/missing-reason',
  severity: 'error',
  title: 'Every suppression says why',
  why: 'A silenced check without a reason cannot be reviewed or revisited.',
  hint: `write ${SUPPRESS}: "<rule-id>: <reason>" (for ${GALLEY_SUPPRESS}, add ${SUPPRESS_REASON})`,
  check: (ctx) =>
    ctx.resources.flatMap((r) =>
      suppressionsOf(r)
        .filter((s) => s.reason === '')
        .map((s) =>
          at(
            ctx,
            r,
            ['metadata', 'annotations'],
            `${name(r)}: suppression of ${s.ids.join(', ') || '(nothing)'} has no reason`,
          ),
        ),
    ),
};

export const SUPPRESSION_RULES: readonly Rule[] = [suppressionReason];

const keyOf = (env: string, ref: { kind: string; namespace?: string; name: string }) =>
  `${env}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;

/** Drops findings suppressed with a reason on the resource they are about; reasonless suppressions suppress nothing. */
export function applySuppressions(findings: Finding[], resources: readonly Resource[]): Finding[] {
  const byResource = new Map<string, Suppression[]>();
  for (const r of resources) {
    const s = suppressionsOf(r).filter((x) => x.reason !== '');
    if (s.length && r.object.kind && r.object.metadata?.name)
      byResource.set(
        keyOf(r.env, {
          kind: r.object.kind,
          namespace: r.object.metadata.namespace,
          name: r.object.metadata.name,
        }),
        s,
      );
  }
  if (byResource.size === 0) return findings;
  return findings.filter((f) => {
    if (!f.resource || f.rule === suppressionReason.id) return true;
    const s = byResource.get(keyOf(f.env, f.resource));
    return !s?.some(
      (x) => x.ids.includes(f.rule) || (f.istioCode !== undefined && x.ids.includes(f.istioCode)),
    );
  });
}
