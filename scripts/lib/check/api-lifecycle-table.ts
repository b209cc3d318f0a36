/**
 * When Kubernetes deprecated and stopped serving built-in API versions, per kind.
 *
 * Sources, cross-checked against each other:
 * - k8s.io/api `zz_generated.prerelease-lifecycle.go` (github.com/kubernetes/api at 10b39a39, the 1.37
 *   development line, and its v0.19.0–v0.36.0 tags): `APILifecycleDeprecated` is the release whose API
 *   server starts answering with a deprecation warning, `APILifecycleRemoved` the first release that no
 *   longer serves the version. Alpha versions whose types left k8s.io/api earlier than their nominal
 *   removal are recorded at the release they left (their API server could not serve them any more).
 * - The Kubernetes deprecated API migration guide (kubernetes.io/docs/reference/using-api/deprecation-guide)
 *   for the releases before lifecycle tags existed, apiextensions.k8s.io and apiregistration.k8s.io.
 * - FairwindsOps/pluto `versions.yaml` (dd5ec8cc) and doitintl/kube-no-trouble `pkg/rules/rego` (2366d921).
 *   Where they disagree with k8s.io/api (pluto: flowcontrol v1beta1 removed in 1.29, resource.k8s.io/v1beta1
 *   in 1.36), the generated lifecycle wins: it is what the API server itself acts on.
 *
 * Only kinds people write in manifests are listed (no List, Scale, Eviction or *Review-by-client kinds
 * except the ones the guide names). Versions are Kubernetes minors, `1.N`.
 */

/** A version a kind can move to, and the releases that serve it. */
export interface ApiReplacement {
  apiVersion: string;
  /** The replacement's kind when it differs (v1 Endpoints → EndpointSlice). */
  kind?: string;
  since: string;
  /** First release that no longer serves the replacement itself. */
  until?: string;
}

export interface ApiLifecycle {
  apiVersion: string;
  kinds: readonly string[];
  /** First release that serves it with a deprecation warning; absent when it never warned (alpha). */
  deprecated?: string;
  /** First release that no longer serves it; absent while it is only deprecated. */
  removed?: string;
  /** Where to move, oldest first; the newest one the target serves is named. */
  replacements: readonly ApiReplacement[];
  /** What to do when no replacement is served at the target. */
  otherwise?: string;
}

const APPS_V1: ApiReplacement = { apiVersion: 'apps/v1', since: '1.9' };
const NETWORKING_V1: ApiReplacement = { apiVersion: 'networking.k8s.io/v1', since: '1.19' };
const RBAC_KINDS = ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];
const DRA_KINDS = ['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'];
const DRA_V1: ApiReplacement = { apiVersion: 'resource.k8s.io/v1', since: '1.34' };
const DRA_BETAS: ApiReplacement[] = [
  { apiVersion: 'resource.k8s.io/v1beta1', since: '1.32', until: '1.38' },
  { apiVersion: 'resource.k8s.io/v1beta2', since: '1.33', until: '1.39' },
  DRA_V1,
];
const FLOWCONTROL: ApiReplacement[] = [
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', since: '1.26', until: '1.32' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', since: '1.29' },
];
const PSP_GONE =
  'PodSecurityPolicy has no successor API: enforce Pod Security Standards with the namespace labels pod-security.kubernetes.io/enforce (Pod Security Admission)';

