import { describe, expect, it } from 'vitest';
import { principalsValid } from '../../../scripts/lib/check/rules/mesh-resilience.ts';
import type { KubeObject } from '../../../scripts/lib/repo/resource.ts';
import { findings } from '../../property/rule-harness.ts';

const account: KubeObject = {
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name: 'web', namespace: 'shop' },
};
const policy = (principal: string): KubeObject => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'AuthorizationPolicy',
  metadata: { name: 'p', namespace: 'shop' },
  spec: { rules: [{ from: [{ source: { principals: [principal] } }] }] },
});
const istiod = (meshConfig: Record<string, unknown>) => [{ chart: 'istiod', values: { meshConfig } }];
const messages = (principal: string, charts: { chart: string; values: Record<string, unknown> }[] = []) =>
  findings(principalsValid, [account, policy(principal)], 'prod', charts).map((f) => f.message);

describe('principals in the trust domains the mesh accepts', () => {
  it.each([
    ['cluster.local/ns/shop/sa/web', []],
    ['example.org/ns/shop/sa/web', istiod({ trustDomain: 'example.org' })],
    [
      'old.example.org/ns/shop/sa/web',
      istiod({ trustDomain: 'example.org', trustDomainAliases: ['old.example.org'] }),
    ],
  ] as const)('%s is accepted', (principal, charts) => {
    expect(messages(principal, [...charts])).toEqual([]);
  });

  it.each([
    ['example.org/ns/shop/sa/web', [], 'cluster.local'],
    ['cluster.local/ns/shop/sa/web', istiod({ trustDomain: 'example.org' }), 'example.org'],
    [
      'other.org/ns/shop/sa/web',
      istiod({ trustDomain: 'example.org', trustDomainAliases: ['old.example.org'] }),
      'old.example.org',
    ],
  ] as const)('%s is not accepted', (principal, charts, accepted) => {
    expect(messages(principal, [...charts])).toEqual([
      expect.stringContaining(`which the mesh does not accept (`),
    ]);
    expect(messages(principal, [...charts])[0]).toContain(accepted);
  });

  it('the ServiceAccount must still exist in an accepted trust domain', () => {
    expect(messages('example.org/ns/shop/sa/api', istiod({ trustDomain: 'example.org' }))).toEqual([
      expect.stringContaining('ServiceAccount shop/api'),
    ]);
  });
});
