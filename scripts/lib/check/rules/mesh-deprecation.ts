import type { Finding } from '../finding.ts';
import type { Rule } from '../rule.ts';
import { analysisScope, NETWORKING } from '../mesh/analysis-scope.ts';
import { at, name, spec } from './rule-helpers.ts';

/** Istio CRDs removed from the base chart that istioctl's deprecation analyzer still reports. */
const REMOVED_KINDS = new Set([
  'rbac.istio.io/ClusterRbacConfig',
  'rbac.istio.io/RbacConfig',
  'rbac.istio.io/ServiceRole',
  'rbac.istio.io/ServiceRoleBinding',
]);

export const deprecatedFields: Rule = {
  id: 'mesh/deprecated-fields',
  severity: 'warning',
  istioCode: 'IST0002',
  title: 'No deprecated Istio fields or removed Istio kinds',
  why: 'Deprecated fields are ignored or dropped in a later release: the behaviour they configure disappears on upgrade.',
  hint: 'use HTTPRoute.fault.delay.percentage instead of percent; drop Sidecar outboundTrafficPolicy.egressProxy; remove rbac.istio.io CRDs',
  // The fields and kinds istioctl's FieldAnalyzer reports (pkg/config/analysis/analyzers/deprecation).
  check: (ctx) => {
    const out: Finding[] = [];
    for (const vs of analysisScope(ctx).of(NETWORKING, 'VirtualService'))
      ((spec(vs.object).http ?? []) as Record<string, any>[]).forEach((route, i) => {
        if (Number(route.fault?.delay?.percent ?? 0) > 0)
          out.push(
            at(
              ctx,
              vs,
              ['spec', 'http', i, 'fault', 'delay', 'percent'],
              `${name(vs)}: HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage`,
            ),
          );
      });
    for (const sc of analysisScope(ctx).of(NETWORKING, 'Sidecar'))
      if (spec(sc.object).outboundTrafficPolicy?.egressProxy)
        out.push(
          at(
            ctx,
            sc,
            ['spec', 'outboundTrafficPolicy', 'egressProxy'],
            `${name(sc)}: OutboundTrafficPolicy.EgressProxy is deprecated and ignored`,
          ),
        );
    for (const crd of analysisScope(ctx).of('apiextensions.k8s.io', 'CustomResourceDefinition')) {
      const s = spec(crd.object);
      const kind = `${s.group}/${s.names?.kind}`;
      if (REMOVED_KINDS.has(kind))
        out.push(
          at(
            ctx,
            crd,
            ['spec', 'group'],
            `${name(crd)}: custom resource type ${s.group} ${s.names?.kind} is removed`,
          ),
        );
    }
    return out;
  },
};

export const MESH_DEPRECATION_RULES: readonly Rule[] = [deprecatedFields];
