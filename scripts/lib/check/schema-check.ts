import type { Finding } from './finding.ts';
import { displayName, findingFor } from './finding.ts';
import type { SchemaRegistry } from './schema/registry.ts';
import type { Resource } from '../repo/resource.ts';
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
      if (!allowedWithoutSchema(allow, o.apiVersion, o.kind))
        findings.push(
          findingFor(r, {
            rule: 'schema/unknown-kind',
            severity: 'error',
            message: `no schema for ${o.apiVersion} ${o.kind}: it cannot be validated`,
            hint: `check apiVersion and kind, or add "${o.apiVersion}/${o.kind}" to kindsWithoutSchema in clusters/settings.yaml`,
          }),
        );
      continue;
    }
    for (const issue of issues) {
      findings.push(
        findingFor(r, {
          rule: `schema/${issue.keyword}`,
          severity: 'error',
          message: `${o.kind} ${displayName(o)}: ${issue.message}`,
          ...locateField(index, r, issue.path),
          hint: HINTS[issue.keyword] ?? HINTS.other,
        }),
      );
    }
  }
  return findings;
}
