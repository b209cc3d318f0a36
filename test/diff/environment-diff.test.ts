import { describe, expect, it } from 'vitest';
import {
  diffEnvironment,
  diffResourceSets,
  type RenderedSide,
} from '../../scripts/lib/diff/environment-diff.ts';
import type { KubeObject, Resource } from '../../scripts/lib/repo/resource.ts';
import type { ApplicationNode, HelmChartSource } from '../../scripts/lib/repo/walk.ts';

const CHARTS = 'https://charts.example.test';

function application(
  name: string,
  wave?: number,
  chart?: { version: string; values?: string[]; helm?: object },
): ApplicationNode {
  const object: KubeObject = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name,
      namespace: 'argocd',
      ...(wave === undefined ? {} : { annotations: { 'argocd.argoproj.io/sync-wave': String(wave) } }),
    },
    spec: chart
      ? {
          sources: [
            {
              repoURL: CHARTS,
              chart: name,
              targetRevision: chart.version,
              helm: { valueFiles: chart.values ?? [], ...chart.helm },
            },
          ],
        }
      : { source: { path: `apps/${name}` } },
  };
  const charts: HelmChartSource[] = chart
    ? [
        {
          app: name,
          repoURL: CHARTS,
          chart: name,
          version: chart.version,
          releaseName: name,
          valueFiles: (chart.values ?? []).map((ref) => ({ ref, file: ref.replace(/^\$values\//, '') })),
        },
      ]
    : [];
  return {
    name,
    namespace: 'argocd',
    parent: 'root',
    resource: { object, origin: { file: 'apps/x.yaml', line: 1 }, env: 'dev', app: 'root' },
    paths: [],
    charts,
  };
}
const cm = (name: string, data: Record<string, string> = {}, namespace = 'web'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data,
});
const at = (app: string, object: KubeObject): Resource => ({
  object,
  origin: { file: 'x.yaml', line: 1 },
  env: 'dev',
  app,
});
function side(
  apps: ApplicationNode[],
  resources: Resource[],
  files: Record<string, string> = {},
): RenderedSide {
  return { applications: apps, resources, charts: apps.flatMap((a) => a.charts), readFile: (f) => files[f] };
}

describe('diffEnvironment', () => {
  it('lists Applications added, removed and moved between waves, bootstrap first then by wave', () => {
    const base = side(
      [application('web', 3), application('old', 1), application('db', 2)],
      [at('old', cm('a')), at('', cm('boot', {}, 'argocd'))],
    );
    const head = side(
      [application('web', 3), application('db', 1), application('new', 0)],
      [at('new', cm('b')), at('', cm('boot', { x: '1' }, 'argocd'))],
    );
    const d = diffEnvironment('dev', base, head);
    expect(d.status).toBe('changed');
    expect(d.applications.map((a) => [a.name, a.status, a.wave])).toEqual([
      ['', 'changed', {}],
      ['new', 'added', { new: 0 }],
      ['db', 'changed', { old: 2, new: 1 }],
      ['old', 'removed', { old: 1 }],
    ]);
    expect(d.applications.find((a) => a.name === 'new')!.resources).toEqual([
      { change: 'added', resource: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'web', name: 'b' } },
    ]);
  });

  it('an environment only on one side is added or removed as a whole; --app narrows', () => {
    const s = side([application('web')], [at('web', cm('a'))]);
    expect(diffEnvironment('qa', undefined, s).status).toBe('added');
    expect(diffEnvironment('qa', s, undefined).applications.map((a) => [a.name, a.status])).toEqual([
      ['', 'removed'],
      ['web', 'removed'],
    ]);
    expect(diffEnvironment('qa', s, s).status).toBe('unchanged');
    expect(diffEnvironment('qa', undefined, s, new Set(['web'])).applications.map((a) => a.name)).toEqual([
      'web',
    ]);
  });

  it('chart sources: version, value file content, value file list, inline Helm settings; rendered charts skip', () => {
    const v = ['$values/values/a.yaml'];
    const base = side([application('istiod', -1, { version: '1.30.0', values: v })], [], {
      'values/a.yaml': 'x: 1\n',
    });
    const same = side([application('istiod', -1, { version: '1.30.0', values: v })], [], {
      'values/a.yaml': 'x: 1\n',
    });
    expect(diffEnvironment('dev', base, same).status).toBe('unchanged');
    expect(diffEnvironment('dev', base, same).chartsNotRendered).toEqual(['istiod']);
    const head = side(
      [
        application('istiod', -1, {
          version: '1.30.1',
          values: [...v, '$values/values/b.yaml'],
          helm: { releaseName: 'x' },
        }),
      ],
      [],
      { 'values/a.yaml': 'x: 2\n' },
    );
    const [note] = diffEnvironment('dev', base, head).applications[0]!.charts;
    expect(note).toEqual({
      chart: 'istiod',
      repoURL: CHARTS,
      oldVersion: '1.30.0',
      newVersion: '1.30.1',
      changes: [
        'version 1.30.0 → 1.30.1',
        'value files [$values/values/a.yaml] → [$values/values/a.yaml, $values/values/b.yaml]',
        'values values/a.yaml changed',
        'Helm settings in the Application changed',
      ],
    });
    const rendered = (s: RenderedSide): RenderedSide => {
      for (const c of s.charts) (c as HelmChartSource & { rendered: boolean }).rendered = true;
      return s;
    };
    const d = diffEnvironment('dev', rendered(base), rendered(head));
    expect(d.applications).toEqual([]);
    expect(d.chartsNotRendered).toEqual([]);
  });
});

describe('diffResourceSets', () => {
  it('pairs a generated ConfigMap whose hash suffix changed with its old name', () => {
    const changes = diffResourceSets(
      [cm('app-config-5f8h2m9c4t', { a: '1' })],
      [cm('app-config-9k7d6b2g8m', { a: '2' })],
    );
    expect(changes).toEqual([
      {
        change: 'changed',
        resource: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'web', name: 'app-config-9k7d6b2g8m' },
        renamedFrom: 'app-config-5f8h2m9c4t',
        fields: [{ path: 'data.a', old: '1', new: '2' }],
      },
    ]);
  });

  it('does not pair names that only look alike', () => {
    const changes = diffResourceSets(
      [cm('web-frontend'), cm('a-5f8h2m9c4t'), cm('a-6f8h2m9c4t')],
      [cm('web-backend'), cm('a-7f8h2m9c4t')],
    );
    expect(changes.map((c) => `${c.change} ${c.resource.name}`)).toEqual([
      'removed a-5f8h2m9c4t',
      'removed a-6f8h2m9c4t',
      'added a-7f8h2m9c4t',
      'added web-backend',
      'removed web-frontend',
    ]);
  });
});
