import type { Resource } from '../../repo/resource.ts';

/**
 * A host as istiod resolves it: short names are qualified with the resource's namespace
 * (`reviews` in `default` is `reviews.default.svc.cluster.local`), `svc.ns` gets the cluster suffix,
 * anything with more dots, and wildcards, are taken as written.
 */
export function fqdn(host: string, namespace: string, domain = 'cluster.local'): string {
  if (host.startsWith('*') || host.includes('/')) return host;
  const parts = host.split('.');
  if (parts.length === 1) return `${host}.${namespace}.svc.${domain}`;
  if (parts.length === 2) return `${host}.svc.${domain}`;
  return host;
}

export function namespaceOf(r: Resource, fallback = 'default'): string {
  return r.object.metadata?.namespace ?? fallback;
}

/** Does `pattern` (possibly `*` or `*.example.com`) cover `host`? */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) || host === pattern;
  return pattern === host;
}
