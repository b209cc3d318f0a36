import { lineDiff } from './line-diff.ts';
import { sameQuantity } from './quantity.ts';

/** A path through an object: keys, list indexes, or a list item matched by its name (and where it sits). */
export type PathSegment = string | number | { name: string; index: number };

export interface FieldDifference {
  path: PathSegment[];
  before: unknown;
  after: unknown;
  /** For multi-line text: a compact line diff (see line-diff.ts). */
  lines?: string[];
}

export interface FieldDiffOptions {
  /**
   * Drift: only fields the first object sets are compared, as the API server fills in defaults and
   * controllers add list items of their own; a render diff compares both ways.
   */
  onlySetInFirst: boolean;
  /** Paths never compared (status, server-set metadata, ignoreDifferences). */
  ignored?: (path: readonly PathSegment[]) => boolean;
}

/**
 * Pure: the leaf fields in which two objects differ. Lists whose items all carry a unique `name`
 * (containers, env, ports, volumes) are matched by name, so a reordered list is no difference and a
 * change reads `containers[api].image`; scalars that the API server treats as equal (`8080` and
 * `"8080"`, quantities like `1000m` and `1`) are equal.
 */
export function fieldDifferences(a: unknown, b: unknown, opts: FieldDiffOptions): FieldDifference[] {
  const out: FieldDifference[] = [];
  compare(a, b, [], opts, out);
  return out;
}

function compare(
  a: unknown,
  b: unknown,
  path: PathSegment[],
  opts: FieldDiffOptions,
  out: FieldDifference[],
): void {
  if (opts.ignored?.(path)) return;
  if (a === b) return;
  if (Array.isArray(a)) {
    if (Array.isArray(b) && byName(a) && byName(b)) {
      const other = new Map(b.map((x) => [(x as { name: string }).name, x]));
      a.forEach((item, index) => {
        const name = (item as { name: string }).name;
        compare(item, other.get(name), [...path, { name, index }], opts, out);
      });
      if (!opts.onlySetInFirst) {
        const mine = new Set(a.map((x) => (x as { name: string }).name));
        b.forEach((item, index) => {
          const name = (item as { name: string }).name;
          if (!mine.has(name))
            out.push({ path: [...path, { name, index }], before: undefined, after: summarize(item) });
        });
      }
      return;
    }
    if (!Array.isArray(b) || b.length !== a.length) {
      out.push({ path, before: summarize(a), after: summarize(b) });
      return;
    }
    a.forEach((x, i) => compare(x, b[i], [...path, i], opts, out));
    return;
  }
  if (isObject(a)) {
    if (!isObject(b)) {
      out.push({ path, before: summarize(a), after: summarize(b) });
      return;
    }
    for (const [k, v] of Object.entries(a)) compare(v, b[k], [...path, k], opts, out);
    if (!opts.onlySetInFirst)
      for (const [k, v] of Object.entries(b)) if (!(k in a)) compare(undefined, v, [...path, k], opts, out);
    return;
  }
  // `{}`/absent and int-or-string spellings the API server normalises.
  if (a === null && b === undefined) return;
  if (a === undefined || b === undefined) {
    out.push({ path, before: summarize(a), after: summarize(b) });
    return;
  }
  if ((typeof a === 'number' || typeof a === 'string') && (typeof b === 'number' || typeof b === 'string'))
    if (String(a) === String(b) || sameQuantity(a, b)) return;
  const diff: FieldDifference = { path, before: a, after: b };
  if (typeof a === 'string' && typeof b === 'string' && (a.includes('\n') || b.includes('\n')))
    diff.lines = lineDiff(a, b);
  out.push(diff);
}

/** Keys and positions only, as JSON pointers and jq paths address them. */
export function positionalPath(path: readonly PathSegment[]): (string | number)[] {
  return path.map((s) => (typeof s === 'object' ? s.index : s));
}

/** `spec.template.spec.containers[api].image`, `spec.ports[0].port` */
export function formatPath(path: readonly PathSegment[]): string {
  return path
    .map((s, i) =>
      typeof s === 'number' ? `[${s}]` : typeof s === 'object' ? `[${s.name}]` : i === 0 ? s : `.${s}`,
    )
    .join('');
}

function byName(items: unknown[]): boolean {
  const names = new Set<string>();
  for (const x of items) {
    const name = isObject(x) ? x.name : undefined;
    if (typeof name !== 'string' || names.has(name)) return false;
    names.add(name);
  }
  return true;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function summarize(v: unknown): unknown {
  if (Array.isArray(v)) return `(${v.length} items)`;
  if (v && typeof v === 'object') return '(object)';
  return v;
}
