import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiVersionDeprecated, apiVersionRemoved } from '../../scripts/lib/check/rules/api-versions.ts';
import { API_LIFECYCLE } from '../../scripts/lib/check/api-lifecycle-table.ts';
import { apiVerdict } from '../../scripts/lib/check/api-lifecycle.ts';
import { checkSchemas } from '../../scripts/lib/check/schema-check.ts';
import { createSchemaRegistry, SCHEMA_CACHE_DIR } from '../../scripts/lib/check/schema/registry.ts';
import type { SourceIndex } from '../../scripts/lib/repo/source-index.ts';
import type { KubeObject, Resource } from '../../scripts/lib/repo/resource.ts';
import { validate } from '../../scripts/lib/commands/validate.ts';
import { FIXTURES } from '../helpers/fixture-repo.ts';
import { findings } from '../property/rule-harness.ts';

function resource(object: KubeObject, line = 1): Resource {
  return { object, origin: { file: 'f.yaml', line }, env: 'dev', app: 'a' };
}

const findingsAt = (apiVersion: string, kind: string, kubernetesVersion: string) =>
  [apiVersionRemoved, apiVersionDeprecated].flatMap((rule) =>
    findings(rule, [{ apiVersion, kind, metadata: { name: 'x' } }], 'dev', [], kubernetesVersion),
  );

