import type { Resource } from '../../repo/resource.ts';
import { namespaceOf } from '../mesh/hosts.ts';

export type ReferencedKind = 'ServiceAccount' | 'ConfigMap' | 'Secret';

/** Objects the cluster puts in every namespace by itself. */
const IN_EVERY_NAMESPACE: Record<ReferencedKind, string[]> = {
  ServiceAccount: ['default'],
  // kube-root-ca.crt: kube-controller-manager; istio-ca-root-cert: istiod, in every namespace.
  ConfigMap: ['kube-root-ca.crt', 'istio-ca-root-cert'],
  Secret: [],
};

/** Secrets controllers create from a resource in git: name(s) the controller writes. */
function producedSecrets(o: Record<string, any>): string[] {
  const group = String(o.apiVersion ?? '').split('/')[0];
  const n = String(o.metadata?.name ?? '');
  // Sealed Secrets: the Secret is named after the SealedSecret unless its template names it.
  if (group === 'bitnami.com' && o.kind === 'SealedSecret') return [o.spec?.template?.metadata?.name ?? n];
  // cert-manager writes the certificate to spec.secretName.
  if (group === 'cert-manager.io' && o.kind === 'Certificate') return [o.spec?.secretName].filter(Boolean);
  // CloudNativePG: application and superuser credentials, and the cluster's CA and server certificates.
  if (group === 'postgresql.cnpg.io' && o.kind === 'Cluster')
    return ['app', 'superuser', 'ca', 'server', 'replication'].map((s) => `${n}-${s}`);
  // Strimzi: a KafkaUser's credentials are a Secret of the same name; a Kafka's CA certificates.
  if (group === 'kafka.strimzi.io' && o.kind === 'KafkaUser') return [n];
  if (group === 'kafka.strimzi.io' && o.kind === 'Kafka')
    return [`${n}-cluster-ca-cert`, `${n}-clients-ca-cert`];
  return [];
}

/** `kind|namespace|name` of every ServiceAccount, ConfigMap and Secret the environment will have. */
export function existingObjects(resources: readonly Resource[]): Set<string> {
  const out = new Set<string>();
  const namespaces = new Set<string>();
  for (const r of resources) {
    const o = r.object as Record<string, any>;
    const ns = namespaceOf(r);
    namespaces.add(ns);
    if (o.kind === 'Namespace' && o.apiVersion === 'v1') namespaces.add(o.metadata?.name);
    if (o.apiVersion === 'v1' && ['ServiceAccount', 'ConfigMap', 'Secret'].includes(o.kind))
      out.add(objectKey(o.kind, ns, o.metadata?.name ?? ''));
    for (const s of producedSecrets(o)) out.add(objectKey('Secret', ns, s));
  }
  for (const ns of namespaces)
    for (const [kind, names] of Object.entries(IN_EVERY_NAMESPACE))
      for (const n of names) out.add(objectKey(kind as ReferencedKind, ns, n));
  return out;
}

export function objectKey(kind: ReferencedKind, namespace: string, name: string): string {
  return `${kind}|${namespace}|${name}`;
}

export interface ObjectReference {
  kind: ReferencedKind;
  name: string;
  /** JSON path of the reference inside the pod spec. */
  path: (string | number)[];
}

/** ServiceAccount, ConfigMaps and Secrets a pod spec needs to start; `optional: true` ones are left out. */
export function podReferences(pod: Record<string, any>): ObjectReference[] {
  const out: ObjectReference[] = [];
  const add = (
    kind: ReferencedKind,
    ref: Record<string, any> | undefined,
    name: unknown,
    path: (string | number)[],
  ) => {
    if (ref && ref.optional !== true && typeof name === 'string' && name !== '')
      out.push({ kind, name, path });
  };
  const sa = pod.serviceAccountName ?? pod.serviceAccount;
  if (typeof sa === 'string' && sa !== '')
    out.push({
      kind: 'ServiceAccount',
      name: sa,
      path: [pod.serviceAccountName ? 'serviceAccountName' : 'serviceAccount'],
    });
  ((pod.volumes ?? []) as Record<string, any>[]).forEach((v, i) => {
    add('ConfigMap', v.configMap, v.configMap?.name, ['volumes', i, 'configMap']);
    add('Secret', v.secret, v.secret?.secretName, ['volumes', i, 'secret']);
    ((v.projected?.sources ?? []) as Record<string, any>[]).forEach((s, j) => {
      add('ConfigMap', s.configMap, s.configMap?.name, [
        'volumes',
        i,
        'projected',
        'sources',
        j,
        'configMap',
      ]);
      add('Secret', s.secret, s.secret?.name, ['volumes', i, 'projected', 'sources', j, 'secret']);
    });
  });
  for (const field of ['initContainers', 'containers'])
    ((pod[field] ?? []) as Record<string, any>[]).forEach((c, i) => {
      ((c.envFrom ?? []) as Record<string, any>[]).forEach((e, j) => {
        add('ConfigMap', e.configMapRef, e.configMapRef?.name, [field, i, 'envFrom', j, 'configMapRef']);
        add('Secret', e.secretRef, e.secretRef?.name, [field, i, 'envFrom', j, 'secretRef']);
      });
      ((c.env ?? []) as Record<string, any>[]).forEach((e, j) => {
        const from = e.valueFrom ?? {};
        add('ConfigMap', from.configMapKeyRef, from.configMapKeyRef?.name, [field, i, 'env', j, 'valueFrom']);
        add('Secret', from.secretKeyRef, from.secretKeyRef?.name, [field, i, 'env', j, 'valueFrom']);
      });
    });
  return out;
}
