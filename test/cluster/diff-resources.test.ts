import { describe, expect, it } from 'vitest';
import { diffResources } from '../../scripts/lib/cluster/diff-resources.ts';
import { lineDiff } from '../../scripts/lib/cluster/line-diff.ts';
import { fromJqPath, managedPaths } from '../../scripts/lib/cluster/ignore-differences.ts';
import { parseQuantity, sameQuantity } from '../../scripts/lib/cluster/quantity.ts';
import type { KubeObject } from '../../scripts/lib/repo/resource.ts';

describe('quantities', () => {
  it.each([
    ['1000m', '1', true],
    ['1Gi', '1024Mi', true],
    ['0.5', '500m', true],
    ['2e3', '2k', true],
    ['1G', '1Gi', false],
    ['100m', '101m', false],
  ])('%s = %s: %s', (a, b, eq) => expect(sameQuantity(a, b)).toBe(eq));
  it('rejects non-quantities', () => expect(parseQuantity('abc')).toBeUndefined());
});

describe('jq paths', () => {
  it.each([
    ['.spec.replicas', ['spec', 'replicas']],
    ['.webhooks[]?.clientConfig.caBundle', ['webhooks', '*', 'clientConfig', 'caBundle']],
    ['.data["config.yaml"]', ['data', 'config.yaml']],
    ['.spec.template.spec.containers[0].image', ['spec', 'template', 'spec', 'containers', '0', 'image']],
    ['.spec | select(.x)', undefined],
  ])('%s', (expr, expected) => expect(fromJqPath(expr)).toEqual(expected));
});

const dep = (replicas: number, cpu: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'web', ...extra },
  spec: {
    replicas,
    template: { spec: { containers: [{ name: 'web', image: 'r/web:1', resources: { limits: { cpu } } }] } },
  },
});
const tracked = { trackedBy: () => 'web' };

describe('diffResources', () => {
  it('ignores status, server metadata, defaulted fields, and equal quantities', () => {
    const live = dep(2, '1', {
      uid: 'u',
      resourceVersion: '9',
      generation: 3,
      managedFields: [],
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    });
    (live.spec as Record<string, any>).progressDeadlineSeconds = 600;
    (live.spec as Record<string, any>).template.spec.containers[0].terminationMessagePath =
      '/dev/termination-log';
    live.status = { replicas: 2 };
    expect(diffResources([{ object: dep(2, '1000m'), ignore: [] }], [live], tracked)).toEqual([]);
  });

  it('reports changed fields with git and live values', () => {
    const [d] = diffResources([{ object: dep(2, '500m'), ignore: [] }], [dep(3, '1')], tracked);
    expect(d).toMatchObject({
      state: 'changed',
      fields: [
        { path: 'spec.replicas', git: 2, live: 3 },
        { path: 'spec.template.spec.containers[web].resources.limits.cpu', git: '500m', live: '1' },
      ],
    });
  });

  it('honours ignoreDifferences: jsonPointers, jqPathExpressions, managedFieldsManagers, scoped by kind', () => {
    const live = dep(5, '1', {
      managedFields: [
        {
          manager: 'kube-controller-manager',
          fieldsV1: {
            'f:spec': {
              'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:resources': {} } } } },
            },
          },
        },
      ],
    });
    const want = dep(2, '500m');
    expect(
      diffResources(
        [{ object: want, ignore: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }] }],
        [dep(5, '500m')],
        tracked,
      ),
    ).toEqual([]);
    expect(
      diffResources(
        [
          {
            object: want,
            ignore: [
              {
                kind: 'Deployment',
                jqPathExpressions: ['.spec.replicas', '.spec.template.spec.containers[]?.resources'],
              },
            ],
          },
        ],
        [dep(5, '1')],
        tracked,
      ),
    ).toEqual([]);
    expect(
      diffResources(
        [
          {
            object: want,
            ignore: [
              {
                kind: 'Deployment',
                jsonPointers: ['/spec/replicas'],
                managedFieldsManagers: ['kube-controller-manager'],
              },
            ],
          },
        ],
        [live],
        tracked,
      ),
    ).toEqual([]);
    expect(
      diffResources(
        [{ object: want, ignore: [{ kind: 'StatefulSet', jsonPointers: ['/spec/replicas'] }] }],
        [dep(5, '500m')],
        tracked,
      ),
    ).toHaveLength(1);
    expect(managedPaths(live, ['kube-controller-manager'])).toEqual([
      ['spec', 'template', 'spec', 'containers', '*', 'resources'],
    ]);
  });

  it('reports missing and tracked extra resources, never Secret values', () => {
    const secret = (v: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'n' },
      data: { password: v },
    });
    const extra: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'old',
        namespace: 'n',
        annotations: { 'argocd.argoproj.io/tracking-id': 'web:/ConfigMap:n/old' },
      },
    };
    const unrelated: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-root-ca.crt', namespace: 'n' },
    };
    const out = diffResources(
      [
        { object: dep(1, '1'), ignore: [] },
        { object: secret('bmV3'), ignore: [] },
      ],
      [secret('b2xk'), extra, unrelated],
      {
        trackedBy: (o: KubeObject) =>
          o.metadata?.annotations?.['argocd.argoproj.io/tracking-id'] !== undefined ? 'web' : undefined,
      },
    );
    expect(out.map((d) => `${d.state} ${d.id}`)).toEqual([
      'extra /ConfigMap/n/old',
      'changed /Secret/n/s',
      'missing apps/Deployment/web/web',
    ]);
    const s = out.find((d) => d.state === 'changed')!;
    expect(JSON.stringify(s)).not.toMatch(/bmV3|b2xk/);
    expect(s).toMatchObject({ fields: [{ path: 'data.password', git: '(hidden)', live: '(hidden)' }] });
  });
});