/** apiVersion, kind, target → removed (error) / deprecated (warning) / fine, and the release and replacement named. */
const TABLE: [string, string, string, 'removed' | 'deprecated' | 'fine', string?, string?][] = [
  ['extensions/v1beta1', 'Deployment', '1.36', 'removed', '1.16', 'apps/v1'],
  ['extensions/v1beta1', 'Deployment', '1.15', 'deprecated', '1.8', 'apps/v1'],
  ['extensions/v1beta1', 'Deployment', '1.7', 'fine'],
  ['extensions/v1beta1', 'DaemonSet', '1.33', 'removed', '1.16', 'apps/v1'],
  ['extensions/v1beta1', 'ReplicaSet', '1.33', 'removed', '1.16', 'apps/v1'],
  ['extensions/v1beta1', 'NetworkPolicy', '1.33', 'removed', '1.16', 'networking.k8s.io/v1'],
  ['extensions/v1beta1', 'Ingress', '1.33', 'removed', '1.22', 'networking.k8s.io/v1 '],
  ['extensions/v1beta1', 'Ingress', '1.18', 'deprecated', '1.14', 'networking.k8s.io/v1beta1'],
  ['extensions/v1beta1', 'Ingress', '1.20', 'deprecated', '1.14', 'networking.k8s.io/v1 '],
  ['extensions/v1beta1', 'PodSecurityPolicy', '1.20', 'removed', '1.16', 'policy/v1beta1'],
  ['extensions/v1beta1', 'PodSecurityPolicy', '1.33', 'removed', '1.16', 'Pod Security Admission'],
  ['apps/v1beta1', 'Deployment', '1.33', 'removed', '1.16', 'apps/v1'],
  ['apps/v1beta1', 'StatefulSet', '1.33', 'removed', '1.16', 'apps/v1'],
  ['apps/v1beta2', 'Deployment', '1.33', 'removed', '1.16', 'apps/v1'],
  ['apps/v1beta2', 'StatefulSet', '1.33', 'removed', '1.16', 'apps/v1'],
  ['apps/v1beta2', 'DaemonSet', '1.33', 'removed', '1.16', 'apps/v1'],
  ['apps/v1beta2', 'ReplicaSet', '1.33', 'removed', '1.16', 'apps/v1'],
  ['policy/v1beta1', 'PodSecurityPolicy', '1.25', 'removed', '1.25', 'Pod Security Admission'],
  ['policy/v1beta1', 'PodSecurityPolicy', '1.24', 'deprecated', '1.21', 'Pod Security Admission'],
  ['policy/v1beta1', 'PodDisruptionBudget', '1.25', 'removed', '1.25', 'policy/v1'],
  ['policy/v1beta1', 'PodDisruptionBudget', '1.24', 'deprecated', '1.21', 'policy/v1'],
  ['policy/v1beta1', 'PodDisruptionBudget', '1.20', 'fine'],
  ['networking.k8s.io/v1beta1', 'Ingress', '1.22', 'removed', '1.22', 'networking.k8s.io/v1'],
  ['networking.k8s.io/v1beta1', 'IngressClass', '1.35', 'removed', '1.22', 'networking.k8s.io/v1'],
  ['batch/v1beta1', 'CronJob', '1.25', 'removed', '1.25', 'batch/v1'],
  ['batch/v1beta1', 'CronJob', '1.21', 'deprecated', '1.21', 'batch/v1'],
  ['batch/v1beta1', 'CronJob', '1.20', 'fine'],
  ['autoscaling/v2beta1', 'HorizontalPodAutoscaler', '1.25', 'removed', '1.25', 'autoscaling/v2 '],
  ['autoscaling/v2beta1', 'HorizontalPodAutoscaler', '1.22', 'deprecated', '1.22', 'autoscaling/v2beta2'],
  ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.26', 'removed', '1.26', 'autoscaling/v2 '],
  ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.23', 'deprecated', '1.23', 'autoscaling/v2 '],
  ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.22', 'fine'],
  [
    'rbac.authorization.k8s.io/v1beta1',
    'ClusterRole',
    '1.22',
    'removed',
    '1.22',
    'rbac.authorization.k8s.io/v1',
  ],
  [
    'rbac.authorization.k8s.io/v1beta1',
    'RoleBinding',
    '1.21',
    'deprecated',
    '1.17',
    'rbac.authorization.k8s.io/v1',
  ],
  [
    'admissionregistration.k8s.io/v1beta1',
    'ValidatingWebhookConfiguration',
    '1.22',
    'removed',
    '1.22',
    'admissionregistration.k8s.io/v1',
  ],
  [
    'admissionregistration.k8s.io/v1beta1',
    'MutatingWebhookConfiguration',
    '1.33',
    'removed',
    '1.22',
    'admissionregistration.k8s.io/v1',
  ],
  [
    'apiextensions.k8s.io/v1beta1',
    'CustomResourceDefinition',
    '1.22',
    'removed',
    '1.22',
    'apiextensions.k8s.io/v1',
  ],
  ['storage.k8s.io/v1beta1', 'StorageClass', '1.22', 'removed', '1.22', 'storage.k8s.io/v1'],
  ['storage.k8s.io/v1beta1', 'CSIDriver', '1.22', 'removed', '1.22', 'storage.k8s.io/v1'],
  ['storage.k8s.io/v1beta1', 'CSIStorageCapacity', '1.27', 'removed', '1.27', 'storage.k8s.io/v1'],
  ['storage.k8s.io/v1beta1', 'CSIStorageCapacity', '1.26', 'deprecated', '1.24', 'storage.k8s.io/v1'],
  ['scheduling.k8s.io/v1beta1', 'PriorityClass', '1.22', 'removed', '1.22', 'scheduling.k8s.io/v1'],
  ['coordination.k8s.io/v1beta1', 'Lease', '1.22', 'removed', '1.22', 'coordination.k8s.io/v1'],
  [
    'certificates.k8s.io/v1beta1',
    'CertificateSigningRequest',
    '1.22',
    'removed',
    '1.22',
    'certificates.k8s.io/v1',
  ],
  ['discovery.k8s.io/v1beta1', 'EndpointSlice', '1.25', 'removed', '1.25', 'discovery.k8s.io/v1'],
  ['events.k8s.io/v1beta1', 'Event', '1.25', 'removed', '1.25', 'events.k8s.io/v1'],
  ['node.k8s.io/v1beta1', 'RuntimeClass', '1.25', 'removed', '1.25', 'node.k8s.io/v1'],
  [
    'flowcontrol.apiserver.k8s.io/v1beta1',
    'FlowSchema',
    '1.26',
    'removed',
    '1.26',
    'flowcontrol.apiserver.k8s.io/v1beta3',
  ],
  [
    'flowcontrol.apiserver.k8s.io/v1beta2',
    'FlowSchema',
    '1.29',
    'removed',
    '1.29',
    'flowcontrol.apiserver.k8s.io/v1 ',
  ],
  [
    'flowcontrol.apiserver.k8s.io/v1beta3',
    'PriorityLevelConfiguration',
    '1.32',
    'removed',
    '1.32',
    'flowcontrol.apiserver.k8s.io/v1 ',
  ],
  [
    'flowcontrol.apiserver.k8s.io/v1beta3',
    'PriorityLevelConfiguration',
    '1.31',
    'deprecated',
    '1.29',
    'flowcontrol.apiserver.k8s.io/v1 ',
  ],
  ['flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', '1.28', 'fine'],
  ['resource.k8s.io/v1alpha2', 'ResourceClaim', '1.31', 'removed', '1.31', 'resource.k8s.io/v1alpha3'],
  ['resource.k8s.io/v1alpha2', 'ResourceClaim', '1.30', 'fine'],
  ['resource.k8s.io/v1alpha3', 'ResourceClaim', '1.34', 'removed', '1.34', 'resource.k8s.io/v1 '],
  ['resource.k8s.io/v1beta1', 'ResourceClaim', '1.35', 'deprecated', '1.35', 'resource.k8s.io/v1 '],
  ['resource.k8s.io/v1beta1', 'ResourceClaim', '1.34', 'fine'],
  [
    'admissionregistration.k8s.io/v1beta1',
    'ValidatingAdmissionPolicy',
    '1.34',
    'removed',
    '1.34',
    'admissionregistration.k8s.io/v1',
  ],
  [
    'admissionregistration.k8s.io/v1beta1',
    'ValidatingAdmissionPolicy',
    '1.33',
    'deprecated',
    '1.31',
    'admissionregistration.k8s.io/v1',
  ],
  ['v1', 'Endpoints', '1.33', 'deprecated', '1.33', 'discovery.k8s.io/v1 EndpointSlice'],
  ['v1', 'Endpoints', '1.32', 'fine'],
  ['apps/v1', 'Deployment', '1.36', 'fine'],
  ['networking.k8s.io/v1', 'Ingress', '1.36', 'fine'],
  ['batch/v1', 'CronJob', '1.36', 'fine'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler', '1.36', 'fine'],
  ['policy/v1', 'PodDisruptionBudget', '1.36', 'fine'],
];

describe('apiVersion lifecycle at a target Kubernetes version', () => {
  it.each(TABLE)('%s %s at %s: %s', (apiVersion, kind, target, expected, release, replacement) => {
    const found = findingsAt(apiVersion, kind, target);
    if (expected === 'fine') return expect(found).toEqual([]);
    expect(found).toHaveLength(1);
    const f = found[0]!;
    expect(f.rule).toBe(
      expected === 'removed' ? 'schema/api-version-removed' : 'schema/api-version-deprecated',
    );
    expect(f.severity).toBe(expected === 'removed' ? 'error' : 'warning');
    expect(f.message).toContain(
      expected === 'removed'
        ? `no longer served since Kubernetes ${release}`
        : `deprecated since Kubernetes ${release}`,
    );
    expect(`${f.message} `).toContain(replacement);
  });

  it('a finding reads the same at every target that removed the version, so environments share it', () => {
    const message = (v: string) => findingsAt('batch/v1beta1', 'CronJob', v).map((f) => f.message);
    expect(message('1.35')).toEqual(message('1.36'));
  });

  it('the table names every version the deprecation guide lists as removed, with a replacement or advice', () => {
    const guide = [
      'extensions/v1beta1/Deployment',
      'extensions/v1beta1/DaemonSet',
      'extensions/v1beta1/ReplicaSet',
      'extensions/v1beta1/Ingress',
      'extensions/v1beta1/NetworkPolicy',
      'extensions/v1beta1/PodSecurityPolicy',
      'policy/v1beta1/PodSecurityPolicy',
      'policy/v1beta1/PodDisruptionBudget',
      'networking.k8s.io/v1beta1/IngressClass',
      'authentication.k8s.io/v1beta1/TokenReview',
      'authorization.k8s.io/v1beta1/SubjectAccessReview',
      'apiregistration.k8s.io/v1beta1/APIService',
      'storage.k8s.io/v1beta1/CSINode',
      'storage.k8s.io/v1beta1/VolumeAttachment',
      'flowcontrol.apiserver.k8s.io/v1beta1/PriorityLevelConfiguration',
      'flowcontrol.apiserver.k8s.io/v1beta2/PriorityLevelConfiguration',
      'flowcontrol.apiserver.k8s.io/v1beta3/FlowSchema',
    ];
    for (const key of guide) {
      const [group, version, kind] = key.split('/').length === 3 ? key.split('/') : ['', ...key.split('/')];
      expect(apiVerdict(group ? `${group}/${version}` : version!, kind!, '1.36')?.state, key).toBe('removed');
    }
    for (const e of API_LIFECYCLE) {
      expect(e.replacements.length > 0 || e.otherwise, `${e.apiVersion} ${e.kinds.join()}`).toBeTruthy();
      if (e.deprecated && e.removed)
        expect(Number(e.deprecated.split('.')[1])).toBeLessThan(Number(e.removed.split('.')[1]));
    }
  });
});

describe('one finding for a version the target no longer serves', () => {
  const DIR = path.join(FIXTURES, 'rules');

  it('removed apiVersions are reported at the apiVersion line instead of schema errors; deprecated ones are still schema-checked', async () => {
    const result = await validate({ cwd: DIR, files: ['schema-api-version-removed'] });
    expect(
      result.findings
        .filter((f) => f.rule.startsWith('schema/'))
        .map((f) => `${path.basename(f.file)}:${f.line} ${f.rule}`)
        .sort(),
    ).toEqual([
      'cronjob.yaml:1 schema/api-version-removed',
      'endpoints.yaml:1 schema/api-version-deprecated',
      'endpoints.yaml:6 schema/unknown-field',
      'minio-deployment.yaml:2 schema/api-version-removed',
      'resourceclass.yaml:1 schema/api-version-removed',
    ]);
  });

  it('the schema check validates a version the target still serves and skips it once the target no longer does', async () => {
    const registry = createSchemaRegistry({ cacheDir: SCHEMA_CACHE_DIR });
    const index = {
      lineOf: (o: { line: number }) => o.line,
      fieldPosition: (o: { line: number }) => ({ line: o.line, depth: 0 }),
    } as unknown as SourceIndex;
    const cronJob = resource({
      apiVersion: 'batch/v1beta1',
      kind: 'CronJob',
      metadata: { name: 'report' },
      spec: {
        schedule: '0 3 * * *',
        concurencyPolicy: 'Forbid',
        jobTemplate: { spec: { template: { spec: { containers: [] } } } },
      },
    });
    const rules = async (version: string) =>
      (await checkSchemas([cronJob], registry, index, [], version)).map((f) => f.rule);
    expect(await rules('1.24')).toEqual(['schema/unknown-field']);
    expect(await rules('1.25')).toEqual([]);
  });
});
