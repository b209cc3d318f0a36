import type { Finding } from './finding.ts';
import { findingFor } from './finding.ts';
import type { SchemaRegistry } from './schema/registry.ts';
import type { Resource } from '../repo/resource.ts';
import type { SourceIndex } from '../repo/source-index.ts';

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
    if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string' || !o.metadata?.name) {
      findings.push(
        findingFor(r, {
          rule: 'schema/object',
          severity: 'error',
          message: 'not a Kubernetes object: apiVersion, kind and metadata.name are required',
          hint: 'every document must have apiVersion, kind and metadata.name',
        }),
      );
      continue;
    }
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
          message: `${o.kind} ${o.metadata.name}: ${issue.message}`,
          line: r.chart ? r.origin.line : index.lineOf(r.origin, issue.path),
          hint: HINTS[issue.keyword] ?? HINTS.other,
        }),
      );
    }
  }
  return findings;
}
