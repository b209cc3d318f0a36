import type { Finding } from '../finding.ts';
import type { Rule } from '../rule.ts';
import type { Resource } from '../../repo/resource.ts';
import { namespaceOf } from '../mesh/hosts.ts';
import { chartNamespaces, clusterResourceNamespace } from '../environment/chart-namespaces.ts';
import { existingObjects, objectKey, podReferences } from '../workload/existing-objects.ts';
import {
  operatorSecretReferences,
  type OperatorSecretReference,
} from '../workload/operator-secret-references.ts';
import { selects } from '../workload/label-selector.ts';
import { podTemplates } from '../workload/pod-templates.ts';
import { at, name, spec } from './rule-helpers.ts';
import { appendTo } from '../../collections/map-of-lists.ts';

/**
 * The pod labels of every pod template in the environment, by namespace and by each `key=value`
 * they carry: a selector's matches are among the pods carrying its first pair, so a Service is
 * compared with those rather than with every pod of its namespace.
 */
function podLabelIndex(resources: Parameters<typeof podTemplates>[0]): Map<string, Record<string, string>[]> {
  const out = new Map<string, Record<string, string>[]>();
  for (const t of podTemplates(resources)) {
    const o = t.resource.object as Record<string, any>;
    const labels: Record<string, string> =
      (o.kind === 'Pod' ? o.metadata?.labels : o.spec?.template?.metadata?.labels) ??
      o.spec?.jobTemplate?.spec?.template?.metadata?.labels ??
      {};
    const ns = namespaceOf(t.resource);
    for (const [k, v] of Object.entries(labels)) appendTo(out, pairKey(ns, k, v), labels);
  }
  return out;
}

const pairKey = (ns: string, k: string, v: unknown) => `${ns}\0${k}\0${String(v)}`;

/** Does `selector` (non-empty) select some pod of namespace `ns`? */
function selectsSomePod(
  index: Map<string, Record<string, string>[]>,
  ns: string,
  selector: Record<string, string>,
): boolean {
  const [k, v] = Object.entries(selector)[0]!;
  return (index.get(pairKey(ns, k, v)) ?? []).some((l) => selects(selector, l));
}

export const serviceSelectsWorkload: Rule = {
  id: 'workload/service-selector-matches',
  severity: 'error',
  title: "A Service's selector matches the pod labels of a workload in its namespace",
  why: 'A Service that selects no pods has no endpoints: every request to it fails (503 in the mesh, connection refused outside).',
  hint: "make spec.selector a subset of the workload's spec.template.metadata.labels",
  check: (ctx) => {
    const pods = podLabelIndex(ctx.resources);
    const charts = chartNamespaces(ctx);
    return ctx.resources
      .filter((r) => r.object.apiVersion === 'v1' && r.object.kind === 'Service')
      .filter((r) => Object.keys(spec(r.object).selector ?? {}).length > 0)
      .filter((r) => !selectsSomePod(pods, namespaceOf(r), spec(r.object).selector))
      .map((r) => {
        const chart = charts.get(namespaceOf(r));
        // A chart deployed to the namespace may run the selected pods: offline that is a doubt, not a fact.
        return at(
          ctx,
          r,
          ['spec', 'selector'],
          `${name(r)}: selector ${JSON.stringify(spec(r.object).selector)} matches no workload in ${namespaceOf(r)}${chart ? ` (chart ${chart} deploys there)` : ''}`,
          chart || ctx.partial ? { severity: 'warning' } : {},
        );
      });
  },
};

export const referencesExist: Rule = {
  id: 'workload/references-exist',
  severity: 'error',
  title:
    'ServiceAccounts, ConfigMaps and Secrets that pods, data operators and cert-manager issuers reference exist in the environment',
  why: 'A pod whose ServiceAccount is missing is never created; a missing ConfigMap or Secret (volume, envFrom, env valueFrom) keeps it in ContainerCreating or CreateContainerConfigError. A data operator (CloudNativePG, Strimzi, the Redis, MongoDB and MySQL operators) whose Secret is missing creates no database, role, user or TLS listener, and an issuer without its CA or DNS credentials issues no certificate; both say so only in their status.',
  hint: 'add the object (a SealedSecret for a Secret, or the controller resource that writes it, e.g. a cert-manager Certificate), fix the name, or mark the reference optional: true',
  check: (ctx) => {
    const existing = existingObjects(ctx.resources);
    const charts = chartNamespaces(ctx);
    const out: Finding[] = [];
    const reportMissing = (resource: Resource, ref: OperatorSecretReference, path: (string | number)[]) => {
      const ns = ref.namespace ?? namespaceOf(resource);
      if (existing.has(objectKey(ref.kind, ns, ref.name))) return;
      const chart = charts.get(ns);
      out.push(
        at(
          ctx,
          resource,
          path,
          `${name(resource)}: ${ref.kind} ${ns}/${ref.name} does not exist in ${ctx.partial ? 'the files checked' : 'this environment'}${chart ? ` (chart ${chart} deploys there and may create it)` : ''}`,
          // In loose files the object may be made elsewhere (a Secret created by hand): a doubt.
          chart || ctx.partial ? { severity: 'warning' } : {},
        ),
      );
    };
    for (const t of podTemplates(ctx.resources))
      for (const ref of podReferences(t.spec)) reportMissing(t.resource, ref, [...t.path, ...ref.path]);
    const certManagerNamespace = clusterResourceNamespace(ctx);
    for (const r of ctx.resources)
      for (const ref of operatorSecretReferences(r.object as Record<string, any>, certManagerNamespace))
        reportMissing(r, ref, ref.path);
    return out;
  },
};

export const WORKLOAD_REFERENCE_RULES: readonly Rule[] = [serviceSelectsWorkload, referencesExist];
