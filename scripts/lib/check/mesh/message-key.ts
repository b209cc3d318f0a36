import type { Resource } from '../../repo/resource.ts';
import type { Finding } from '../finding.ts';
import type { RuleContext } from '../rule.ts';

/**
 * istioctl prints each distinct message once: two messages are the same when code, resource, line and
 * text are (diag Messages.SortedDedupedCopy). The line is only known for a field whose value is a
 * scalar (its file source maps scalar leaves to lines); elsewhere it is 0. This gives that line.
 */
export function upstreamLine(ctx: RuleContext, r: Resource, path: readonly (string | number)[]): number {
  let v: unknown = r.object;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return 0;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v === null || v === undefined || typeof v === 'object' ? 0 : ctx.lineOf(r, path);
}

/** Findings collected once per istioctl message: `key` stands for the message's line and text. */
export class MessageSet {
  private readonly seen = new Set<string>();
  readonly findings: Finding[] = [];

  add(r: Resource, key: string, finding: Finding): void {
    const k = `${r.origin.file}:${r.origin.line}|${r.object.kind}|${r.object.metadata?.namespace}|${r.object.metadata?.name}|${key}`;
    if (this.seen.has(k)) return;
    this.seen.add(k);
    this.findings.push(finding);
  }
}