export const API_LIFECYCLE: readonly ApiLifecycle[] = [
  // 1.16
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['Deployment', 'DaemonSet', 'ReplicaSet'],
    deprecated: '1.8',
    removed: '1.16',
    replacements: [APPS_V1],
  },
  {
    apiVersion: 'apps/v1beta1',
    kinds: ['Deployment', 'StatefulSet'],
    deprecated: '1.8',
    removed: '1.16',
    replacements: [APPS_V1],
  },
  {
    apiVersion: 'apps/v1beta2',
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'],
    deprecated: '1.9',
    removed: '1.16',
    replacements: [APPS_V1],
  },
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['NetworkPolicy'],
    deprecated: '1.9',
    removed: '1.16',
    replacements: [{ apiVersion: 'networking.k8s.io/v1', since: '1.8' }],
  },
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['PodSecurityPolicy'],
    deprecated: '1.11',
    removed: '1.16',
    replacements: [{ apiVersion: 'policy/v1beta1', since: '1.10', until: '1.25' }],
    otherwise: PSP_GONE,
  },
  // 1.22
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['Ingress'],
    deprecated: '1.14',
    removed: '1.22',
    replacements: [{ apiVersion: 'networking.k8s.io/v1beta1', since: '1.14', until: '1.22' }, NETWORKING_V1],
  },
  {
    apiVersion: 'networking.k8s.io/v1beta1',
    kinds: ['Ingress', 'IngressClass'],
    deprecated: '1.19',
    removed: '1.22',
    replacements: [NETWORKING_V1],
  },
  {
    apiVersion: 'admissionregistration.k8s.io/v1beta1',
    kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    deprecated: '1.16',
    removed: '1.22',
    replacements: [{ apiVersion: 'admissionregistration.k8s.io/v1', since: '1.16' }],
  },
  {
    apiVersion: 'apiextensions.k8s.io/v1beta1',
    kinds: ['CustomResourceDefinition'],
    deprecated: '1.16',
    removed: '1.22',
    replacements: [{ apiVersion: 'apiextensions.k8s.io/v1', since: '1.16' }],
  },
  {
    apiVersion: 'apiregistration.k8s.io/v1beta1',
    kinds: ['APIService'],
    deprecated: '1.19',
    removed: '1.22',
    replacements: [{ apiVersion: 'apiregistration.k8s.io/v1', since: '1.10' }],
  },
  {
    apiVersion: 'authentication.k8s.io/v1beta1',
    kinds: ['TokenReview'],
    deprecated: '1.19',
    removed: '1.22',
    replacements: [{ apiVersion: 'authentication.k8s.io/v1', since: '1.6' }],
  },
  {
    apiVersion: 'authorization.k8s.io/v1beta1',
    kinds: [
      'LocalSubjectAccessReview',
      'SelfSubjectAccessReview',
      'SelfSubjectRulesReview',
      'SubjectAccessReview',
    ],
    deprecated: '1.19',
    removed: '1.22',
    replacements: [{ apiVersion: 'authorization.k8s.io/v1', since: '1.6' }],
  },
  {
    apiVersion: 'certificates.k8s.io/v1beta1',
    kinds: ['CertificateSigningRequest'],
    deprecated: '1.19',
    removed: '1.22',
    replacements: [{ apiVersion: 'certificates.k8s.io/v1', since: '1.19' }],
  },
  {
    apiVersion: 'coordination.k8s.io/v1beta1',
    kinds: ['Lease'],
    deprecated: '1.19',
    removed: '1.22',
    replacements: [{ apiVersion: 'coordination.k8s.io/v1', since: '1.14' }],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1beta1',
    kinds: RBAC_KINDS,
    deprecated: '1.17',
    removed: '1.22',
    replacements: [{ apiVersion: 'rbac.authorization.k8s.io/v1', since: '1.8' }],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1alpha1',
    kinds: RBAC_KINDS,
    deprecated: '1.17',
    removed: '1.22',
    replacements: [{ apiVersion: 'rbac.authorization.k8s.io/v1', since: '1.8' }],
  },
  {
    apiVersion: 'scheduling.k8s.io/v1beta1',
    kinds: ['PriorityClass'],
    deprecated: '1.14',
    removed: '1.22',
    replacements: [{ apiVersion: 'scheduling.k8s.io/v1', since: '1.14' }],
  },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['CSIDriver'],
    deprecated: '1.19',
    removed: '1.22',
    replacements: [{ apiVersion: 'storage.k8s.io/v1', since: '1.19' }],
  },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['CSINode'],
    deprecated: '1.17',
    removed: '1.22',
    replacements: [{ apiVersion: 'storage.k8s.io/v1', since: '1.17' }],
  },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['StorageClass'],
    deprecated: '1.19',
    removed: '1.22',
    replacements: [{ apiVersion: 'storage.k8s.io/v1', since: '1.6' }],
  },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['VolumeAttachment'],
    deprecated: '1.19',
    removed: '1.22',
    replacements: [{ apiVersion: 'storage.k8s.io/v1', since: '1.13' }],
  },
  // 1.24
  {
    apiVersion: 'storage.k8s.io/v1alpha1',
    kinds: ['VolumeAttachment'],
    deprecated: '1.21',
    removed: '1.24',
    replacements: [{ apiVersion: 'storage.k8s.io/v1', since: '1.13' }],
  },
  {
    apiVersion: 'storage.k8s.io/v1alpha1',
    kinds: ['CSIStorageCapacity'],
    deprecated: '1.21',
    removed: '1.24',
    replacements: [
      { apiVersion: 'storage.k8s.io/v1beta1', since: '1.21', until: '1.27' },
      { apiVersion: 'storage.k8s.io/v1', since: '1.24' },
    ],
  },
  // 1.25
  {
    apiVersion: 'batch/v1beta1',
    kinds: ['CronJob'],
    deprecated: '1.21',
    removed: '1.25',
    replacements: [{ apiVersion: 'batch/v1', since: '1.21' }],
  },
  {
    apiVersion: 'discovery.k8s.io/v1beta1',
    kinds: ['EndpointSlice'],
    deprecated: '1.21',
    removed: '1.25',
    replacements: [{ apiVersion: 'discovery.k8s.io/v1', since: '1.21' }],
  },
  {
    apiVersion: 'events.k8s.io/v1beta1',
    kinds: ['Event'],
    deprecated: '1.22',
    removed: '1.25',
    replacements: [{ apiVersion: 'events.k8s.io/v1', since: '1.19' }],
  },
  {
    apiVersion: 'autoscaling/v2beta1',
    kinds: ['HorizontalPodAutoscaler'],
    deprecated: '1.22',
    removed: '1.25',
    replacements: [
      { apiVersion: 'autoscaling/v2beta2', since: '1.12', until: '1.26' },
      { apiVersion: 'autoscaling/v2', since: '1.23' },
    ],
  },
  {
    apiVersion: 'policy/v1beta1',
    kinds: ['PodDisruptionBudget'],
    deprecated: '1.21',
    removed: '1.25',
    replacements: [{ apiVersion: 'policy/v1', since: '1.21' }],
  },
  {
    apiVersion: 'policy/v1beta1',
    kinds: ['PodSecurityPolicy'],
    deprecated: '1.21',
    removed: '1.25',
    replacements: [],
    otherwise: PSP_GONE,
  },
  {
    apiVersion: 'node.k8s.io/v1beta1',
    kinds: ['RuntimeClass'],
    deprecated: '1.22',
    removed: '1.25',
    replacements: [{ apiVersion: 'node.k8s.io/v1', since: '1.20' }],
  },
  // 1.26
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1',
    kinds: ['FlowSchema', 'PriorityLevelConfiguration'],
    deprecated: '1.23',
    removed: '1.26',
    replacements: [
      { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', since: '1.23', until: '1.29' },
      ...FLOWCONTROL,
    ],
  },
  {
    apiVersion: 'autoscaling/v2beta2',
    kinds: ['HorizontalPodAutoscaler'],
    deprecated: '1.23',
    removed: '1.26',
    replacements: [{ apiVersion: 'autoscaling/v2', since: '1.23' }],
  },
  // 1.27
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['CSIStorageCapacity'],
    deprecated: '1.24',
    removed: '1.27',
    replacements: [{ apiVersion: 'storage.k8s.io/v1', since: '1.24' }],
  },
  // 1.29
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
    kinds: ['FlowSchema', 'PriorityLevelConfiguration'],
    deprecated: '1.26',
    removed: '1.29',
    replacements: FLOWCONTROL,
  },
  {
    apiVersion: 'networking.k8s.io/v1alpha1',
    kinds: ['ClusterCIDR'],
    deprecated: '1.28',
    removed: '1.29',
    replacements: [],
    otherwise:
      'ClusterCIDR (MultiCIDRRangeAllocator) was withdrawn; set pod CIDRs on the nodes or in the CNI',
  },
  // 1.31
  {
    apiVersion: 'resource.k8s.io/v1alpha2',
    kinds: [
      'ResourceClass',
      'ResourceClaim',
      'ResourceClaimTemplate',
      'PodSchedulingContext',
      'ResourceSlice',
      'ResourceClaimParameters',
      'ResourceClassParameters',
    ],
    removed: '1.31',
    replacements: [{ apiVersion: 'resource.k8s.io/v1alpha3', since: '1.31', until: '1.34' }, ...DRA_BETAS],
    otherwise: 'classic DRA was replaced by structured parameters (DeviceClass, ResourceClaim)',
  },
  // 1.32
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
    kinds: ['FlowSchema', 'PriorityLevelConfiguration'],
    deprecated: '1.29',
    removed: '1.32',
    replacements: [{ apiVersion: 'flowcontrol.apiserver.k8s.io/v1', since: '1.29' }],
  },
  {
    apiVersion: 'admissionregistration.k8s.io/v1alpha1',
    kinds: ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'],
    deprecated: '1.29',
    removed: '1.32',
    replacements: [
      { apiVersion: 'admissionregistration.k8s.io/v1beta1', since: '1.28', until: '1.34' },
      { apiVersion: 'admissionregistration.k8s.io/v1', since: '1.30' },
    ],
  },
  {
    apiVersion: 'resource.k8s.io/v1alpha3',
    kinds: ['PodSchedulingContext'],
    removed: '1.32',
    replacements: [],
    otherwise: 'DRA control-plane-controller mode was withdrawn; use structured parameters',
  },
  {
    apiVersion: 'coordination.k8s.io/v1alpha1',
    kinds: ['LeaseCandidate'],
    removed: '1.32',
    replacements: [
      { apiVersion: 'coordination.k8s.io/v1alpha2', since: '1.32', until: '1.38' },
      { apiVersion: 'coordination.k8s.io/v1beta1', since: '1.33', until: '1.39' },
    ],
  },
  // 1.33
  {
    apiVersion: 'networking.k8s.io/v1alpha1',
    kinds: ['IPAddress', 'ServiceCIDR'],
    deprecated: '1.30',
    removed: '1.33',
    replacements: [
      { apiVersion: 'networking.k8s.io/v1beta1', since: '1.31', until: '1.37' },
      { apiVersion: 'networking.k8s.io/v1', since: '1.33' },
    ],
  },
  {
    apiVersion: 'v1',
    kinds: ['Endpoints'],
    deprecated: '1.33',
    replacements: [{ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', since: '1.21' }],
  },
  // 1.34
  {
    apiVersion: 'admissionregistration.k8s.io/v1beta1',
    kinds: ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'],
    deprecated: '1.31',
    removed: '1.34',
    replacements: [{ apiVersion: 'admissionregistration.k8s.io/v1', since: '1.30' }],
  },
  {
    apiVersion: 'resource.k8s.io/v1alpha3',
    kinds: DRA_KINDS,
    removed: '1.34',
    replacements: DRA_BETAS,
  },
  {
    apiVersion: 'certificates.k8s.io/v1alpha1',
    kinds: ['ClusterTrustBundle'],
    deprecated: '1.34',
    removed: '1.37',
    replacements: [{ apiVersion: 'certificates.k8s.io/v1beta1', since: '1.33' }],
  },
  {
    apiVersion: 'networking.k8s.io/v1beta1',
    kinds: ['IPAddress', 'ServiceCIDR'],
    deprecated: '1.34',
    removed: '1.37',
    replacements: [{ apiVersion: 'networking.k8s.io/v1', since: '1.33' }],
  },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['VolumeAttributesClass'],
    deprecated: '1.34',
    removed: '1.37',
    replacements: [{ apiVersion: 'storage.k8s.io/v1', since: '1.34' }],
  },
  // 1.35
  {
    apiVersion: 'storage.k8s.io/v1alpha1',
    kinds: ['VolumeAttributesClass'],
    deprecated: '1.32',
    removed: '1.35',
    replacements: [
      { apiVersion: 'storage.k8s.io/v1beta1', since: '1.31', until: '1.37' },
      { apiVersion: 'storage.k8s.io/v1', since: '1.34' },
    ],
  },
  {
    apiVersion: 'storagemigration.k8s.io/v1alpha1',
    kinds: ['StorageVersionMigration'],
    deprecated: '1.33',
    removed: '1.35',
    replacements: [{ apiVersion: 'storagemigration.k8s.io/v1beta1', since: '1.35' }],
  },
  {
    apiVersion: 'certificates.k8s.io/v1alpha1',
    kinds: ['PodCertificateRequest'],
    removed: '1.35',
    replacements: [{ apiVersion: 'certificates.k8s.io/v1beta1', since: '1.35' }],
  },
  {
    apiVersion: 'resource.k8s.io/v1beta1',
    kinds: DRA_KINDS,
    deprecated: '1.35',
    removed: '1.38',
    replacements: [DRA_V1],
  },
  {
    apiVersion: 'coordination.k8s.io/v1alpha2',
    kinds: ['LeaseCandidate'],
    deprecated: '1.35',
    removed: '1.38',
    replacements: [{ apiVersion: 'coordination.k8s.io/v1beta1', since: '1.33', until: '1.39' }],
  },
  {
    apiVersion: 'admissionregistration.k8s.io/v1alpha1',
    kinds: ['MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding'],
    deprecated: '1.35',
    removed: '1.38',
    replacements: [{ apiVersion: 'admissionregistration.k8s.io/v1beta1', since: '1.34' }],
  },
  // 1.36
  {
    apiVersion: 'resource.k8s.io/v1beta2',
    kinds: DRA_KINDS,
    deprecated: '1.36',
    removed: '1.39',
    replacements: [DRA_V1],
  },
  {
    apiVersion: 'resource.k8s.io/v1alpha3',
    kinds: ['DeviceTaintRule'],
    deprecated: '1.36',
    removed: '1.39',
    replacements: [{ apiVersion: 'resource.k8s.io/v1beta2', since: '1.36' }],
  },
  {
    apiVersion: 'coordination.k8s.io/v1beta1',
    kinds: ['LeaseCandidate'],
    deprecated: '1.36',
    removed: '1.39',
    replacements: [],
    otherwise: 'no stable version is served yet; keep it and plan the move before 1.39',
  },
];
