import type { Resource } from '../../repo/resource.ts';
import { namespaceOf } from '../mesh/hosts.ts';

export interface MeshedWorkload {
  resource: Resource;
  namespace: string;
  podLabels: Record<string, string>;
}

const INJECT = 'sidecar.istio.io/inject';

/**
 * Is a namespace injected? istio-injection=enabled, or istio.io/rev when istio-injection is absent
 * (istio-injection wins when both are set, IST0123).
 */
export function injectedNamespace(labels: Record<string, string> | undefined): boolean {
  const legacy = labels?.['istio-injection'];
  return legacy === undefined ? labels?.['istio.io/rev'] !== undefined : legacy === 'enabled';
}

/**
 * Deployments and StatefulSets whose pods get a sidecar: in a Namespace of this set that is injected,
 * and not opted out with sidecar.istio.io/inject: "false" (pod label, or the older pod annotation).
 */
export function meshedWorkloads(resources: readonly Resource[]): MeshedWorkload[] {
  const injected = new Set(
    resources
      .filter((r) => r.object.apiVersion === 'v1' && r.object.kind === 'Namespace')
      .filter((r) => injectedNamespace(r.object.metadata?.labels))
      .map((r) => r.object.metadata?.name),
  );
  const out: MeshedWorkload[] = [];
  for (const r of resources) {
    const o = r.object as Record<string, any>;
    if (o.apiVersion !== 'apps/v1' || (o.kind !== 'Deployment' && o.kind !== 'StatefulSet')) continue;
    const namespace = namespaceOf(r);
    const meta = o.spec?.template?.metadata ?? {};
    const optOut = meta.labels?.[INJECT] === 'false' || meta.annotations?.[INJECT] === 'false';
    if (injected.has(namespace) && !optOut)
      out.push({ resource: r, namespace, podLabels: (meta.labels ?? {}) as Record<string, string> });
  }
  return out;
}
