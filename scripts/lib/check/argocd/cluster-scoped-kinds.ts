import type { Resource } from '../../repo/resource.ts';

/**
 * `group/Kind` of the cluster-scoped kinds a GitOps repo commonly deploys: Kubernetes' own and
 * those of the controllers this platform runs. Argo CD checks these against the project's
 * clusterResourceWhitelist instead of its destinations.
 */
const KNOWN_CLUSTER_SCOPED = new Set([
  '/Namespace',
  '/PersistentVolume',
  '/Node',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'apiregistration.k8s.io/APIService',
  'scheduling.k8s.io/PriorityClass',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/VolumeAttachment',
  'networking.k8s.io/IngressClass',
  'node.k8s.io/RuntimeClass',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'certificates.k8s.io/CertificateSigningRequest',
  'cert-manager.io/ClusterIssuer',
  'postgresql.cnpg.io/ClusterImageCatalog',
  'gateway.networking.k8s.io/GatewayClass',
]);

/** Cluster-scoped `group/Kind`s: the known ones, and those of CRDs in the set that declare `scope: Cluster`. */
export function clusterScopedKinds(resources: readonly Resource[]): Set<string> {
  const out = new Set(KNOWN_CLUSTER_SCOPED);
  for (const r of resources) {
    if (r.object.kind !== 'CustomResourceDefinition') continue;
    const spec = (r.object.spec ?? {}) as { group?: string; scope?: string; names?: { kind?: string } };
    if (spec.scope === 'Cluster' && spec.group && spec.names?.kind)
      out.add(`${spec.group}/${spec.names.kind}`);
  }
  return out;
}
