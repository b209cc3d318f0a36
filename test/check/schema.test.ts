import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { cachedKindIndex, packageDir, type KindEntry } from '../../scripts/lib/check/schema/kind-index.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSchemaRegistry,
  SCHEMA_CACHE_DIR,
  type SchemaRegistry,
} from '../../scripts/lib/check/schema/registry.ts';

const meta = { name: 'x', namespace: 'ns' };
const valid: Record<string, unknown>[] = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { ...meta, labels: { app: 'x' }, annotations: { 'any/thing': 'v' } },
    spec: {
      selector: { matchLabels: { app: 'x' } },
      template: {
        metadata: { labels: { app: 'x' } },
        spec: {
          containers: [{ name: 'x', image: 'r/x:1', resources: { limits: { cpu: '1', memory: '1Gi' } } }],
        },
      },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta,
    spec: { ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  },
  {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: meta,
    spec: {
      hosts: ['x'],
      http: [
        {
          timeout: '30s',
          retries: { attempts: 3, perTryTimeout: '8s' },
          route: [{ destination: { host: 'x', subset: 'v1' }, weight: 100 }],
        },
      ],
    },
  },
  {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: meta,
    spec: {
      host: 'x',
      trafficPolicy: {
        tls: { mode: 'ISTIO_MUTUAL' },
        outlierDetection: { consecutive5xxErrors: 5, interval: '10s' },
      },
      subsets: [{ name: 'v1', labels: { version: 'v1' } }],
    },
  },
  {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: meta,
    spec: { mtls: { mode: 'STRICT' } },
  },
  {
    apiVersion: 'telemetry.istio.io/v1',
    kind: 'Telemetry',
    metadata: meta,
    spec: { tracing: [{ providers: [{ name: 'otel' }], randomSamplingPercentage: 10 }] },
  },
  {
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'EnvoyFilter',
    metadata: meta,
    spec: {
      configPatches: [
        { applyTo: 'HTTP_FILTER', patch: { operation: 'MERGE', value: { free: { form: true } } } },
      ],
    },
  },
  {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: meta,
    spec: {
      project: 'p',
      destination: { server: 'https://kubernetes.default.svc', namespace: 'n' },
      source: {
        repoURL: 'https://c',
        chart: 'c',
        targetRevision: '1.0.0',
        helm: { valuesObject: { free: { form: 1 } } },
      },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
      },
    },
  },
  {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: meta,
    spec: { sourceRepos: ['*'], destinations: [{ server: 's', namespace: 'n' }] },
  },
  {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: meta,
    spec: { secretName: 's', dnsNames: ['a.example.com'], issuerRef: { name: 'i', kind: 'ClusterIssuer' } },
  },
  {
    apiVersion: 'cert-manager.io/v1',
    kind: 'ClusterIssuer',
    metadata: { name: 'i' },
    spec: { selfSigned: {} },
  },
  {
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata: meta,
    spec: { encryptedData: { k: 'AgB' } },
  },
  {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: meta,
    spec: { selector: { matchLabels: { a: 'b' } }, endpoints: [{ port: 'http' }] },
  },
  {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: meta,
    spec: {
      groups: [
        { name: 'g', rules: [{ alert: 'A', expr: 'up == 0', for: '5m', labels: { severity: 'page' } }] },
      ],
    },
  },
];

let registry: SchemaRegistry;
beforeAll(async () => {
  registry = createSchemaRegistry({ cacheDir: SCHEMA_CACHE_DIR });
  await registry.prepare(valid.map((v) => ({ apiVersion: String(v.apiVersion), kind: String(v.kind) })));
});

const dep = (spec: Record<string, unknown>, metadata: Record<string, unknown> = meta) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata,
  spec: {
    selector: { matchLabels: { app: 'x' } },
    template: { spec: { containers: [{ name: 'x', image: 'i:1' }] } },
    ...spec,
  },
});

