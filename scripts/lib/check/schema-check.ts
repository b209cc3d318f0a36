import type { Finding } from './finding.ts';
import { displayName, findingFor } from './finding.ts';
import type { SchemaRegistry } from './schema/registry.ts';
import { groupOf, type Resource } from '../repo/resource.ts';
import type { SourceIndex } from '../repo/source-index.ts';
import { locateField } from '../repo/field-origin.ts';
import { apiRemoved } from './api-lifecycle.ts';

const HINTS: Record<string, string> = {
  'unknown-field': 'remove the field or fix its spelling; kubectl and Argo CD reject unknown fields',
  type: 'change the value to the type the API expects',
  required: 'add the missing field',
  enum: 'use one of the allowed values',
  format: 'write the value in the expected format',
  other: 'make the value match the API schema',
};

/** Is `apiVersion/kind` on the allow list (exact, `group/*`, or `group/version/*`)? */
export function allowedWithoutSchema(allow: readonly string[], apiVersion: string, kind: string): boolean {
  const full = `${apiVersion}/${kind}`;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return allow.some((a) => a === full || a === `${apiVersion}/*` || (group !== '' && a === `${group}/*`));
}

/**
 * Schema-validates every resource: unknown fields, types, enums, required fields. CRDs that the
 * environment itself deploys are taught to the registry first, so their custom resources validate too.
 */
export async function checkSchemas(
  resources: readonly Resource[],
  registry: SchemaRegistry,
  index: SourceIndex,
  allow: readonly string[],
  kubernetesVersion: string,
  /** Loose files: a custom resource whose CRD is not in the set may be installed elsewhere. */
  partial = false,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const r of resources) {
    if (r.object.kind === 'CustomResourceDefinition' && r.object.apiVersion === 'apiextensions.k8s.io/v1')
      registry.addCustomResourceDefinition(r.object);
  }
  const pairs = new Map<string, { apiVersion: string; kind: string }>();
  for (const r of resources) {
    const { apiVersion, kind } = r.object;
    if (typeof apiVersion === 'string' && typeof kind === 'string')
      pairs.set(`${apiVersion}/${kind}`, { apiVersion, kind });
  }
  await registry.prepare([...pairs.values()]);
  for (const r of resources) {
    const o = r.object;
    // Hooks and Jobs Argo CD or Helm create on each sync are named by the API server from generateName.
    const named = Boolean(o.metadata?.name) || Boolean(o.metadata?.generateName);
    if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string' || !named) {
      findings.push(
        findingFor(r, {
          rule: 'schema/object',
          severity: 'error',
          message:
            'not a Kubernetes object: apiVersion, kind and metadata.name (or generateName) are required',
          hint: 'every document must have apiVersion, kind and metadata.name or metadata.generateName',
        }),
      );
      continue;
    }
    // A version the target no longer serves is rejected before any field is read: rule
    // schema/api-version-removed reports it once, with the release and the replacement.
    if (apiRemoved(o.apiVersion, o.kind, kubernetesVersion)) continue;
    const issues = registry.validate(o);
    if (issues === null) {
      if (!allowedWithoutSchema(allow, o.apiVersion, o.kind)) {
        const f = unknownKind(r, partial);
        if (f) findings.push(f);
      }
      continue;
    }
    for (const issue of issues) {
      findings.push(
        findingFor(r, {
          rule: `schema/${issue.keyword}`,
          severity: 'error',
          message: `${o.kind} ${displayName(o)}: ${issue.message}`,
          // A chart's object has no file of its own here: its findings sit on the chart source line.
          ...(r.chart ? { line: r.origin.line } : locateField(index, r, issue.path)),
          hint: HINTS[issue.keyword] ?? HINTS.other,
        }),
      );
    }
  }
  return findings;
}

/** API groups Kubernetes itself serves (others ending in .k8s.io, like gateway.networking.k8s.io, are CRDs). */
const BUILTIN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'extensions',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'storagemigration.k8s.io',
]);

/**
 * No schema for this apiVersion and kind. A built-in group with an unknown kind is a typo the API
 * server rejects: an error. A custom resource is an error in an environment (its CRD is rendered or
 * declared), a warning in loose files (its CRD may be installed elsewhere). A group with no dot
 * that Kubernetes does not serve is no API object at all (a tool's own config file, e.g. skaffold's).
 */
function unknownKind(r: Resource, partial: boolean): Finding | undefined {
  const o = r.object;
  const group = groupOf(o.apiVersion);
  const builtin = BUILTIN_GROUPS.has(group);
  if (partial && !builtin && !group.includes('.'))
    return findingFor(r, {
      rule: 'schema/unknown-kind',
      severity: 'info',
      message: `${o.apiVersion} ${o.kind} is not a Kubernetes API group (no dot in "${group}"): not checked`,
      hint: 'leave such files out of --files, or ignore this note',
    });
  return findingFor(r, {
    rule: 'schema/unknown-kind',
    severity: partial && !builtin ? 'warning' : 'error',
    message: `no schema for ${o.apiVersion} ${o.kind}: it cannot be validated${partial && !builtin ? ' (its CustomResourceDefinition is not among the files)' : ''}`,
    hint:
      partial && !builtin
        ? `add the CRD to the files checked, or list "${o.apiVersion}/${o.kind}" under kindsWithoutSchema in clusters/settings.yaml`
        : `check apiVersion and kind, or add "${o.apiVersion}/${o.kind}" to kindsWithoutSchema in clusters/settings.yaml`,
  });
}
