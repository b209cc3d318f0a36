import type { Resource } from '../../repo/resource.ts';
import type { Finding } from '../finding.ts';
import type { RuleContext } from '../rule.ts';

/**
 * istioctl prints each distinct message once: two messages are the same when code, resource, line and
 * text are (diag Messages.SortedDedupedCopy). The line is only known for a field whose value is a
 * scalar (its file source maps scalar leaves to lines); elsewhere it is 0. This gives that line.
 */
function upstreamLine(ctx: RuleContext, r: Resource, path: readonly (string | number)[]): number {
  let v: unknown = r.object;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return 0;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v === null || v === undefined || typeof v === 'object' ? 0 : ctx.lineOf(r, path);
}

/**
 * Findings collected once per istioctl message: `key` stands for the message's text; `linePath`, when
 * given, is the field whose line (see upstreamLine) is part of the message's identity. Lines are only
 * looked up when two messages share a key, since each lookup may parse the file for positions.
 */
export class MessageSet {
  private readonly seen = new Map<string, { path: readonly (string | number)[]; line?: number }[]>();
  readonly findings: Finding[] = [];

  constructor(private readonly ctx?: RuleContext) {}

  add(r: Resource, key: string, finding: Finding, linePath?: readonly (string | number)[]): void {
    const k = `${r.origin.file}:${r.origin.line}|${r.object.kind}|${r.object.metadata?.namespace}|${r.object.metadata?.name}|${key}`;
    const earlier = this.seen.get(k);
    const entry = { path: linePath ?? [] };
    if (earlier) {
      const lineOf = (e: { path: readonly (string | number)[]; line?: number }) =>
        (e.line ??= this.ctx && e.path.length ? upstreamLine(this.ctx, r, e.path) : 0);
      const line = lineOf(entry);
      if (earlier.some((e) => lineOf(e) === line)) return;
      earlier.push(entry);
    } else this.seen.set(k, [entry]);
    this.findings.push(finding);
  }
}