describe('schema registry', () => {
  it.each(valid.map((v) => [`${v.apiVersion} ${v.kind}`, v]))('accepts a valid %s', (_n, obj) => {
    expect(registry.validate(obj as Record<string, unknown>)).toEqual([]);
  });

  it.each([
    [
      'spec.hostz on a VirtualService',
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: meta,
        spec: { hosts: ['a'], hostz: ['a'] },
      },
      ['spec', 'hostz'],
    ],
    [
      'an unknown container field',
      dep({ template: { spec: { containers: [{ name: 'x', image: 'i:1', imagePullPolicyy: 'A' }] } } }),
      ['spec', 'template', 'spec', 'containers', 0, 'imagePullPolicyy'],
    ],
    ['an unknown metadata field', dep({}, { name: 'x', lables: {} }), ['metadata', 'lables']],
    [
      'a field named like an Object.prototype member',
      { apiVersion: 'v1', kind: 'Service', metadata: meta, spec: { ports: [{ port: 80, constructor: 1 }] } },
      ['spec', 'ports', 0, 'constructor'],
    ],
  ])('reports %s as unknown-field with its path', (_n, obj, p) => {
    const issues = registry.validate(obj as Record<string, unknown>)!;
    expect(issues).toEqual([expect.objectContaining({ keyword: 'unknown-field', path: p })]);
    expect(issues[0]!.message).toContain(`unknown field "${String(p.at(-1))}"`);
  });

  it('reports a wrong type and a missing required field', () => {
    expect(registry.validate(dep({ replicas: '3' }))).toEqual([
      { keyword: 'type', path: ['spec', 'replicas'], message: 'spec.replicas: must be integer' },
    ]);
    const noSelector = dep({});
    delete (noSelector.spec as Record<string, unknown>).selector;
    expect(registry.validate(noSelector)).toEqual([
      expect.objectContaining({ keyword: 'required', message: 'spec: missing required field "selector"' }),
    ]);
    expect(registry.validate(dep({ template: { spec: { containers: [{ image: 'i:1' }] } } }))).toEqual([
      expect.objectContaining({
        keyword: 'required',
        message: 'spec.template.spec.containers[0]: missing required field "name"',
      }),
    ]);
  });

  it('returns null for a kind it has no schema for, or that was not prepared', () => {
    expect(registry.validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: meta })).toBeNull();
    expect(registry.has('example.com/v1', 'Widget')).toBe(false);
    expect(registry.has('batch/v1', 'CronJob')).toBe(true);
    expect(registry.validate({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta })).toBeNull();
  });

  it('validates custom resources of a CRD it was taught', () => {
    const r = createSchemaRegistry();
    r.addCustomResourceDefinition({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'Widget' },
        versions: [
          {
            name: 'v1',
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    properties: {
                      size: { type: 'integer' },
                      port: { 'x-kubernetes-int-or-string': true },
                      extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    });
    const w = (spec: unknown) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: meta, spec });
    expect(r.validate(w({ size: 1, port: 'http', extra: { any: { thing: 1 } } }))).toEqual([]);
    expect(r.validate(w({ sise: 1 }))).toEqual([
      expect.objectContaining({ keyword: 'unknown-field', path: ['spec', 'sise'] }),
    ]);
    expect(r.validate(w({ size: 'big' }))).toEqual([
      expect.objectContaining({ keyword: 'type', path: ['spec', 'size'] }),
    ]);
  });

  describe('disk cache', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'schema-cache-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const kinds = [{ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' }];
    const bad = valid[2]!;
    const typo = { ...bad, spec: { ...(bad.spec as object), hostz: [] } };

    it('round-trips: a second registry gives identical results from the cache', async () => {
      const a = createSchemaRegistry({ cacheDir: dir });
      await a.prepare(kinds);
      expect(readdirSync(dir)).toEqual(['kinds.json', 'shapes.json']);
      const b = createSchemaRegistry({ cacheDir: dir });
      await b.prepare(kinds);
      expect(b.validate(typo)).toEqual(a.validate(typo));
      expect(b.validate(typo)).toHaveLength(1);
    });

    it('rebuilds a corrupted cache', async () => {
      writeFileSync(path.join(dir, 'shapes.json'), '{"key": 1, "shapes": [');
      const c = createSchemaRegistry({ cacheDir: dir });
      await c.prepare(kinds);
      expect(c.validate(typo)).toEqual([expect.objectContaining({ keyword: 'unknown-field' })]);
    });

    it('scans the packages again when the kind index was written for other packages or another place', () => {
      const file = path.join(dir, 'kinds.json');
      const written = JSON.parse(readFileSync(file, 'utf8')) as { key: string; index: KindEntry[] };
      expect(written.key).toContain(packageDir('kubernetes-models'));
      // Entries name files by absolute path: an index from a checkout elsewhere must not be used here.
      const elsewhere = written.index.map((e) => ({ ...e, validator: `/elsewhere${e.validator}` }));
      writeFileSync(file, JSON.stringify({ key: `${written.key}-moved`, index: elsewhere }));
      const index = cachedKindIndex(dir);
      expect(index.every((e) => !e.validator.startsWith('/elsewhere'))).toBe(true);
      expect(JSON.parse(readFileSync(file, 'utf8')).key).toBe(written.key);
    });
  });

  it('names each schema package with its version', () => {
    const sources = registry.sources();
    expect(sources.map((s) => s.package)).toContain('@kubernetes-models/istio');
    expect(sources.find((s) => s.package === 'kubernetes-models')).toMatchObject({ version: '5.1.0' });
    expect(sources.every((s) => s.kinds > 0)).toBe(true);
  });
});
