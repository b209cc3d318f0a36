import { describe, expect, it } from 'vitest';
import { alignNamedLists } from '../../scripts/lib/diff/align-lists.ts';
import { fieldChanges, formatPath, segmentsOf } from '../../scripts/lib/diff/field-changes.ts';
import type { KubeObject } from '../../scripts/lib/repo/resource.ts';

const deployment = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'web', ...metadata },
  spec,
});
const container = (extra: Record<string, unknown> = {}) => ({ name: 'web', image: 'r/web:1', ...extra });
const pod = (...containers: Record<string, unknown>[]) => ({ template: { spec: { containers } } });

describe('fieldChanges: drift normalisation, both ways', () => {
  it.each<[string, KubeObject, KubeObject, unknown[]]>([
    ['identical', deployment({ replicas: 2 }), deployment({ replicas: 2 }), []],
    [
      'a reordered map',
      deployment({ replicas: 2, selector: { matchLabels: { app: 'web', tier: 'fe' } } }),
      deployment({ selector: { matchLabels: { tier: 'fe', app: 'web' } }, replicas: 2 }),
      [],
    ],
    [
      '500m vs 0.5',
      deployment(pod(container({ resources: { limits: { cpu: '500m', memory: '1Gi' } } }))),
      deployment(pod(container({ resources: { limits: { cpu: '0.5', memory: '1024Mi' } } }))),
      [],
    ],
    ['"8080" vs 8080', deployment({ port: '8080' }), deployment({ port: 8080 }), []],
    [
      'status and server metadata',
      deployment({}),
      { ...deployment({}, { uid: 'u1' }), status: { ready: 1 } },
      [],
    ],
    [
      'a changed scalar',
      deployment({ replicas: 2 }),
      deployment({ replicas: 3 }),
      [{ path: 'spec.replicas', old: 2, new: 3 }],
    ],
    ['a field added', deployment({}), deployment({ paused: true }), [{ path: 'spec.paused', new: true }]],
    ['a field removed', deployment({ paused: true }), deployment({}), [{ path: 'spec.paused', old: true }]],
    [
      'a whole block added shows its content',
      deployment(pod(container())),
      deployment(pod(container({ securityContext: { runAsNonRoot: true } }))),
      [{ path: 'spec.template.spec.containers[web].securityContext', new: { runAsNonRoot: true } }],
    ],
    [
      'an annotation key with dots',
      deployment({}, { annotations: { 'argocd.argoproj.io/sync-wave': '1' } }),
      deployment({}, { annotations: { 'argocd.argoproj.io/sync-wave': '2' } }),
      [{ path: 'metadata.annotations["argocd.argoproj.io/sync-wave"]', old: '1', new: '2' }],
    ],
    [
      'a named list item added, by name',
      deployment(pod(container({ env: [{ name: 'A', value: '1' }] }))),
      deployment(
        pod(
          container({
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
          }),
        ),
      ),
      [{ path: 'spec.template.spec.containers[web].env[B]', new: { name: 'B', value: '2' } }],
    ],
    [
      'a named list item changed, by name',
      deployment(pod(container(), { name: 'proxy', image: 'r/proxy:1' })),
      deployment(pod(container(), { name: 'proxy', image: 'r/proxy:2' })),
      [{ path: 'spec.template.spec.containers[proxy].image', old: 'r/proxy:1', new: 'r/proxy:2' }],
    ],
    [
      'named items reordered',
      deployment(pod(container({ env: [{ name: 'A' }, { name: 'B' }] }))),
      deployment(pod(container({ env: [{ name: 'B' }, { name: 'A' }] }))),
      [
        {
          path: 'spec.template.spec.containers[web].env',
          old: ['A', 'B'],
          new: ['B', 'A'],
          note: 'order changed',
        },
      ],
    ],
    [
      'an unnamed list of another length, whole',
      deployment(pod(container({ args: ['--a'] }))),
      deployment(pod(container({ args: ['--a', '--b'] }))),
      [{ path: 'spec.template.spec.containers[web].args', old: ['--a'], new: ['--a', '--b'] }],
    ],
    [
      'an unnamed list of the same length, item by item',
      deployment(pod(container({ args: ['--a', '--b'] }))),
      deployment(pod(container({ args: ['--a', '--c'] }))),
      [{ path: 'spec.template.spec.containers[web].args[1]', old: '--b', new: '--c' }],
    ],
  ])('%s', (_name, before, after, expected) => expect(fieldChanges(before, after)).toEqual(expected));

  it('a hook changes like any other resource (Argo CD leaves hooks out of drift, not out of a change)', () => {
    const hook = (image: string): KubeObject => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'web', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } },
      spec: { template: { spec: { containers: [{ name: 'migrate', image }] } } },
    });
    expect(fieldChanges(hook('r/migrate:1'), hook('r/migrate:2'))).toEqual([
      { path: 'spec.template.spec.containers[migrate].image', old: 'r/migrate:1', new: 'r/migrate:2' },
    ]);
  });

  it("honours the Application's ignoreDifferences", () => {
    const hook = (caBundle: string): KubeObject => ({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'istio' },
      webhooks: [{ name: 'a', clientConfig: { caBundle } }],
    });
    const ignore = [
      {
        group: 'admissionregistration.k8s.io',
        kind: 'MutatingWebhookConfiguration',
        jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
      },
    ];
    expect(fieldChanges(hook('x'), hook('y'), ignore)).toEqual([]);
    expect(fieldChanges(hook('x'), hook('y'))).toEqual([
      { path: 'webhooks[a].clientConfig.caBundle', old: 'x', new: 'y' },
    ]);
  });

  it('never carries a Secret value, only which key changed', () => {
    const secret = (password: string, labels: Record<string, string>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', labels },
      data: { password },
      stringData: { token: password },
    });
    const changes = fieldChanges(secret('czNjcjN0', { a: '1' }), secret('bjN3', { a: '2' }));
    expect(changes).toEqual([
      { path: 'data.password', note: 'secret value changed' },
      { path: 'metadata.labels.a', old: '1', new: '2' },
      { path: 'stringData.token', note: 'secret value changed' },
    ]);
    expect(JSON.stringify(changes)).not.toMatch(/czNjcjN0|bjN3/);
  });

  it('a SealedSecret: "sealed value changed|added|removed", ciphertext never shown', () => {
    const sealed = (encryptedData: Record<string, string> | undefined): KubeObject => ({
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: { name: 'db', namespace: 'data' },
      spec: { ...(encryptedData ? { encryptedData } : {}), template: { type: 'Opaque' } },
    });
    expect(fieldChanges(sealed({ a: 'AgA1', b: 'AgB1' }), sealed({ a: 'AgA2', c: 'AgC1' }))).toEqual([
      { path: 'spec.encryptedData.a', note: 'sealed value changed' },
      { path: 'spec.encryptedData.b', note: 'sealed value removed' },
      { path: 'spec.encryptedData.c', note: 'sealed value added' },
    ]);
    const whole = fieldChanges(sealed(undefined), sealed({ a: 'AgA1' }));
    expect(whole).toEqual([{ path: 'spec.encryptedData.a', note: 'sealed value added' }]);
    const bare: KubeObject = {
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: { name: 'db', namespace: 'data' },
    };
    const spec = fieldChanges(bare, sealed({ a: 'AgA1' }));
    expect(spec).toEqual([
      { path: 'spec', new: { encryptedData: { a: '(sealed)' }, template: { type: 'Opaque' } } },
    ]);
  });
});

