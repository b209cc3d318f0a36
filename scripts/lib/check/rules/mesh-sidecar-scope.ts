import type { Finding } from '../finding.ts';
import type { Rule } from '../rule.ts';
import type { Resource } from '../../repo/resource.ts';
import { namespacesInGit } from '../environment/namespaces.ts';
import { analysisScope, NETWORKING } from '../mesh/analysis-scope.ts';
import { hostMatches, namespaceOf } from '../mesh/hosts.ts';
import { namespaceWideSidecars } from '../mesh/namespace-wide-sidecars.ts';
import { containersOf } from '../workload/pod-templates.ts';
import { selects } from '../workload/label-selector.ts';
import { meshedWorkloads } from '../workload/meshed-workloads.ts';
import { at, name, spec } from './rule-helpers.ts';

/** The mesh root namespace: a Sidecar there without a workload selector is every namespace's default. */
const ROOT_NAMESPACE = 'istio-system';
/** `<service>.<namespace>.svc` with or without `.cluster.local`, as a workload's config names a Service. */
const SERVICE_HOST =
  /\b([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.svc(?:\.cluster\.local)?\b/g;

/**
 * Does a Sidecar in `sidecarNs` with these egress hosts import the Service `fqdn` of `serviceNs`?
 * Istio's `namespace/dnsName` form: `*` any namespace, `.` the Sidecar's own, `~` none; the name
 * `*`, an FQDN or a `*.suffix` wildcard.
 */
export function sidecarImports(sidecarNs: string, hosts: readonly string[], serviceNs: string, fqdn: string) {
  return hosts.some((h) => {
    const slash = h.indexOf('/');
    if (slash < 0) return false;
    const ns = h.slice(0, slash);
    const dns = h.slice(slash + 1);
    const inScope = ns === '*' || ns === serviceNs || (ns === '.' && serviceNs === sidecarNs);
    return inScope && (dns === '*' || hostMatches(dns, fqdn));
  });
}

const egressHosts = (sidecar: Resource): string[] =>
  ((spec(sidecar.object).egress ?? []) as { hosts?: string[] }[]).flatMap((l) => l.hosts ?? []);

/**
 * Where a workload's config names hosts: env values, and the ConfigMaps of its namespace its
 * containers and volumes read (`configMaps` by `namespace/name`).
 */
function configValues(
  workload: Resource,
  namespace: string,
  configMaps: ReadonlyMap<string, Resource>,
): { resource: Resource; path: (string | number)[]; value: string }[] {
  const pod = (workload.object as Record<string, any>).spec?.template?.spec ?? {};
  const out: { resource: Resource; path: (string | number)[]; value: string }[] = [];
  const read = new Set<string>();
  for (const { container, path } of containersOf(pod)) {
    (container.env ?? []).forEach((e: Record<string, any>, i: number) => {
      if (typeof e.value === 'string')
        out.push({
          resource: workload,
          path: ['spec', 'template', 'spec', ...path, 'env', i, 'value'],
          value: e.value,
        });
      if (e.valueFrom?.configMapKeyRef?.name) read.add(e.valueFrom.configMapKeyRef.name);
    });
    for (const from of container.envFrom ?? []) if (from.configMapRef?.name) read.add(from.configMapRef.name);
  }
  for (const v of pod.volumes ?? []) if (v.configMap?.name) read.add(v.configMap.name);
  for (const cmName of read) {
    const cm = configMaps.get(`${namespace}/${cmName}`);
    for (const [key, value] of Object.entries((cm?.object as { data?: Record<string, unknown> })?.data ?? {}))
      if (typeof value === 'string') out.push({ resource: cm!, path: ['data', key], value });
  }
  return out;
}

export const sidecarScopeCoversConfig: Rule = {
  id: 'mesh/sidecar-scope-covers-config',
  severity: 'error',
  title: "A meshed workload's Sidecar imports every in-cluster Service its config names",
  why: "A Sidecar's egress hosts are all the proxy knows: a call to a Service outside them is dropped with REGISTRY_ONLY egress (BlackHoleCluster) and leaves the mesh's policies and telemetry with ALLOW_ANY, so it works in an environment that allows any egress and fails after promotion.",
  hint: "add the namespace (`<namespace>/*`) or the host (`<namespace>/<host>`) to the egress hosts of the namespace's Sidecar",
  check: (ctx) => {
    const sidecars = analysisScope(ctx).of(NETWORKING, 'Sidecar');
    // Operators create most data Services at run time (CloudNativePG's postgres-rw, Strimzi's bootstrap):
    // a `.svc` host in a namespace this environment deploys is in-cluster whether or not git has it.
    const namespaces = new Set(namespacesInGit(ctx.resources).map((r) => r.object.metadata?.name));
    const configMaps = new Map(
      ctx.resources
        .filter((r) => r.object.apiVersion === 'v1' && r.object.kind === 'ConfigMap')
        .map((r) => [`${namespaceOf(r)}/${r.object.metadata?.name}`, r]),
    );
    const wide = namespaceWideSidecars(ctx);
    const out: Finding[] = [];
    const reported = new Set<string>();
    for (const w of meshedWorkloads(ctx.resources)) {
      // The Sidecar that applies: one selecting the workload's pods, else the namespace's, else the mesh's.
      const selecting = sidecars.filter(
        (s) =>
          namespaceOf(s) === w.namespace && selects(spec(s.object).workloadSelector?.labels, w.podLabels),
      );
      const own = wide.get(w.namespace) ?? [];
      const effective = selecting.length ? selecting : own.length ? own : (wide.get(ROOT_NAMESPACE) ?? []);
      // Several at one level: istiod picks one (mesh/multiple-default-sidecars and IST0110 say so).
      if (effective.length !== 1) continue;
      const sidecar = effective[0]!;
      const hosts = egressHosts(sidecar);
      for (const { resource, path, value } of configValues(w.resource, w.namespace, configMaps))
        for (const m of value.matchAll(SERVICE_HOST)) {
          const [service, serviceNs] = [m[1]!, m[2]!];
          if (!namespaces.has(serviceNs)) continue;
          const fqdn = `${service}.${serviceNs}.svc.cluster.local`;
          if (sidecarImports(namespaceOf(sidecar), hosts, serviceNs, fqdn)) continue;
          const key = `${resource.object.kind}/${namespaceOf(resource)}/${resource.object.metadata?.name}/${path.join('.')}/${fqdn}`;
          if (reported.has(key)) continue;
          reported.add(key);
          out.push(
            at(
              ctx,
              resource,
              path,
              `${name(resource)} names ${m[0]}, which Sidecar ${namespaceOf(sidecar)}/${sidecar.object.metadata?.name} does not import (egress hosts ${hosts.join(', ') || 'none'}): ${name(w.resource)}'s proxy has no route to it`,
            ),
          );
        }
    }
    return out;
  },
};

export const MESH_SIDECAR_SCOPE_RULES: readonly Rule[] = [sidecarScopeCoversConfig];
