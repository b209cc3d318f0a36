import { describe, expect, it } from 'vitest';
import { principalsValid } from '../../../scripts/lib/check/rules/mesh-resilience.ts';
import { findings } from '../../property/rule-harness.ts';

// The Istio gateway chart (release `gateway` here) creates ServiceAccount istio-ingress/gateway,
// which offline rendering cannot see.
const objects = (principal: string) => [
  {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'gateway', namespace: 'argocd' },
    spec: { destination: { namespace: 'istio-ingress' } },
  },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'web' } },
  {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: 'api', namespace: 'web' },
    spec: { action: 'ALLOW', rules: [{ from: [{ source: { principals: [principal] } }] }] },
  },
];

describe('principals of chart-created ServiceAccounts', () => {
  it.each([
    ['the release ServiceAccount of a chart', 'cluster.local/ns/istio-ingress/sa/gateway', []],
    ['a ServiceAccount in git', 'cluster.local/ns/web/sa/api', []],
    ['a typo in a namespace a chart deploys to', 'cluster.local/ns/istio-ingress/sa/gatewy', ['warning']],
    ['a typo elsewhere', 'cluster.local/ns/web/sa/apu', ['error']],
  ])('%s', (_n, principal, severities) => {
    const out = findings(principalsValid, objects(principal), 'prod', [{ chart: 'gateway', values: {} }]);
    expect(out.map((f) => f.severity)).toEqual(severities);
  });
});
