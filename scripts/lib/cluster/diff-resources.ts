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
import { fieldDifferences, formatPath, positionalPath, type PathSegment } from './field-diff.ts';

export interface FieldChange {
  /** `spec.template.spec.containers[api].image`: list items named where they have a name. */
  path: string;
  git: unknown;
  live: unknown;
  /** Multi-line values: a compact line diff instead of the two texts. */
  lines?: string[];
}

export type ResourceDrift =
  | { state: 'missing'; id: string; object: KubeObject }
  | { state: 'changed'; id: string; object: KubeObject; fields: FieldChange[] }
  | { state: 'extra'; id: string; object: KubeObject }
  /** Tracked by an Application whose desired state could not be computed in full: not drift, said. */
  | { state: 'not-compared'; id: string; object: KubeObject; reason: string };

export interface DesiredResource {
  object: KubeObject;
  /** The owning Application's ignoreDifferences. */
  ignore: IgnoreDifference[];
  /** The owning Application's destination namespace: Argo CD puts namespaced objects without one there. */
  namespace?: string;
}

export interface LiveOwnership {
  /** The Application of this environment that tracks a live object (tracking-id or instance label). */
  trackedBy(o: KubeObject): string | undefined;
  /** Applications whose desired state is incomplete, with why (a Helm chart not rendered). */
  incomplete?: ReadonlyMap<string, string>;
  /**
   * Why objects of this desired object's kind were not read from the cluster at all (a snapshot
   * without that kind, a kind the credentials may not list), or undefined when they were: absence
   * from what was never read is not drift.
   */
  unread?(o: KubeObject): string | undefined;
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
 * Pure: compares desired (git, rendered) with live objects the way Argo CD does: hooks left out,
 * status and server-set metadata ignored, fields git does not set ignored (the API server defaults
 * them), quantities compared by value, each Application's ignoreDifferences honoured. A live object
 * an Application tracks that git no longer has is extra, unless that Application's desired state is
 * incomplete: then it is "not compared", with the reason. Secret values are never reported, only the
 * names of changed keys.
 */
export function diffResources(
  desired: readonly DesiredResource[],
  live: readonly KubeObject[],
  ownership: LiveOwnership,
): ResourceDrift[] {
  const liveById = new Map(live.map((o) => [objectId(o), o]));
  const desiredIds = new Set<string>();
  const out: ResourceDrift[] = [];
  for (const d of desired) {
    if (isHook(d.object)) continue;
    let id = objectId(d.object);
    if (!d.object.metadata?.namespace && d.namespace && !liveById.has(id)) {
      const inDestination = objectId({
        ...d.object,
        metadata: { ...d.object.metadata, namespace: d.namespace },
      });
      if (liveById.has(inDestination)) id = inDestination;
    }
    // The bootstrap and the Application that then manages it may both render one object: once.
    if (desiredIds.has(id)) continue;
    desiredIds.add(id);
    const l = liveById.get(id);
    if (!l) {
      const unread = ownership.unread?.(d.object);
      out.push(
        unread === undefined
          ? { state: 'missing', id, object: d.object }
          : { state: 'not-compared', id, object: d.object, reason: unread },
      );
      continue;
    }
    const fields = comparedFields(d.object, l, d.ignore);
    if (fields.length) out.push({ state: 'changed', id, object: d.object, fields });
  }
  for (const l of live) {
    if (desiredIds.has(objectId(l)) || isHook(l)) continue;
    const app = ownership.trackedBy(l);
    if (app === undefined) continue;
    const reason = ownership.incomplete?.get(app);
    out.push(
      reason === undefined
        ? { state: 'extra', id: objectId(l), object: l }
        : { state: 'not-compared', id: objectId(l), object: l, reason },
    );
  }
  for (const d of out) d.object = withoutSecretValues(d.object);
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The fields git sets that differ in the live object, as Argo CD compares one resource: status and
 * server-set metadata ignored, the Application's ignoreDifferences honoured, a v1 Secret's values
 * hidden. The rendered diff compares two renders with it too (hooks included there: their
 * definition changes even though Argo CD does not compare them live).
 */
export function comparedFields(
  desired: KubeObject,
  live: KubeObject,
  ignore: readonly IgnoreDifference[],
): FieldChange[] {
  const ignored: PathPattern[] = [];
  for (const rule of ignore.filter((r) => appliesTo(r, desired))) {
    for (const p of rule.jsonPointers ?? []) ignored.push(fromJsonPointer(p));
    for (const e of rule.jqPathExpressions ?? []) {
      const p = fromJqPath(e);
      if (p) ignored.push(p);
    }
    if (rule.managedFieldsManagers?.length) ignored.push(...managedPaths(live, rule.managedFieldsManagers));
  }
  const fields: FieldChange[] = fieldDifferences(desired, live, {
    onlySetInFirst: true,
    ignored: (p) => serverSet(p) || (ignored.length > 0 && matchesPattern(positionalPath(p), ignored)),
  }).map((f) => ({
    path: formatPath(f.path),
    git: f.before,
    live: f.after,
    ...(f.lines ? { lines: f.lines } : {}),
  }));
  if (desired.kind === 'Secret' && desired.apiVersion === 'v1')
    for (const f of fields) {
      f.git = '(hidden)';
      f.live = '(hidden)';
      delete f.lines;
    }
  return fields;
}

/** The parts of a live object the API server and Argo CD write: status, server metadata. */
function serverSet(path: readonly PathSegment[]): boolean {
  if (path.length === 1 && path[0] === 'status') return true;
  if (path.length === 2 && path[0] === 'metadata' && SERVER_METADATA.has(String(path[1]))) return true;
  return (
    path.length === 3 &&
    path[0] === 'metadata' &&
    path[1] === 'annotations' &&
    SERVER_ANNOTATIONS.has(String(path[2]))
  );
}

/**
 * Argo CD leaves hooks out of the comparison (gitops-engine pkg/sync/hook IsHook): an
 * `argocd.argoproj.io/hook` other than Skip alone, or a `helm.sh/hook` other than crd-install.
 */
export function isHook(o: KubeObject): boolean {
  const a = o.metadata?.annotations ?? {};
  const argo = a['argocd.argoproj.io/hook'];
  if (argo !== undefined) {
    const types = argo
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    return !(types.length === 1 && types[0] === 'Skip');
  }
  const helm = a['helm.sh/hook'];
  return helm !== undefined && helm !== 'crd-install';
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
