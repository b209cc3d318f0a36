/**
 * The newest Kubernetes release the tools describe: the built-in schemas come from kubernetes-models
 * 5.1.0, which is Kubernetes 1.36. A target without a version is checked against this one.
 */
export const NEWEST_KUBERNETES_VERSION = '1.36';

const VERSION = /^1\.(0|[1-9]\d{0,2})$/;

/** The minor of a `1.N` version string, or undefined when the string is not one. */
export function kubernetesMinor(version: string): number | undefined {
  const m = VERSION.exec(version);
  return m ? Number(m[1]) : undefined;
}

/** Why `value` is not a target version the tools can check against, or undefined when it is one. */
export function kubernetesVersionProblem(value: unknown): string | undefined {
  if (typeof value === 'number')
    return `must be a quoted string such as "1.35" (YAML reads an unquoted 1.30 as the number 1.3)`;
  if (typeof value !== 'string' || kubernetesMinor(value) === undefined)
    return `must be a Kubernetes minor version such as "1.35"`;
  if (kubernetesMinor(value)! > kubernetesMinor(NEWEST_KUBERNETES_VERSION)!)
    return `"${value}" is newer than the newest version the tools describe (${NEWEST_KUBERNETES_VERSION})`;
  return undefined;
}
