import type { Rule, RuleContext } from '../rule.ts';
import { envoyPatchVerdicts, type EnvoyPatchCode } from '../mesh/envoy-filter-patches.ts';
import { analysisScope, NETWORKING } from '../mesh/analysis-scope.ts';
import { MessageSet } from '../mesh/message-key.ts';
import { at, name } from './rule-helpers.ts';

/**
 * The verdicts of one Istio code, pointing at the patch. istioctl's message has no parameters and its
 * line lookup never resolves (the patch value is not a scalar), so it says each code once per filter.
 */
const patchesWith = (ctx: RuleContext, code: EnvoyPatchCode, text: string) => {
  const out = new MessageSet();
  for (const v of envoyPatchVerdicts(analysisScope(ctx).of(NETWORKING, 'EnvoyFilter')).filter(
    (x) => x.code === code,
  ))
    out.add(
      v.filter,
      '',
      at(
        ctx,
        v.filter,
        ['spec', 'configPatches', v.index, 'patch', 'value'],
        `${name(v.filter)}: configPatches[${v.index}] ${v.operation} on ${v.applyTo}: ${text}`,
      ),
    );
  return out.findings;
};

export const envoyFilterRelativeOperation: Rule = {
  id: 'mesh/envoyfilter-relative-operation',
  severity: 'warning',
  istioCode: 'IST0151',
  title: 'EnvoyFilters with relative patch operations set a priority',
  why: 'INSERT_BEFORE/AFTER, REPLACE and REMOVE apply relative to other filters; without a priority the order EnvoyFilters apply in is undefined, so the patch may find nothing to act on.',
  hint: 'set spec.priority, or use INSERT_FIRST or ADD',
  check: (ctx) => patchesWith(ctx, 'IST0151', 'relative operation in a filter without a priority'),
};

export const envoyFilterReplaceContext: Rule = {
  id: 'mesh/envoyfilter-replace-context',
  severity: 'error',
  istioCode: 'IST0152',
  title: 'EnvoyFilter REPLACE applies to HTTP_FILTER, NETWORK_FILTER or VIRTUAL_HOST only',
  why: 'istiod only implements REPLACE for HTTP filters, network filters and virtual hosts; anywhere else the patch is ignored.',
  hint: 'use MERGE to change a listener, cluster or route, or applyTo HTTP_FILTER, NETWORK_FILTER or VIRTUAL_HOST',
  check: (ctx) =>
    patchesWith(ctx, 'IST0152', 'REPLACE is only valid for HTTP_FILTER, NETWORK_FILTER and VIRTUAL_HOST'),
};

export const envoyFilterAddIgnored: Rule = {
  id: 'mesh/envoyfilter-add-ignored',
  severity: 'error',
  istioCode: 'IST0153',
  title: 'EnvoyFilter ADD is not used on ROUTE_CONFIGURATION or HTTP_ROUTE',
  why: 'istiod ignores ADD when applyTo is ROUTE_CONFIGURATION or HTTP_ROUTE: the patch silently does nothing.',
  hint: 'add routes with ADD on VIRTUAL_HOST (or in a VirtualService); change a route configuration with MERGE',
  check: (ctx) => patchesWith(ctx, 'IST0153', 'ADD is ignored on ROUTE_CONFIGURATION and HTTP_ROUTE'),
};

export const envoyFilterRemoveIgnored: Rule = {
  id: 'mesh/envoyfilter-remove-ignored',
  severity: 'error',
  istioCode: 'IST0154',
  title: 'EnvoyFilter REMOVE is not used on ROUTE_CONFIGURATION or HTTP_ROUTE',
  why: 'istiod ignores REMOVE when applyTo is ROUTE_CONFIGURATION or HTTP_ROUTE: what you meant to remove stays.',
  hint: 'remove the route through its VirtualService, or REMOVE the VIRTUAL_HOST',
  check: (ctx) => patchesWith(ctx, 'IST0154', 'REMOVE is ignored on ROUTE_CONFIGURATION and HTTP_ROUTE'),
};

export const envoyFilterRelativeOperationProxyVersion: Rule = {
  id: 'mesh/envoyfilter-relative-proxy-version',
  severity: 'warning',
  istioCode: 'IST0155',
  title: 'EnvoyFilters sharing a filter name with a proxyVersion-pinned one set a priority',
  why: 'During an upgrade the proxyVersion-pinned filter stops matching; a relative patch ordered after it without a priority then has nothing to act on.',
  hint: 'set spec.priority on the EnvoyFilters patching this filter, or use INSERT_FIRST or ADD',
  check: (ctx) =>
    patchesWith(
      ctx,
      'IST0155',
      'relative operation without a priority on a filter another patch pins to a proxyVersion',
    ),
};

export const MESH_ENVOYFILTER_RULES: readonly Rule[] = [
  envoyFilterRelativeOperation,
  envoyFilterReplaceContext,
  envoyFilterAddIgnored,
  envoyFilterRemoveIgnored,
  envoyFilterRelativeOperationProxyVersion,
];
