import type { Resource } from '../../repo/resource.ts';
import type { Rule, RuleContext } from '../rule.ts';
import { ARGOPROJ, at, name, ofKind } from './rule-helpers.ts';

/** etcd's default request limit: the API server cannot store a larger object. */
const MAX_OBJECT_BYTES = 1.5 * 1024 * 1024;
/** apimachinery's TotalAnnotationSizeLimitB: all annotations of an object together. */
const MAX_ANNOTATION_BYTES = 256 * 1024;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

/**
 * At least the object's size as UTF-8 JSON, without writing the JSON: nearly every object is far
 * under both limits, and serialising each one was the costliest rule on a large stream. A UTF-16
 * unit takes at most 6 bytes (`\uXXXX`, or 3 bytes of UTF-8), a number at most 25 characters
 * (-0.0000012345678901234567), each key and value at most one comma or colon more.
 */
export function jsonBound(value: unknown): number {
  if (typeof value === 'string') return 2 + 6 * value.length;
  if (typeof value === 'number') return 25;
  if (typeof value === 'boolean') return 5;
  if (value === null || typeof value !== 'object') return 4;
  let n = 2;
  if (Array.isArray(value)) for (const item of value) n += jsonBound(item) + 1;
  else for (const key in value) n += jsonBound(key) + jsonBound((value as Record<string, unknown>)[key]) + 2;
  return n;
}

/** Each object's bound, once: both rules need it. */
const jsonBounds = new WeakMap<object, number>();
function jsonBytesBound(object: object): number {
  let bound = jsonBounds.get(object);
  if (bound === undefined) jsonBounds.set(object, (bound = jsonBound(object)));
  return bound;
}

const objectSize: Rule = {
  id: 'limits/object-size',
  severity: 'error',
  title: 'An object fits in what the API server stores (1.5 MiB)',
  why: 'etcd refuses requests over 1.5 MiB by default: the sync fails with "etcdserver: request is too large".',
  hint: 'split the data (several ConfigMaps), mount it from an image or a volume, or fetch it at start',
  check: (ctx) =>
    ctx.resources.flatMap((r) => {
      if (jsonBytesBound(r.object) <= MAX_OBJECT_BYTES) return [];
      const size = bytes(JSON.stringify(r.object));
      return size > MAX_OBJECT_BYTES
        ? [at(ctx, r, [], `${name(r)}: ${kib(size)} is more than the API server stores (1536 KiB)`)]
        : [];
    }),
};

/** Does Argo CD apply this resource server-side or by replace (neither writes last-applied)? */
function skipsLastApplied(ctx: RuleContext, r: Resource, apps: Map<string, Resource>): boolean {
  const own = r.object.metadata?.annotations?.[SYNC_OPTIONS] ?? '';
  if (/\b(ServerSideApply|Replace)=true\b/.test(own)) return true;
  const app = apps.get(r.app)?.object as { spec?: { syncPolicy?: { syncOptions?: string[] } } } | undefined;
  return (app?.spec?.syncPolicy?.syncOptions ?? []).some((o) => /^(ServerSideApply|Replace)=true$/.test(o));
}

const lastAppliedSize: Rule = {
  id: 'limits/last-applied-size',
  severity: 'error',
  title: 'Annotations stay under 256 KiB once client-side apply adds its last-applied copy',
  why: 'kubectl and Argo CD apply client-side by default and store the whole object in the last-applied-configuration annotation; all annotations together may not exceed 256 KiB, so a large object (a CRD, a dashboard ConfigMap) fails to sync with "metadata.annotations: Too long".',
  hint: 'sync it with ServerSideApply=true (syncPolicy.syncOptions of its Application, or the argocd.argoproj.io/sync-options annotation), or make it smaller',
  check: (ctx) => {
    const apps = new Map(ofKind(ctx, ARGOPROJ, 'Application').map((r) => [r.object.metadata?.name ?? '', r]));
    return ctx.resources.flatMap((r) => {
      // The copy is the object less its last-applied annotation: never longer than the object, so
      // an object within the limit with all of it needs no closer look.
      const own = r.object.metadata?.annotations ?? {};
      let bound = bytes(LAST_APPLIED) + jsonBytesBound(r.object);
      for (const [k, v] of Object.entries(own)) bound += jsonBound(k) + jsonBound(String(v));
      if (bound <= MAX_ANNOTATION_BYTES) return [];
      const annotations = { ...own };
      delete annotations[LAST_APPLIED];
      const metadata: Record<string, unknown> = { ...r.object.metadata, annotations };
      if (!Object.keys(annotations).length) delete metadata.annotations;
      const copy = { ...r.object, metadata };
      let total = bytes(LAST_APPLIED) + bytes(JSON.stringify(copy));
      for (const [k, v] of Object.entries(annotations)) total += bytes(k) + bytes(String(v));
      if (total <= MAX_ANNOTATION_BYTES || skipsLastApplied(ctx, r, apps)) return [];
      return [
        at(
          ctx,
          r,
          [],
          `${name(r)}: with the last-applied copy client-side apply adds, its annotations come to ${kib(total)} (at most 256 KiB)`,
        ),
      ];
    });
  },
};

export const API_LIMIT_RULES: readonly Rule[] = [objectSize, lastAppliedSize];
