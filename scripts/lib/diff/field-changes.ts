import { comparedFields } from '../cluster/diff-resources.ts';
import type { IgnoreDifference } from '../cluster/ignore-differences.ts';
import type { KubeObject } from '../repo/resource.ts';
import { alignNamedLists, isMap, type Segments } from './align-lists.ts';
import type { FieldChange } from './result.ts';

/**
 * The fields that differ between two renders of one resource, old → new. The comparison is drift's
 * (`comparedFields`: server-set metadata and status ignored, quantities by value, int-or-string, the
 * Application's ignoreDifferences), run both ways, since drift only looks at fields git sets and a
 * field can also disappear; unlike drift it includes hooks, whose definitions change like any
 * other. A v1 Secret's values and a SealedSecret's ciphertext never appear.
 */
export function fieldChanges(
  before: KubeObject,
  after: KubeObject,
  ignore: readonly IgnoreDifference[] = [],
): FieldChange[] {
  // Most resources of two renders are the same text: no need to compare them field by field.
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const aligned = alignNamedLists(before, after);
  const a = aligned.before as KubeObject;
  const b = aligned.after as KubeObject;
  const found = new Map<string, Segments>();
  for (const [git, live] of [
    [b, a],
    [a, b],
  ] as const) {
    for (const f of comparedFields(git, live, ignore)) {
      const segments = segmentsOf(git, f.path);
      // A path drift printed always exists in the object it walked; the fallback is defensive.
      const s = segments ?? [f.path];
      found.set(formatPath(s), s);
    }
  }
  const out: (FieldChange & { segments: Segments })[] = [];
  for (const segments of found.values())
    out.push(...describe(before, segments, valueAt(a, segments), valueAt(b, segments)));
  for (const o of aligned.orderChanges)
    out.push({
      segments: o.segments,
      path: formatPath(o.segments),
      old: o.old,
      new: o.new,
      note: 'order changed',
    });
  return out.sort((x, y) => compareSegments(x.segments, y.segments)).map(({ segments: _, ...f }) => f);
}

function describe(
  o: KubeObject,
  segments: Segments,
  oldValue: unknown,
  newValue: unknown,
): (FieldChange & { segments: Segments })[] {
  const path = formatPath(segments);
  if (isSecret(o) && (segments.length === 0 || segments[0] === 'data' || segments[0] === 'stringData'))
    return [{ segments, path, note: 'secret value changed' }];
  if (isSealedSecret(o) && startsWith(segments, ENCRYPTED)) {
    if (segments.length > ENCRYPTED.length) return [{ segments, path, note: sealedNote(oldValue, newValue) }];
    // The whole map appeared, went or changed type: one line per key.
    const keys = new Set([...Object.keys(asMap(oldValue)), ...Object.keys(asMap(newValue))]);
    return [...keys].sort().flatMap((k) => {
      const ov = asMap(oldValue)[k];
      const nv = asMap(newValue)[k];
      if (ov === nv) return [];
      const s = [...segments, k];
      return [{ segments: s, path: formatPath(s), note: sealedNote(ov, nv) }];
    });
  }
  const shown = (v: unknown) => (isSealedSecret(o) ? withoutCiphertext(v, segments) : v);
  return [
    {
      segments,
      path,
      ...(oldValue === undefined ? {} : { old: shown(oldValue) }),
      ...(newValue === undefined ? {} : { new: shown(newValue) }),
    },
  ];
}

const ENCRYPTED: Segments = ['spec', 'encryptedData'];

function sealedNote(oldValue: unknown, newValue: unknown): FieldChange['note'] {
  if (oldValue === undefined) return 'sealed value added';
  if (newValue === undefined) return 'sealed value removed';
  return 'sealed value changed';
}

/** A value shown above spec.encryptedData (the whole spec, say) with every ciphertext replaced. */
function withoutCiphertext(v: unknown, at: Segments): unknown {
  if (!isMap(v) || !startsWith(ENCRYPTED, at)) return v;
  if (at.length === ENCRYPTED.length - 1) {
    const data = v[ENCRYPTED[at.length] as string];
    if (!isMap(data)) return v;
    return {
      ...v,
      encryptedData: Object.fromEntries(Object.keys(data).map((k) => [k, '(sealed)'])),
    };
  }
  const key = ENCRYPTED[at.length] as string;
  return key in v ? { ...v, [key]: withoutCiphertext(v[key], [...at, key]) } : v;
}

function isSecret(o: KubeObject): boolean {
  return o.kind === 'Secret' && o.apiVersion === 'v1';
}

function isSealedSecret(o: KubeObject): boolean {
  return o.kind === 'SealedSecret' && String(o.apiVersion).startsWith('bitnami.com/');
}

function asMap(v: unknown): Record<string, unknown> {
  return isMap(v) ? v : {};
}

function startsWith(s: Segments, prefix: Segments): boolean {
  return prefix.length <= s.length && prefix.every((p, i) => p === s[i]);
}

export function valueAt(root: unknown, segments: Segments): unknown {
  let node = root;
  for (const s of segments) {
    if (Array.isArray(node) && typeof s === 'number') node = node[s];
    else if (isMap(node) && typeof s === 'string') node = node[s];
    else return undefined;
  }
  return node;
}

/**
 * Drift prints paths as `a.b[0].c`, and keys may hold dots (`argocd.argoproj.io/sync-wave`): the
 * segments are recovered against the object the path was found in, trying longer keys first.
 */
export function segmentsOf(root: unknown, path: string): Segments | undefined {
  const walk = (node: unknown, rest: string, first: boolean): Segments | undefined => {
    if (rest === '') return [];
    if (Array.isArray(node)) {
      const m = /^\[(\d+)\]/.exec(rest);
      if (!m) return undefined;
      const i = Number(m[1]);
      const tail = walk(node[i], rest.slice(m[0].length), false);
      return tail && [i, ...tail];
    }
    if (!isMap(node)) return undefined;
    const body = first ? rest : rest.startsWith('.') ? rest.slice(1) : undefined;
    if (body === undefined) return undefined;
    const keys = Object.keys(node)
      .filter((k) => body.startsWith(k) && /^$|^[.[]/.test(body.slice(k.length, k.length + 1)))
      .sort((x, y) => y.length - x.length);
    for (const k of keys) {
      const tail = walk(node[k], body.slice(k.length), false);
      if (tail) return [k, ...tail];
    }
    return undefined;
  };
  return walk(root, path, true);
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** `spec.template.spec.containers[api].env[LOG_LEVEL].value`, `metadata.annotations["a.b/c"]`. */
export function formatPath(segments: Segments): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^\[.*\]$/.test(s)) out += s;
    else if (PLAIN_KEY.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

function compareSegments(x: Segments, y: Segments): number {
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const a = x[i]!;
    const b = y[i]!;
    if (a === b) continue;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return String(a) < String(b) ? -1 : 1;
  }
  return x.length - y.length;
}
