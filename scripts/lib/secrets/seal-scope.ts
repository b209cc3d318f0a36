/** How widely a SealedSecret may be unsealed; kubeseal binds the ciphertext to it. */
export type SealScope = 'strict' | 'namespace-wide' | 'cluster-wide';

const NAMESPACE_WIDE = 'sealedsecrets.bitnami.com/namespace-wide';
const CLUSTER_WIDE = 'sealedsecrets.bitnami.com/cluster-wide';

/** The scope a SealedSecret's annotations ask for (strict unless annotated otherwise). */
export function sealScope(annotations: Record<string, unknown> | undefined): SealScope {
  if (String(annotations?.[CLUSTER_WIDE]) === 'true') return 'cluster-wide';
  if (String(annotations?.[NAMESPACE_WIDE]) === 'true') return 'namespace-wide';
  return 'strict';
}

/**
 * The OAEP label the controller checks when it unseals: `namespace/name` for strict scope, the
 * namespace for namespace-wide, nothing for cluster-wide. A value sealed under another label
 * does not open, which is what stops copying a ciphertext into another Secret.
 */
export function encryptionLabel(scope: SealScope, namespace: string, name: string): string {
  if (scope === 'cluster-wide') return '';
  if (scope === 'namespace-wide') return namespace;
  return `${namespace}/${name}`;
}
