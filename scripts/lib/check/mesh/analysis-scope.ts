import type { Resource } from '../../repo/resource.ts';
import { groupOf } from '../../repo/resource.ts';
import type { RuleContext } from '../rule.ts';
import { appendTo } from '../../collections/map-of-lists.ts';

/**
 * Namespaces istioctl never reads (kube/inject IgnoredNamespaces): nothing in them is analyzed, and
 * Namespace objects of these names are dropped too.
 */
export const IGNORED_NAMESPACES: ReadonlySet<string> = new Set([
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'local-path-storage',
]);

export const NETWORKING = 'networking.istio.io';
export const SECURITY = 'security.istio.io';
export const TELEMETRY = 'telemetry.istio.io';

/** The resources istioctl analyze would read, indexed by `group/Kind` (any version). */
export interface AnalysisScope {
  resources: readonly Resource[];
  of(group: string, kind: string): readonly Resource[];
}

const cache = new WeakMap<readonly Resource[], AnalysisScope>();

export function analysisScope(ctx: Pick<RuleContext, 'resources'>): AnalysisScope {
  const hit = cache.get(ctx.resources);
  if (hit) return hit;
  const byKind = new Map<string, Resource[]>();
  const resources: Resource[] = [];
  for (const r of ctx.resources) {
    const o = r.object;
    const ns =
      o.kind === 'Namespace' && groupOf(o.apiVersion) === '' ? o.metadata?.name : o.metadata?.namespace;
    if (ns && IGNORED_NAMESPACES.has(ns)) continue;
    resources.push(r);
    appendTo(byKind, `${groupOf(o.apiVersion)}/${o.kind ?? ''}`, r);
  }
  const scope: AnalysisScope = { resources, of: (group, kind) => byKind.get(`${group}/${kind}`) ?? [] };
  cache.set(ctx.resources, scope);
  return scope;
}
