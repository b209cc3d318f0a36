import type { KubeObject } from '../repo/resource.ts';

/** A path pattern: segments, with `*` matching any array index or key. */
export type PathPattern = string[];

export interface IgnoreDifference {
  group?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  jsonPointers?: string[];
  jqPathExpressions?: string[];
  managedFieldsManagers?: string[];
}

/** `/spec/replicas` → [spec, replicas]. */
export function fromJsonPointer(p: string): PathPattern {
  return p
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * The jq path forms `ignoreDifferences` uses in practice: `.a.b`, `.a[]`, `.a[]?`, `.a[0]`,
 * `.a["key.with.dots"]`. Anything richer (select(), pipes) returns undefined and is reported.
 */
export function fromJqPath(expr: string): PathPattern | undefined {
  const out: string[] = [];
  const re = /\.([A-Za-z_][\w-]*)|\["([^"]+)"\]|\[(\d*)\]\??/gy;
  let i = 0;
  const s = expr.trim();
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) return undefined;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(m[2]);
    else out.push(m[3] ? m[3] : '*');
    i = re.lastIndex;
  }
  return out.length ? out : undefined;
}

export function appliesTo(rule: IgnoreDifference, o: KubeObject): boolean {
  const group = o.apiVersion?.includes('/') ? o.apiVersion.split('/')[0] : '';
  return (
    (rule.group === undefined || rule.group === group) &&
    (rule.kind === undefined || rule.kind === o.kind) &&
    (rule.name === undefined || rule.name === o.metadata?.name) &&
    (rule.namespace === undefined || rule.namespace === o.metadata?.namespace)
  );
}

export function matchesPattern(
  path: readonly (string | number)[],
  patterns: readonly PathPattern[],
): boolean {
  return patterns.some(
    (p) => p.length <= path.length && p.every((seg, i) => seg === '*' || seg === String(path[i])),
  );
}

/** Paths of the fields a manager owns, from managedFields' fieldsV1 (`f:spec`, `k:{…}`, `v:…` → `*`). */
export function managedPaths(live: KubeObject, managers: readonly string[]): PathPattern[] {
  const out: PathPattern[] = [];
  const entries = (live.metadata?.managedFields ?? []) as {
    manager?: string;
    fieldsV1?: Record<string, unknown>;
  }[];
  const walk = (node: Record<string, unknown>, prefix: string[]) => {
    for (const [k, v] of Object.entries(node)) {
      if (k === '.') continue;
      const seg = k.startsWith('f:') ? k.slice(2) : '*';
      const child = [...prefix, seg];
      if (v && typeof v === 'object' && Object.keys(v).some((x) => x !== '.'))
        walk(v as Record<string, unknown>, child);
      else out.push(child);
    }
  };
  for (const e of entries) if (e.manager && managers.includes(e.manager) && e.fieldsV1) walk(e.fieldsV1, []);
  return out;
}
