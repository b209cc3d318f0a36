import type { Resource } from '../../repo/resource.ts';
import type { RuleContext } from '../rule.ts';
import { analysisScope, IGNORED_NAMESPACES } from './analysis-scope.ts';
import { istiodCharts } from './istiod-charts.ts';
import type { LabelSelector } from '../workload/label-selector.ts';

export interface InjectorWebhook {
  name: string;
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
}

/** Istio's own webhooks are those whose names end in istio.io (istioctl's webhook analyzers). */
export const isIstioWebhook = (w: { name?: unknown } | null | undefined) =>
  String(w?.name ?? '').endsWith('istio.io');

const INJECT = 'sidecar.istio.io/inject';
const REV = 'istio.io/rev';
const LEGACY = 'istio-injection';
const expr = (key: string, operator: string, values?: string[]) => ({
  key,
  operator,
  ...(values ? { values } : {}),
});

/** The injector webhooks the istiod chart renders for a revision (or revision tag): templates/mutatingwebhook.yaml. */
function chartWebhooks(values: Record<string, any>): InjectorWebhook[] {
  const revision = String(values.revision ?? '');
  const revisions = [revision || 'default', ...((values.revisionTags ?? []) as unknown[]).map(String)];
  const out: InjectorWebhook[] = revisions.flatMap((rev) => [
    {
      name: 'rev.namespace.sidecar-injector.istio.io',
      namespaceSelector: { matchExpressions: [expr(REV, 'In', [rev]), expr(LEGACY, 'DoesNotExist')] },
      objectSelector: { matchExpressions: [expr(INJECT, 'NotIn', ['false'])] },
    },
    {
      name: 'rev.object.sidecar-injector.istio.io',
      namespaceSelector: { matchExpressions: [expr(REV, 'DoesNotExist'), expr(LEGACY, 'DoesNotExist')] },
      objectSelector: { matchExpressions: [expr(INJECT, 'NotIn', ['false']), expr(REV, 'In', [rev])] },
    },
  ]);
  if (revision !== '') return out;
  out.push(
    {
      name: 'namespace.sidecar-injector.istio.io',
      namespaceSelector: { matchExpressions: [expr(LEGACY, 'In', ['enabled'])] },
      objectSelector: { matchExpressions: [expr(INJECT, 'NotIn', ['false'])] },
    },
    {
      name: 'object.sidecar-injector.istio.io',
      namespaceSelector: { matchExpressions: [expr(LEGACY, 'DoesNotExist'), expr(REV, 'DoesNotExist')] },
      objectSelector: { matchExpressions: [expr(INJECT, 'In', ['true']), expr(REV, 'DoesNotExist')] },
    },
  );
  if (values.sidecarInjectorWebhook?.enableNamespacesByDefault)
    out.push({
      name: 'auto.sidecar-injector.istio.io',
      namespaceSelector: {
        matchExpressions: [
          expr(LEGACY, 'DoesNotExist'),
          expr(REV, 'DoesNotExist'),
          expr('kubernetes.io/metadata.name', 'NotIn', [...IGNORED_NAMESPACES]),
        ],
      },
      objectSelector: { matchExpressions: [expr(INJECT, 'DoesNotExist'), expr(REV, 'DoesNotExist')] },
    });
  return out;
}

/**
 * Istio's sidecar injector webhooks (names ending in istio.io) of the MutatingWebhookConfigurations in
 * view; when there are none but the environment installs the istiod chart, the ones that chart renders
 * (charts are not rendered offline).
 */
export function injectorWebhooks(ctx: RuleContext): InjectorWebhook[] {
  const configs: Resource[] = [
    ...analysisScope(ctx).of('admissionregistration.k8s.io', 'MutatingWebhookConfiguration'),
  ];
  const visible = configs.flatMap((c) =>
    ((c.object.webhooks ?? []) as InjectorWebhook[]).filter(isIstioWebhook),
  );
  if (visible.length > 0) return visible;
  return istiodCharts(ctx).flatMap((c) => chartWebhooks(ctx.chartValues(c)));
}
