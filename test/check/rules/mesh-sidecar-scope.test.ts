import { describe, expect, it } from 'vitest';
import {
  sidecarImports,
  sidecarScopeCoversConfig,
} from '../../../scripts/lib/check/rules/mesh-sidecar-scope.ts';
import type { KubeObject } from '../../../scripts/lib/repo/resource.ts';
import { findings } from '../../property/rule-harness.ts';

const namespace = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});
const sidecar = (ns: string, hosts: string[], workloadSelector?: Record<string, string>): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'Sidecar',
  metadata: { name: workloadSelector ? 'app-only' : 'default', namespace: ns },
  spec: {
    ...(workloadSelector ? { workloadSelector: { labels: workloadSelector } } : {}),
    egress: [{ hosts }],
  },
});
const config = (data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'app-config', namespace: 'shop' },
  data,
});
const deployment = (env: { name: string; value: string }[] = []): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: 'api' } },
    template: {
      metadata: { labels: { app: 'api' } },
      spec: {
        containers: [
          { name: 'app', image: 'api:1.0.0', envFrom: [{ configMapRef: { name: 'app-config' } }], env },
        ],
      },
    },
  },
});
const cluster = (...extra: KubeObject[]) => [
  namespace('shop', { 'istio.io/rev': 'stable' }),
  namespace('mysql'),
  namespace('data'),
  ...extra,
];

describe('mesh/sidecar-scope-covers-config', () => {
  it.each([
    [['./*'], 'shop', true],
    [['./*'], 'mysql', false],
    [['mysql/*'], 'mysql', true],
    [['*/*'], 'mysql', true],
    [['~/*'], 'mysql', false],
    [['mysql/mysql.mysql.svc.cluster.local'], 'mysql', true],
    [['mysql/other.mysql.svc.cluster.local'], 'mysql', false],
    [['*/*.mysql.svc.cluster.local'], 'mysql', true],
    [['data/*'], 'mysql', false],
  ] as const)('egress hosts %j import a Service of %s: %s', (hosts, serviceNs, expected) => {
    expect(sidecarImports('shop', hosts, serviceNs, `mysql.${serviceNs}.svc.cluster.local`)).toBe(expected);
  });

  it('reports a Service the config names in a namespace the Sidecar does not import, at the config key', () => {
    const out = findings(sidecarScopeCoversConfig, [
      ...cluster(sidecar('shop', ['./*', 'data/*'])),
      config({ DB_HOST: 'mysql.mysql.svc.cluster.local', PG: 'postgres-rw.data.svc.cluster.local:5432' }),
      deployment([{ name: 'CACHE', value: 'rediss://redis.mysql.svc:6379' }]),
    ]);
    expect(out.map((f) => f.message)).toEqual([
      expect.stringMatching(
        /^Deployment shop\/api names redis\.mysql\.svc, which Sidecar shop\/default does not import/,
      ),
      expect.stringMatching(
        /^ConfigMap shop\/app-config names mysql\.mysql\.svc\.cluster\.local, which Sidecar shop\/default/,
      ),
    ]);
    expect(out.every((f) => f.severity === 'error')).toBe(true);
  });

  it('is quiet when the Sidecar imports the namespace, or the host is not in a namespace this environment deploys', () => {
    expect(
      findings(sidecarScopeCoversConfig, [
        ...cluster(sidecar('shop', ['./*', 'mysql/*'])),
        config({ DB_HOST: 'mysql.mysql.svc.cluster.local', OTHER: 'api.partner.svc.cluster.local' }),
        deployment(),
      ]),
    ).toEqual([]);
  });

  it("takes the Sidecar that applies: the workload's own, else the namespace's, else the root namespace's", () => {
    const base = [config({ DB_HOST: 'mysql.mysql.svc.cluster.local' }), deployment()];
    expect(
      findings(sidecarScopeCoversConfig, [...cluster(sidecar('istio-system', ['./*'])), ...base]),
    ).toHaveLength(1);
    // The namespace's Sidecar imports mysql, the one selecting the pods does not: that one applies.
    const own = findings(sidecarScopeCoversConfig, [
      ...cluster(sidecar('shop', ['./*', 'mysql/*']), sidecar('shop', ['./*'], { app: 'api' })),
      ...base,
    ]);
    expect(own.map((f) => f.message)).toEqual([
      expect.stringContaining('which Sidecar shop/app-only does not import'),
    ]);
    expect(
      findings(sidecarScopeCoversConfig, [
        ...cluster(sidecar('shop', ['./*']), sidecar('shop', ['./*', 'mysql/*'], { app: 'api' })),
        ...base,
      ]),
    ).toEqual([]);
    // Without any Sidecar the proxy knows every Service: nothing to report.
    expect(findings(sidecarScopeCoversConfig, [...cluster(), ...base])).toEqual([]);
  });

  it('only meshed workloads: a namespace without injection has no proxy to scope', () => {
    expect(
      findings(sidecarScopeCoversConfig, [
        namespace('shop'),
        namespace('mysql'),
        sidecar('shop', ['./*']),
        config({ DB_HOST: 'mysql.mysql.svc.cluster.local' }),
        deployment(),
      ]),
    ).toEqual([]);
  });
});
