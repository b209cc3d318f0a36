import yaml from 'js-yaml';
import { lineDiff, type LineOp } from './line-diff.ts';
import type { FieldChange } from './result.ts';

/** How one field change reads: a note, `old → new` on one line, or a compact line diff. */
export type FieldView =
  | { path: string; kind: 'note'; note: string }
  | { path: string; kind: 'inline'; old: string; new: string }
  | { path: string; kind: 'lines'; lines: LineOp[] };

const INLINE_JSON = 80;

export function viewField(f: FieldChange): FieldView {
  if (f.note === 'order changed')
    return { path: f.path, kind: 'inline', old: names(f.old), new: names(f.new) };
  if (f.note) return { path: f.path, kind: 'note', note: f.note };
  const o = inline(f.old);
  const n = inline(f.new);
  if (o !== undefined && n !== undefined) return { path: f.path, kind: 'inline', old: o, new: n };
  const lines = lineDiff(block(f.old), block(f.new));
  // Texts that differ only in a trailing newline: the line diff sees none, JSON does.
  if (!lines.some((l) => l.op === '-' || l.op === '+'))
    return { path: f.path, kind: 'inline', old: JSON.stringify(f.old), new: JSON.stringify(f.new) };
  return { path: f.path, kind: 'lines', lines };
}

function inline(v: unknown): string | undefined {
  if (v === undefined) return '(absent)';
  if (typeof v === 'string') return v.includes('\n') ? undefined : v === '' ? '""' : v;
  if (v === null || typeof v !== 'object') return String(v);
  const json = JSON.stringify(v);
  return json.length <= INLINE_JSON ? json : undefined;
}

/** A value as lines: a text as it is, anything else as YAML; an absent value has none. */
function block(v: unknown): string[] {
  if (v === undefined) return [];
  const text = typeof v === 'string' ? v : yaml.dump(v, { lineWidth: -1, noRefs: true });
  return text.replace(/\n$/, '').split('\n');
}

function names(v: unknown): string {
  return Array.isArray(v) ? v.join(', ') : String(v);
}