describe('paths', () => {
  it.each<[(string | number)[], string]>([
    [['spec', 'replicas'], 'spec.replicas'],
    [['spec', 'containers', '[web]', 'ports', 0], 'spec.containers[web].ports[0]'],
    [['metadata', 'annotations', 'a.b/c'], 'metadata.annotations["a.b/c"]'],
    [['data', 'config.yaml'], 'data["config.yaml"]'],
  ])('%j → %s', (segments, text) => expect(formatPath(segments)).toBe(text));

  it('recovers segments of a drift path, keys with dots included', () => {
    const o = { metadata: { annotations: { 'a.b': { c: 1 }, a: { b: 2 } } }, list: [{ x: 1 }] };
    expect(segmentsOf(o, 'metadata.annotations.a.b.c')).toEqual(['metadata', 'annotations', 'a.b', 'c']);
    // Truly ambiguous (both parse): the longer key wins.
    expect(segmentsOf(o, 'metadata.annotations.a.b')).toEqual(['metadata', 'annotations', 'a.b']);
    expect(segmentsOf(o, 'list[0].x')).toEqual(['list', 0, 'x']);
    expect(segmentsOf(o, 'nope')).toBeUndefined();
  });

  it('aligns lists only where both sides name every item uniquely', () => {
    const a = { l: [{ name: 'x' }, { name: 'x' }], m: [{ name: 'y' }] };
    const b = { l: [{ name: 'x' }], m: [{ name: 'y' }, { name: 'z' }] };
    const out = alignNamedLists(a, b);
    expect(out.before).toEqual({ l: [{ name: 'x' }, { name: 'x' }], m: { '[y]': { name: 'y' } } });
    expect(out.after).toEqual({ l: [{ name: 'x' }], m: { '[y]': { name: 'y' }, '[z]': { name: 'z' } } });
    expect(a.m).toHaveLength(1); // inputs untouched
  });
});
