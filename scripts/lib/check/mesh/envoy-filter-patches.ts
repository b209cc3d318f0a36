import type { Resource } from '../../repo/resource.ts';
import { namespaceOf } from './hosts.ts';

/** The Istio message a config patch earns, as istioctl analyze's EnvoyPatchAnalyzer decides it. */
export type EnvoyPatchCode = 'IST0151' | 'IST0152' | 'IST0153' | 'IST0154' | 'IST0155';

export interface EnvoyPatchVerdict {
  filter: Resource;
  index: number;
  code: EnvoyPatchCode;
  operation: string;
  applyTo: string;
}

const ROUTE_CONTEXTS = new Set(['ROUTE_CONFIGURATION', 'HTTP_ROUTE']);
const REPLACEABLE = new Set(['NETWORK_FILTER', 'HTTP_FILTER', 'VIRTUAL_HOST']);

/**
 * The name istioctl's analyzer keys a patch on to spot several filters patching one Envoy filter while
 * one of them pins a proxyVersion: `patch.value.name` as protobuf text, else the listener match's
 * filter name as plain text (so the two never compare equal; the prefix keeps that), else nothing.
 */
function instanceName(patch: Record<string, any>): string {
  const value = patch.patch?.value;
  if (!value || typeof value !== 'object' || Object.keys(value).length === 0) return '';
  if (value.name !== undefined && value.name !== null) return `value:${JSON.stringify(value.name)}`;
  const chain = patch.match?.listener?.filterChain;
  return chain ? String(chain.filter?.name ?? '') : '';
}

/**
 * Every EnvoyFilter config patch that istioctl analyze reports (pkg/config/analysis/analyzers/envoyfilter),
 * with its semantics kept exactly: filters are visited in namespace/name order; a patch without `patch`
 * ends the visit of its filter; ADD and REMOVE on ROUTE_CONFIGURATION or HTTP_ROUTE are ignored by istiod
 * (IST0153, IST0154); REPLACE is only valid on HTTP_FILTER, NETWORK_FILTER and VIRTUAL_HOST (IST0152); a relative
 * operation (REMOVE, REPLACE, INSERT_BEFORE, INSERT_AFTER) in a filter without a priority is IST0151, or
 * IST0155 when an earlier patch of the same filter name pinned `match.proxy.proxyVersion`.
 */
export function envoyPatchVerdicts(filters: readonly Resource[]): EnvoyPatchVerdict[] {
  const ordered = [...filters].sort((a, b) =>
    `${namespaceOf(a)}/${a.object.metadata?.name ?? ''}`.localeCompare(
      `${namespaceOf(b)}/${b.object.metadata?.name ?? ''}`,
    ),
  );
  const pinnedNames: string[] = [];
  const out: EnvoyPatchVerdict[] = [];
  for (const filter of ordered) {
    const spec = (filter.object.spec ?? {}) as Record<string, any>;
    const priority = Number(spec.priority ?? 0);
    const patches = (spec.configPatches ?? []) as Record<string, any>[];
    for (let index = 0; index < patches.length; index++) {
      const patch = patches[index]!;
      if (!patch.patch) break;
      const operation = String(patch.patch.operation ?? 'INVALID');
      const applyTo = String(patch.applyTo ?? 'INVALID');
      const name = instanceName(patch);
      const report = (code: EnvoyPatchCode) => out.push({ filter, index, code, operation, applyTo });
      const relative = () => {
        if (priority === 0) report(pinnedNames.includes(name) ? 'IST0155' : 'IST0151');
      };
      if (operation === 'ADD') {
        if (ROUTE_CONTEXTS.has(applyTo)) report('IST0153');
      } else if (operation === 'REMOVE') {
        if (ROUTE_CONTEXTS.has(applyTo)) report('IST0154');
        else relative();
      } else if (operation === 'REPLACE') {
        if (!REPLACEABLE.has(applyTo)) report('IST0152');
        else relative();
      } else if (operation === 'INSERT_BEFORE' || operation === 'INSERT_AFTER') relative();
      if ((patch.match?.proxy?.proxyVersion ?? '') !== '') pinnedNames.push(name);
    }
  }
  return out;
}
