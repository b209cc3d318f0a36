import type { Finding } from '../finding.ts';
import type { Rule } from '../rule.ts';
import { convertHostToFqdn, hostMatches, namespaceOf } from '../mesh/hosts.ts';
import { selects } from '../workload/label-selector.ts';
import { meshedWorkloads } from '../workload/meshed-workloads.ts';
import { at, ISTIO_NETWORKING, ISTIO_SECURITY, name, ofKind, spec } from './rule-helpers.ts';

/** The mesh root namespace: selector-less policies there apply to every workload. */
const ROOT_NAMESPACE = 'istio-system';

export const meshedWorkloadCoverage: Rule = {
  id: 'mesh/meshed-workload-coverage',
  severity: 'error',
  title:
    'Every meshed workload has a Service, a DestinationRule and an ALLOW AuthorizationPolicy (seed property 22)',
  why: 'A sidecar-injected workload without a Service is unreachable by name, without a DestinationRule it gets no circuit breaking or subsets, and behind a default-deny without an ALLOW policy every request is refused.',
  hint: 'add a Service selecting the pod labels, a DestinationRule for its host, and an ALLOW AuthorizationPolicy selecting the pods (or namespace-wide)',
  check: (ctx) => {
    const workloads = meshedWorkloads(ctx.resources);
    if (workloads.length === 0) return [];
    const services = ctx.resources.filter((r) => r.object.apiVersion === 'v1' && r.object.kind === 'Service');
    const ruleHosts = ofKind(ctx, ISTIO_NETWORKING, 'DestinationRule').map((dr) =>
      convertHostToFqdn(namespaceOf(dr), String(spec(dr.object).host ?? '')),
    );
    const allows = ofKind(ctx, ISTIO_SECURITY, 'AuthorizationPolicy').filter(
      (p) => (spec(p.object).action ?? 'ALLOW') === 'ALLOW' && (spec(p.object).rules ?? []).length > 0,
    );
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const w of workloads) {
      const key = `${w.resource.object.kind}|${w.namespace}|${w.resource.object.metadata?.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const labelsPath = ['spec', 'template', 'metadata', 'labels'];
      const selecting = services.filter(
        (s) => namespaceOf(s) === w.namespace && selects(spec(s.object).selector, w.podLabels),
      );
      if (selecting.length === 0)
        out.push(
          at(ctx, w.resource, labelsPath, `${name(w.resource)}: meshed, but no Service selects its pods`),
        );
      for (const s of selecting) {
        const host = convertHostToFqdn(w.namespace, s.object.metadata?.name ?? '');
        if (!ruleHosts.some((h) => hostMatches(h, host)))
          out.push(
            at(
              ctx,
              w.resource,
              labelsPath,
              `${name(w.resource)}: meshed, but no DestinationRule for ${host}`,
            ),
          );
      }
      const covered = allows.some((p) => {
        const s = spec(p.object);
        const ns = namespaceOf(p);
        if (s.targetRef || s.targetRefs) return false;
        const matchLabels = (s.selector?.matchLabels ?? {}) as Record<string, string>;
        // No selector, or one with no labels, covers the whole namespace (the root namespace: the mesh).
        if (Object.keys(matchLabels).length === 0) return ns === w.namespace || ns === ROOT_NAMESPACE;
        return ns === w.namespace && selects(matchLabels, w.podLabels);
      });
      if (!covered)
        out.push(
          at(
            ctx,
            w.resource,
            labelsPath,
            `${name(w.resource)}: meshed, but no ALLOW AuthorizationPolicy with rules covers its pods`,
          ),
        );
    }
    return out;
  },
};

export const MESH_WORKLOAD_COVERAGE_RULES: readonly Rule[] = [meshedWorkloadCoverage];
