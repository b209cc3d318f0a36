import type { Resource } from '../../repo/resource.ts';
import type { RuleContext } from '../rule.ts';
import { analysisScope, NETWORKING } from './analysis-scope.ts';
import { convertHostToFqdn, namespaceOf } from './hosts.ts';

/** A host the mesh knows, in the shape istioctl's analyzers compare against (Services become ServiceEntries). */
export interface KnownService {
  ports: number[];
  resource: Resource;
}

/**
 * istioctl's service registry (util.InitServiceEntryHostMap): `scope/fqdn` → service, where scope is
 * `*` for hosts visible everywhere or the one namespace that sees them. ServiceEntries are scoped by
 * exportTo (`.` is their own namespace), Services by the networking.istio.io/exportTo annotation; a
 * Service overrides a ServiceEntry with the same scoped host.
 */
export interface ServiceRegistry {
  exact: Map<string, KnownService>;
  /** Wildcard hosts, in registration order: [scope, host, service]. */
  wildcards: [string, string, KnownService][];
}

/** The scopes a resource's exportTo makes it visible in: `*` (everywhere), or each namespace, `.` its own. */
export function exportScopes(namespace: string, exportTo: readonly unknown[]): string[] {
  const names = exportTo.map(String);
  return names.length === 0 || names.includes('*')
    ? ['*']
    : [...new Set(names.map((e) => (e === '.' ? namespace : e)))];
}

const cache = new WeakMap<readonly Resource[], ServiceRegistry>();

export function serviceRegistry(ctx: Pick<RuleContext, 'resources'>): ServiceRegistry {
  const hit = cache.get(ctx.resources);
  if (hit) return hit;
  const scope = analysisScope(ctx);
  const exact = new Map<string, KnownService>();
  const put = (scopeName: string, ns: string, host: string, s: KnownService) =>
    exact.set(`${scopeName}/${convertHostToFqdn(ns, host)}`, s);
  for (const r of scope.of(NETWORKING, 'ServiceEntry')) {
    const spec = (r.object.spec ?? {}) as Record<string, any>;
    const ns = namespaceOf(r);
    const s: KnownService = {
      ports: ((spec.ports ?? []) as { number?: number }[]).map((p) => Number(p?.number ?? 0)),
      resource: r,
    };
    const scopes = exportScopes(ns, (spec.exportTo ?? []) as unknown[]);
    for (const h of (spec.hosts ?? []) as string[]) for (const sc of scopes) put(sc, ns, h, s);
  }
  for (const r of scope.of('', 'Service')) {
    const name = r.object.metadata?.name;
    if (!name) continue;
    const ns = namespaceOf(r);
    const spec = (r.object.spec ?? {}) as Record<string, any>;
    const s: KnownService = {
      ports: ((spec.ports ?? []) as { port?: number }[]).map((p) => Number(p?.port ?? 0)),
      resource: r,
    };
    const anno = r.object.metadata?.annotations?.['networking.istio.io/exportTo'];
    const scopes = anno ? anno.split(',').map((e) => (e.trim() === '.' ? ns : e.trim())) : ['*'];
    for (const sc of scopes) put(sc, ns, name, s);
  }
  const wildcards: [string, string, KnownService][] = [];
  for (const [key, s] of exact) {
    const slash = key.indexOf('/');
    const host = key.slice(slash + 1);
    if (host.startsWith('*')) wildcards.push([key.slice(0, slash), host, s]);
  }
  const registry = { exact, wildcards };
  cache.set(ctx.resources, registry);
  return registry;
}

/**
 * The service a host names, seen from a resource in `namespace` whose own exportTo is `exportTo`
 * (util.GetDestinationHost): first hosts visible everywhere, then those scoped to the resource's
 * namespace (or to each namespace it exports to), then wildcard hosts visible everywhere or here.
 */
export function destinationHost(
  registry: ServiceRegistry,
  namespace: string,
  exportTo: readonly string[],
  host: string,
): KnownService | undefined {
  const fqdn = convertHostToFqdn(namespace, host);
  const all = registry.exact.get(`*/${fqdn}`);
  if (all) return all;
  const scopes = exportTo.length === 0 ? [namespace] : exportTo.map((e) => (e === '.' ? namespace : e));
  for (const sc of scopes) {
    const s = registry.exact.get(`${sc}/${fqdn}`);
    if (s) return s;
  }
  const bare = host.startsWith('*') ? host.slice(1) : host;
  for (const [sc, seHost, s] of registry.wildcards) {
    if (sc !== '*' && sc !== namespace) continue;
    if (bare.endsWith(seHost.slice(1))) return s;
  }
  return undefined;
}
