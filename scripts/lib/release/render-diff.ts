import { fieldDifferences, formatPath } from '../cluster/field-diff.ts';
import type { KubeObject, Resource } from '../repo/resource.ts';

export interface FieldMove {
  path: string;
  from: unknown;
  to: unknown;
  /** Multi-line values: a compact line diff. */
  lines?: string[];
}

export interface ResourceChange {
  id: string;
  change: 'added' | 'removed' | 'changed';
  /** For a changed resource, every field old → new (Secret values hidden). */
  fields: FieldMove[];
}

const idOf = (o: KubeObject) =>
  `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

/**
 * Pure: which rendered resources differ between two renders of an environment, and in which
 * fields, old → new — what `argocd app diff` would show, with the same field comparison as drift.
 */
export function diffRenders(before: readonly Resource[], after: readonly Resource[]): ResourceChange[] {
  const a = new Map(before.map((r) => [idOf(r.object), r.object]));
  const b = new Map(after.map((r) => [idOf(r.object), r.object]));
  const out: ResourceChange[] = [];
  for (const [id, o] of b) {
    const old = a.get(id);
    if (!old) {
      out.push({ id, change: 'added', fields: [] });
      continue;
    }
    const secret = o.kind === 'Secret' && o.apiVersion === 'v1';
    const fields = fieldDifferences(old, o, { onlySetInFirst: false }).map((f): FieldMove =>
      secret
        ? { path: formatPath(f.path), from: '(hidden)', to: '(hidden)' }
        : { path: formatPath(f.path), from: f.before, to: f.after, ...(f.lines ? { lines: f.lines } : {}) },
    );
    if (fields.length) out.push({ id, change: 'changed', fields });
  }
  for (const id of a.keys()) if (!b.has(id)) out.push({ id, change: 'removed', fields: [] });
  return out.sort((x, y) => x.id.localeCompare(y.id));
}

/** The plan's lines for one resource: `~ Deployment web/web` then each field `path: old → new`. */
export function formatResourceChange(r: ResourceChange): string[] {
  const mark = r.change === 'added' ? '+' : r.change === 'removed' ? '-' : '~';
  const lines = [`  ${mark} ${r.id}`];
  const show = (v: unknown) => (v === undefined ? '(absent)' : typeof v === 'string' ? v : JSON.stringify(v));
  for (const f of r.fields) {
    if (f.lines) lines.push(`      ${f.path}:`, ...f.lines.map((l) => `        ${l}`));
    else lines.push(`      ${f.path}: ${show(f.from)} → ${show(f.to)}`);
  }
  return lines;
}
