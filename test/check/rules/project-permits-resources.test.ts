import { describe, expect, it } from 'vitest';
import { projectPermitsResources } from '../../../scripts/lib/check/rules/argocd.ts';
import type { KubeObject } from '../../../scripts/lib/repo/resource.ts';
import { findings } from '../../property/rule-harness.ts';

// The harness marks every object as deployed by Application `app`.
const project = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AppProject',
  metadata: { name: 'platform', namespace: 'argocd' },
  spec: { destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'web' }], ...spec },
});
const application: KubeObject = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'app', namespace: 'argocd' },
  spec: { project: 'platform', destination: { server: 'https://kubernetes.default.svc', namespace: 'web' } },
};
const configMap = (namespace?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c', ...(namespace ? { namespace } : {}) },
});
const clusterRole: KubeObject = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name: 'r' },
};
const widgetCrd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: { group: 'example.com', scope: 'Cluster', names: { kind: 'Widget' } },
};
const widget: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
const crdAllowed = {
  clusterResourceWhitelist: [{ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' }],
};

describe('argocd/project-permits-resources', () => {
  it.each([
    ['a resource in an allowed namespace', {}, [configMap('web')], 0],
    ['a namespaced resource without namespace lands in the destination', {}, [configMap()], 0],
    ['a resource in another namespace', {}, [configMap('other')], 1],
    [
      'a namespace allowed by glob',
      { destinations: [{ server: '*', namespace: 'o*' }] },
      [configMap('other')],
      0,
    ],
    ['a cluster-scoped kind not whitelisted', {}, [clusterRole], 1],
    [
      'a cluster-scoped kind whitelisted by glob',
      { clusterResourceWhitelist: [{ group: '*', kind: 'Cluster*' }] },
      [clusterRole],
      0,
    ],
    [
      'a whitelisted kind that is also blacklisted',
      {
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
        clusterResourceBlacklist: [{ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' }],
      },
      [clusterRole],
      1,
    ],
    ['a kind a CRD in the set declares cluster-scoped', crdAllowed, [widgetCrd, widget], 1],
    [
      'a namespaced kind outside namespaceResourceWhitelist',
      { namespaceResourceWhitelist: [{ group: 'apps', kind: 'Deployment' }] },
      [configMap('web')],
      1,
    ],
  ])('%s', (_n, projectSpec, objects, count) => {
    const out = findings(projectPermitsResources, [project(projectSpec), application, ...objects]);
    // The project and Application themselves sit in argocd, which this project does not list: count only the rest.
    expect(out.filter((f) => !/^(AppProject|Application) /.test(f.message))).toHaveLength(count);
  });
});
