import type { Resource } from '../../repo/resource.ts';
import { isApplication } from '../../repo/application.ts';

/** Namespaces every cluster has before anything is synced. */
const CLUSTER_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * The namespaces an environment will have: the cluster's own, every Namespace object, every namespace a
 * resource is placed in, and every Application destination namespace (Argo CD creates it with
 * CreateNamespace=true, or the sync fails on its own).
 */
export function knownNamespaces(resources: readonly Resource[]): Set<string> {
  const out = new Set(CLUSTER_NAMESPACES);
  for (const r of resources) {
    const o = r.object;
    if (o.apiVersion === 'v1' && o.kind === 'Namespace' && o.metadata?.name) out.add(o.metadata.name);
    if (o.metadata?.namespace) out.add(o.metadata.namespace);
    const dest = (o.spec as { destination?: { namespace?: string } } | undefined)?.destination?.namespace;
    if (isApplication(o) && dest) out.add(dest);
  }
  return out;
}

/** Namespace objects defined in git (not merely referenced), by name. */
export function namespacesInGit(resources: readonly Resource[]): Resource[] {
  const seen = new Set<string>();
  return resources.filter((r) => {
    const n = r.object.metadata?.name;
    if (r.object.apiVersion !== 'v1' || r.object.kind !== 'Namespace' || !n || seen.has(n)) return false;
    seen.add(n);
    return true;
  });
}

/**
 * istio's namespace match for AuthorizationPolicy sources (analyzers/authz): `*` matches all, a leading
 * or trailing `*` matches a suffix or prefix, anything else compares case-insensitively.
 */
export function namespaceMatches(pattern: string, namespace: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return namespace.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return namespace.startsWith(pattern.slice(0, -1));
  return pattern.toLowerCase() === namespace.toLowerCase();
}
