import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { meshedWorkloadCoverage } from '../../scripts/lib/check/rules/mesh-workload-coverage.ts';
import type { KubeObject } from '../../scripts/lib/repo/resource.ts';
import { findings } from './rule-harness.ts';

const RUNS = { numRuns: 100 };
const dns = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);

/** A meshed namespace with one workload and its Service, DestinationRule and ALLOW policy. */
function meshedSet(p: {
  ns: string;
  app: string;
  injection: 'rev' | 'legacy';
  kind: 'Deployment' | 'StatefulSet';
  namespaceWidePolicy: boolean;
  wildcardRule: boolean;
}): Record<'namespace' | 'workload' | 'service' | 'rule' | 'policy', KubeObject> {
  const labels = { app: p.app, version: 'v1' };
  return {
    namespace: {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: p.ns,
        labels: p.injection === 'rev' ? { 'istio.io/rev': 'stable' } : { 'istio-injection': 'enabled' },
      },
    },
    workload: {
      apiVersion: 'apps/v1',
      kind: p.kind,
      metadata: { name: p.app, namespace: p.ns },
      spec: {
        selector: { matchLabels: { app: p.app } },
        template: { metadata: { labels }, spec: { containers: [{ name: p.app, image: 'r/x:1' }] } },
      },
    },
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: p.app, namespace: p.ns },
      spec: { selector: { app: p.app }, ports: [{ name: 'http', port: 80 }] },
    },
    rule: {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: p.app, namespace: p.ns },
      spec: { host: p.wildcardRule ? `*.${p.ns}.svc.cluster.local` : p.app },
    },
    policy: {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: p.app, namespace: p.ns },
      spec: {
        ...(p.namespaceWidePolicy ? {} : { selector: { matchLabels: { app: p.app } } }),
        action: 'ALLOW',
        rules: [{ from: [{ source: { principals: [`cluster.local/ns/${p.ns}/sa/caller`] } }] }],
      },
    },
  };
}

describe('seed property 22: every meshed workload has its routing and policy resources', () => {
  it('a complete set passes; removing or mis-aiming one resource gives exactly one finding of this rule', () => {
    fc.assert(
      fc.property(
        dns,
        dns,
        fc.constantFrom('rev' as const, 'legacy' as const),
        fc.constantFrom('Deployment' as const, 'StatefulSet' as const),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom(
          'no-service',
          'service-elsewhere',
          'no-rule',
          'rule-other-host',
          'no-policy',
          'deny-policy',
        ),
        (ns, app, injection, kind, namespaceWidePolicy, wildcardRule, mutation) => {
          const set = meshedSet({ ns, app, injection, kind, namespaceWidePolicy, wildcardRule });
          expect(findings(meshedWorkloadCoverage, Object.values(set))).toEqual([]);
          const broken = { ...set } as Partial<typeof set>;
          if (mutation === 'no-service') delete broken.service;
          if (mutation === 'service-elsewhere')
            broken.service = { ...set.service, metadata: { name: app, namespace: `${ns}-other` } };
          if (mutation === 'no-rule') delete broken.rule;
          if (mutation === 'rule-other-host') broken.rule = { ...set.rule, spec: { host: `${app}-other` } };
          if (mutation === 'no-policy') delete broken.policy;
          if (mutation === 'deny-policy')
            broken.policy = { ...set.policy, spec: { ...(set.policy.spec as object), action: 'DENY' } };
          const f = findings(meshedWorkloadCoverage, Object.values(broken) as KubeObject[]);
          expect(f.map((x) => x.rule)).toEqual(['mesh/meshed-workload-coverage']);
        },
      ),
      RUNS,
    );
  });

  it('a workload opted out with sidecar.istio.io/inject: "false" needs none of them', () => {
    fc.assert(
      fc.property(dns, dns, (ns, app) => {
        const set = meshedSet({
          ns,
          app,
          injection: 'rev',
          kind: 'Deployment',
          namespaceWidePolicy: false,
          wildcardRule: false,
        });
        const spec = set.workload.spec as { template: { metadata: { labels: Record<string, string> } } };
        spec.template.metadata.labels['sidecar.istio.io/inject'] = 'false';
        expect(findings(meshedWorkloadCoverage, [set.namespace, set.workload])).toEqual([]);
      }),
      RUNS,
    );
  });
});
