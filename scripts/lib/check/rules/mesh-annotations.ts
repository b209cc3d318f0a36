import type { Finding } from '../finding.ts';
import type { Rule } from '../rule.ts';
import { analysisScope } from '../mesh/analysis-scope.ts';
import { ANNOTATION_CHECKS } from '../mesh/annotation-values.ts';
import { ISTIO_ANNOTATIONS } from '../mesh/istio-annotations.ts';
import { at, name } from './rule-helpers.ts';

const CATALOG = new Map(
  ISTIO_ANNOTATIONS.map(([n, deprecated, resources]) => [n, { deprecated, resources }]),
);

/** Set by istiod or its controllers, never worth a message (maturity.AlwaysIgnoredAnnotations). */
const ALWAYS_IGNORED = new Set([
  'sidecar.istio.io/status',
  'gateway.istio.io/controller-version',
  'istio.io/rev',
]);

/** An annotation istioctl checks: one of an `*istio.io` domain, or kubernetes.io/ingress.class. */
const isIstioAnnotation = (a: string) =>
  a === 'kubernetes.io/ingress.class' || a.split('/')[0]!.endsWith('istio.io');

const KINDS: [group: string, kind: string][] = [
  ['', 'Namespace'],
  ['', 'Service'],
  ['', 'Pod'],
  ['apps', 'Deployment'],
];

export const istioAnnotations: Rule = {
  id: 'mesh/istio-annotations',
  severity: 'warning',
  istioCode: 'IST0108',
  title: 'Istio annotations exist, are current, sit on a kind they apply to, and have a valid value',
  why: 'istiod ignores an annotation it does not know, or one on a kind it does not read there (a Pod annotation on a Deployment), and the injector rejects a value it cannot parse: the setting silently does not apply.',
  hint: 'check the name against Istio’s annotation reference, move Pod annotations to spec.template.metadata.annotations, and fix the value',
  // istioctl's annotations.K8sAnalyzer over Namespaces, Services, Pods and Deployments: unknown (IST0108),
  // deprecated (IST0135), misplaced (IST0107) and invalid (IST0125) Istio annotations.
  check: (ctx) => {
    const out: Finding[] = [];
    const scope = analysisScope(ctx);
    for (const [group, kind] of KINDS)
      for (const r of scope.of(group, kind))
        for (const [annotation, value] of Object.entries(r.object.metadata?.annotations ?? {})) {
          if (!isIstioAnnotation(annotation) || ALWAYS_IGNORED.has(annotation)) continue;
          const path = ['metadata', 'annotations', annotation];
          const def = CATALOG.get(annotation);
          if (!def) {
            out.push(at(ctx, r, path, `${name(r)}: unknown Istio annotation ${annotation}`));
            continue;
          }
          const replacedByLabel =
            annotation === 'sidecar.istio.io/inject' &&
            r.object.metadata?.labels?.['sidecar.istio.io/inject'] !== undefined;
          if (def.deprecated && !replacedByLabel)
            out.push(
              at(
                ctx,
                r,
                path,
                `${name(r)}: annotation ${annotation} is deprecated${annotation === 'sidecar.istio.io/inject' ? ' in favor of the "sidecar.istio.io/inject" label' : ''}`,
                {
                  istioCode: 'IST0135',
                  severity: 'info',
                },
              ),
            );
          if (def.resources.includes('Any')) continue;
          if (!def.resources.includes(kind)) {
            out.push(
              at(
                ctx,
                r,
                path,
                `${name(r)}: annotation ${annotation} applies to ${def.resources.join(', ')}, not ${kind}`,
                {
                  istioCode: 'IST0107',
                },
              ),
            );
            continue;
          }
          const problem = ANNOTATION_CHECKS[annotation]?.(String(value));
          if (problem)
            out.push(
              at(ctx, r, path, `${name(r)}: invalid value for ${annotation}: ${problem}`, {
                istioCode: 'IST0125',
              }),
            );
        }
    return out;
  },
};

export const MESH_ANNOTATION_RULES: readonly Rule[] = [istioAnnotations];
