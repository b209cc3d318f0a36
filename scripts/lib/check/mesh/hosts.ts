import type { Resource } from '../../repo/resource.ts';

/** The cluster-local suffix istioctl's analyzers qualify short names with (analyzers/util/constants.go). */
export const CLUSTER_LOCAL = 'svc.cluster.local';

/**
 * A host as istioctl's analyzers resolve it (util.ConvertHostToFQDN): only a short name, one without a
 * dot, is qualified with the resource's namespace (`reviews` in `default` is
 * `reviews.default.svc.cluster.local`); anything with a dot is taken as written, so `ratings.default`
 * is a host of its own, not `ratings.default.svc.cluster.local`. Wildcards are kept.
 */
export function convertHostToFqdn(namespace: string, host: string): string {
  return host.startsWith('*') || host.includes('.') ? host : `${host}.${namespace}.${CLUSTER_LOCAL}`;
}

/** `name.namespace.svc.cluster.local` → its Service; greedy as upstream's `^(.+)\.(.+)\.svc\.cluster\.local$`. */
export function serviceOfFqdn(fqdn: string): { namespace: string; name: string } | undefined {
  const m = /^(.+)\.(.+)\.svc\.cluster\.local$/.exec(fqdn);
  return m ? { name: m[1]!, namespace: m[2]! } : undefined;
}

/** The resource a host names (util.GetResourceNameFromHost): an FQDN's Service, else the short name here. */
export function resourceNameOfHost(namespace: string, host: string): string {
  const s = serviceOfFqdn(host);
  return s ? `${s.namespace}/${s.name}` : `${namespace}/${host}`;
}

export function namespaceOf(r: Resource, fallback = 'default'): string {
  return r.object.metadata?.namespace ?? fallback;
}

const wild = (h: string) => h.startsWith('*');

/** host.Name.Matches: do the two (possibly wildcard) hosts share at least one concrete host? */
export function hostMatches(a: string, b: string): boolean {
  if (wild(a)) {
    if (wild(b))
      return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
    return b.endsWith(a.slice(1));
  }
  if (wild(b)) return a.endsWith(b.slice(1));
  return a === b;
}

/** host.NamesForNamespace: gateway server hosts as seen from `namespace` (`ns/host`, `*` or `.` prefixes). */
export function namesForNamespace(hosts: readonly string[], namespace: string): string[] {
  const out: string[] = [];
  for (const h of hosts) {
    const slash = h.indexOf('/');
    if (slash < 0) out.push(h);
    else {
      const ns = h.slice(0, slash);
      if (ns === namespace || ns === '*') out.push(h.slice(slash + 1));
    }
  }
  return out;
}