describe('diffResources reads like a reviewer would', () => {
  const withContainers = (containers: Record<string, unknown>[]): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { template: { spec: { containers } } },
  });

  it('names list items by their name: reordered is no drift, a change reads containers[api].image', () => {
    const want = withContainers([
      { name: 'api', image: 'r/api:2' },
      { name: 'log', image: 'r/log:1' },
    ]);
    const live = withContainers([
      { name: 'log', image: 'r/log:1' },
      { name: 'api', image: 'r/api:1' },
      { name: 'istio-proxy', image: 'proxyv2' },
    ]);
    expect(diffResources([{ object: want, ignore: [] }], [live], tracked)).toMatchObject([
      {
        state: 'changed',
        fields: [{ path: 'spec.template.spec.containers[api].image', git: 'r/api:2', live: 'r/api:1' }],
      },
    ]);
    // jsonPointers address list items by position, as in git.
    expect(
      diffResources(
        [
          {
            object: want,
            ignore: [{ kind: 'Deployment', jsonPointers: ['/spec/template/spec/containers/0/image'] }],
          },
        ],
        [live],
        tracked,
      ),
    ).toEqual([]);
  });

  it('shows a multi-line value as a compact line diff', () => {
    const cm = (config: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'shop' },
      data: { 'app.yaml': config },
    });
    const [d] = diffResources(
      [{ object: cm('a: 1\nb: 2\nc: 3\nd: 4\n'), ignore: [] }],
      [cm('a: 1\nb: 20\nc: 3\nd: 4\ne: 5\n')],
      tracked,
    );
    expect(d).toMatchObject({
      state: 'changed',
      fields: [
        { path: 'data.app.yaml', lines: ['@@ line 2 @@', '- b: 2', '+ b: 20', '@@ line 5 @@', '+ e: 5'] },
      ],
    });
  });

  it('leaves hooks out, and puts objects without a namespace in the destination namespace', () => {
    const hook: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'shop', annotations: { 'helm.sh/hook': 'pre-install' } },
    };
    const svc = (ns?: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api', ...(ns ? { namespace: ns } : {}) },
      spec: { ports: [{ name: 'http', port: 80 }] },
    });
    expect(
      diffResources(
        [
          { object: hook, ignore: [] },
          { object: svc(), ignore: [], namespace: 'shop' },
        ],
        [
          svc('shop'),
          {
            ...hook,
            metadata: {
              ...hook.metadata,
              annotations: {
                ...hook.metadata!.annotations,
                'argocd.argoproj.io/tracking-id': 'web:batch/Job:shop/migrate',
              },
            },
          },
        ],
        tracked,
      ),
    ).toEqual([]);
  });

  it('an object tracked by an Application whose chart was not rendered is not compared, never extra', () => {
    const fromChart: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'istiod',
        namespace: 'istio-system',
        labels: { 'app.kubernetes.io/instance': 'istiod' },
      },
    };
    const gone: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'old',
        namespace: 'shop',
        annotations: { 'argocd.argoproj.io/tracking-id': 'web:/ConfigMap:shop/old' },
      },
    };
    const out = diffResources([], [fromChart, gone], {
      trackedBy: (o) => (o.metadata?.name === 'istiod' ? 'istiod' : 'web'),
      incomplete: new Map([['istiod', 'chart not rendered (helm not on PATH)']]),
    });
    expect(out.map((d) => [d.state, d.id, 'reason' in d ? d.reason : ''])).toEqual([
      ['extra', '/ConfigMap/shop/old', ''],
      ['not-compared', 'apps/Deployment/istio-system/istiod', 'chart not rendered (helm not on PATH)'],
    ]);
  });
});

describe('lineDiff', () => {
  it.each([
    ['one line changed', 'a\nb\nc', 'a\nB\nc', ['@@ line 2 @@', '- b', '+ B']],
    ['lines added at the end', 'a', 'a\nb\nc', ['@@ line 2 @@', '+ b', '+ c']],
    ['a line removed', 'a\nb\nc', 'a\nc', ['@@ line 2 @@', '- b']],
    ['equal', 'a\nb', 'a\nb', []],
  ])('%s', (_n, a, b, expected) => expect(lineDiff(a, b)).toEqual(expected));
});

describe('diffResources: what was never read is not drift', () => {
  const cm = (name: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'web' },
  });
  const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } };

  it('an object of a kind the snapshot or the credentials did not read is not compared, with the reason', () => {
    const out = diffResources(
      [
        { object: cm('a'), ignore: [] },
        { object: ns, ignore: [] },
      ],
      [],
      {
        trackedBy: () => undefined,
        unread: (o) => (o.kind === 'Namespace' ? 'kind not in snapshot' : undefined),
      },
    );
    expect(out.map((d) => [d.state, d.id])).toEqual([
      ['missing', '/ConfigMap/web/a'],
      ['not-compared', '/Namespace//web'],
    ]);
  });

  it('one object rendered twice (the bootstrap and the Application that manages it) is one result', () => {
    const out = diffResources(
      [
        { object: cm('argocd-cm'), ignore: [] },
        { object: cm('argocd-cm'), ignore: [] },
      ],
      [],
      { trackedBy: () => undefined },
    );
    expect(out).toHaveLength(1);
  });
});
