import type { KubeObject, Resource } from '../repo/resource.ts';

export type Severity = 'error' | 'warning' | 'info';

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** One problem, pointing at a file and line a person can open. */
export interface Finding {
  /** Stable rule id, e.g. `schema/unknown-field`, `mesh/gateway-exists`. */
  rule: string;
  severity: Severity;
  message: string;
  /** Repo-relative path (or the path as given for --files). */
  file: string;
  line: number;
  env: string;
  resource?: ResourceRef;
  hint?: string;
  /** The matching `istioctl analyze` message code, when there is one. */
  istioCode?: string;
  /** 1-based column, where the finding is about a position in a line (a YAML syntax error). */
  column?: number;
  /** Findings that only follow from this one: shown folded under it, fixed by fixing it. */
  followers?: Finding[];
}

/** The object's name, or `<generateName>*` for one the API server names on creation. */
export function displayName(o: KubeObject): string {
  const generate = o.metadata?.generateName;
  return o.metadata?.name ?? (typeof generate === 'string' && generate ? `${generate}*` : '');
}

export function refOf(o: KubeObject): ResourceRef {
  const ref: ResourceRef = {
    apiVersion: o.apiVersion ?? '',
    kind: o.kind ?? '',
    name: displayName(o),
  };
  if (o.metadata?.namespace) ref.namespace = o.metadata.namespace;
  return ref;
}

export function findingFor(
  resource: Resource,
  fields: Pick<Finding, 'rule' | 'severity' | 'message'> & Partial<Finding>,
): Finding {
  return {
    file: resource.origin.file,
    line: resource.origin.line,
    env: resource.env,
    resource: refOf(resource.object),
    ...fields,
  };
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
