/** A Kubernetes object as found in YAML: kept loose, rules narrow what they read. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Where a resource was written: a repo-relative file and the 1-based line its document starts on. */
export interface Origin {
  file: string;
  line: number;
  /** Repo-relative kustomizations whose patches or image/replica settings changed the object, in order. */
  changedBy?: string[];
}

/** A rendered resource of one environment, with the file that defines it. */
export interface Resource {
  object: KubeObject;
  origin: Origin;
  /** Environment name, or '' for loose files checked with --files. */
  env: string;
  /** Name of the Argo CD Application that deploys it ('' when it is a root or loose file). */
  app: string;
  /**
   * Set for an object a Helm chart rendered: the chart and the template helm names. Its origin is
   * the Application's chart source line, and findings stay on that line (the fields are not in git).
   */
  chart?: { name: string; template?: string };
}

export function resourceId(o: KubeObject): string {
  const ns = o.metadata?.namespace ? `${o.metadata.namespace}/` : '';
  return `${o.apiVersion ?? '?'} ${o.kind ?? '?'} ${ns}${o.metadata?.name ?? '?'}`;
}

export function groupOf(apiVersion: string | undefined): string {
  if (!apiVersion || !apiVersion.includes('/')) return '';
  return apiVersion.slice(0, apiVersion.indexOf('/'));
}
