import type { KubeObject } from '../repo/resource.ts';
import {
  appliesTo,
  fromJqPath,
  fromJsonPointer,
  managedPaths,
  matchesPattern,
  type IgnoreDifference,
  type PathPattern,
} from './ignore-differences.ts';
import { sameQuantity } from './quantity.ts';

export interface FieldChange {
  path: string;
  git: unknown;
  live: unknown;
}

export type ResourceDrift =
  | { state: 'missing'; id: string; object: KubeObject }
  | { state: 'changed'; id: string; object: KubeObject; fields: FieldChange[] }
  | { state: 'extra'; id: string; object: KubeObject };

export interface DesiredResource {
  object: KubeObject;
  /** The owning Application's ignoreDifferences. */
  ignore: IgnoreDifference[];
}

/** Metadata the API server or Argo CD writes; never drift. */
const SERVER_METADATA = new Set([
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'ownerReferences',
]);
const SERVER_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'argocd.argoproj.io/tracking-id',
  'deployment.kubernetes.io/revision',
]);

export function objectId(o: KubeObject): string {
  const group = o.apiVersion?.includes('/') ? o.apiVersion.split('/')[0] : '';
  return `${group}/${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

/**
 * Pure: compares desired (git, rendered) with live objects the way Argo CD does: status and
 * server-set metadata ignored, fields git does not set ignored (the API server defaults them),
 * quantities compared by value, each Application's ignoreDifferences honoured. Secret values are
 * never reported, only the names of changed keys.
 */
export function diffResources(
  desired: readonly DesiredResource[],
  live: readonly KubeObject[],
  isTracked: (o: KubeObject) => boolean,
): ResourceDrift[] {
  const liveById = new Map(live.map((o) => [objectId(o), o]));
  const desiredIds = new Set<string>();
  const out: ResourceDrift[] = [];
  for (const d of desired) {
    const id = objectId(d.object);
    desiredIds.add(id);
    const l = liveById.get(id);
    if (!l) {
      out.push({ state: 'missing', id, object: d.object });
      continue;
    }
    const ignored: PathPattern[] = [];
    for (const rule of d.ignore.filter((r) => appliesTo(r, d.object))) {
      for (const p of rule.jsonPointers ?? []) ignored.push(fromJsonPointer(p));
      for (const e of rule.jqPathExpressions ?? []) {
        const p = fromJqPath(e);
        if (p) ignored.push(p);
      }
      if (rule.managedFieldsManagers?.length) ignored.push(...managedPaths(l, rule.managedFieldsManagers));
    }
    const fields: FieldChange[] = [];
    compare(d.object, l, [], ignored, fields);
    if (d.object.kind === 'Secret' && d.object.apiVersion === 'v1')
      for (const f of fields) {
        f.git = '(hidden)';
        f.live = '(hidden)';
      }
    if (fields.length) out.push({ state: 'changed', id, object: d.object, fields });
  }
  for (const l of live)
    if (!desiredIds.has(objectId(l)) && isTracked(l))
      out.push({ state: 'extra', id: objectId(l), object: l });
  for (const d of out) d.object = withoutSecretValues(d.object);
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

function compare(
  git: unknown,
  live: unknown,
  path: (string | number)[],
  ignored: PathPattern[],
  out: FieldChange[],
): void {
  if (matchesPattern(path, ignored)) return;
  if (path.length === 1 && path[0] === 'status') return;
  if (path.length === 2 && path[0] === 'metadata' && SERVER_METADATA.has(String(path[1]))) return;
  if (
    path.length === 3 &&
    path[0] === 'metadata' &&
    path[1] === 'annotations' &&
    SERVER_ANNOTATIONS.has(String(path[2]))
  )
    return;
  if (git === live) return;
  if (Array.isArray(git)) {
    if (!Array.isArray(live) || live.length !== git.length) {
      out.push({ path: fmt(path), git: summarize(git), live: summarize(live) });
      return;
    }
    git.forEach((g, i) => compare(g, live[i], [...path, i], ignored, out));
    return;
  }
  if (git && typeof git === 'object') {
    if (!live || typeof live !== 'object' || Array.isArray(live)) {
      out.push({ path: fmt(path), git: summarize(git), live: summarize(live) });
      return;
    }
    for (const [k, v] of Object.entries(git))
      compare(v, (live as Record<string, unknown>)[k], [...path, k], ignored, out);
    return;
  }
  // `{}`/absent and int-or-string spellings the API server normalises.
  if (git === null && live === undefined) return;
  if (
    (typeof git === 'number' || typeof git === 'string') &&
    (typeof live === 'number' || typeof live === 'string')
  ) {
    if (String(git) === String(live) || sameQuantity(git, live)) return;
  }
  out.push({ path: fmt(path), git, live });
}

function fmt(p: (string | number)[]): string {
  return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function summarize(v: unknown): unknown {
  if (Array.isArray(v)) return `(${v.length} items)`;
  if (v && typeof v === 'object') return '(object)';
  return v;
}

/** Reports carry the object for its identity only; a Secret's values never leave this module. */
function withoutSecretValues(o: KubeObject): KubeObject {
  if (o.kind !== 'Secret' || o.apiVersion !== 'v1') return o;
  const {
    data: _data,
    stringData: _stringData,
    ...rest
  } = o as KubeObject & { data?: unknown; stringData?: unknown };
  return rest;
}
