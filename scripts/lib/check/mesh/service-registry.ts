import type { Resource } from '../../repo/resource.ts';
import { fqdn, hostMatches, namespaceOf } from './hosts.ts';

export interface KnownService {
  host: string;
  ports: number[];
  resource: Resource;
}

/** The hosts the mesh knows in an environment: Kubernetes Services and ServiceEntry hosts. */
export function serviceRegistry(resources: readonly Resource[]): KnownService[] {
  const out: KnownService[] = [];
  for (const r of resources) {
    const spec = (r.object.spec ?? {}) as Record<string, any>;
    if (r.object.apiVersion === 'v1' && r.object.kind === 'Service' && r.object.metadata?.name) {
      out.push({
        host: fqdn(r.object.metadata.name, namespaceOf(r)),
        ports: (spec.ports ?? []).map((p: { port: number }) => p.port),
        resource: r,
      });
    } else if (
      r.object.kind === 'ServiceEntry' &&
      /^networking\.istio\.io\//.test(r.object.apiVersion ?? '')
    ) {
      for (const h of spec.hosts ?? [])
        out.push({
          host: h,
          ports: (spec.ports ?? []).map((p: { number: number }) => p.number),
          resource: r,
        });
    }
  }
  return out;
}

export function lookupService(
  registry: readonly KnownService[],
  host: string,
  namespace: string,
): KnownService | undefined {
  const target = fqdn(host, namespace);
  return registry.find((s) => s.host === target) ?? registry.find((s) => hostMatches(s.host, target));
}
