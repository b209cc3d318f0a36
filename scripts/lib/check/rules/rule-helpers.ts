import type { Finding } from '../finding.ts';
import { displayName, findingFor } from '../finding.ts';
import type { RuleContext } from '../rule.ts';
import type { KubeObject, Resource } from '../../repo/resource.ts';

/** A finding about `r` at the line of `path`; the runner fills in the rule's id, severity and hint. */
export function at(
  ctx: RuleContext,
  r: Resource,
  path: (string | number)[],
  message: string,
  extra: Partial<Finding> = {},
): Finding {
  const where = ctx.locate ? ctx.locate(r, path) : { file: r.origin.file, line: ctx.lineOf(r, path) };
  return findingFor(r, {
    rule: '',
    severity: undefined as never,
    message,
    ...where,
    ...extra,
  });
}

export function ofKind(ctx: RuleContext, group: RegExp | string, kind: string): Resource[] {
  return ctx.resources.filter(
    (r) =>
      r.object.kind === kind &&
      (typeof group === 'string' ? r.object.apiVersion === group : group.test(r.object.apiVersion ?? '')),
  );
}

export const ISTIO_NETWORKING = /^networking\.istio\.io\//;
export const ISTIO_SECURITY = /^security\.istio\.io\//;
export const ARGOPROJ = /^argoproj\.io\//;

export function spec(o: KubeObject): Record<string, any> {
  return (o.spec ?? {}) as Record<string, any>;
}

export function name(r: Resource): string {
  const ns = r.object.metadata?.namespace;
  return `${r.object.kind} ${ns ? `${ns}/` : ''}${displayName(r.object)}`;
}

/** Istio/Go duration (`30s`, `1.5s`, `250ms`, `1m`, `2h`) in milliseconds, or undefined when it does not parse. */
export function durationMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}
