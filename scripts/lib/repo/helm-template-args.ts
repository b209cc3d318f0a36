import yaml from 'js-yaml';
import { sourcesOf, type ApplicationSource } from './application.ts';
import type { KubeObject } from './resource.ts';

/**
 * The Application → `helm template` mapping Argo CD's repo server makes (argo-cd
 * reposerver/repository/repository.go func helmTemplate, util/helm/cmd.go func template). Pure: the
 * caller resolves files and runs helm.
 */

export interface HelmSpec {
  releaseName?: string;
  namespace?: string;
  valueFiles?: string[];
  ignoreMissingValueFiles?: boolean;
  values?: string;
  valuesObject?: unknown;
  parameters?: { name?: string; value?: string; forceString?: boolean }[];
  fileParameters?: { name?: string; path?: string }[];
  skipCrds?: boolean;
  skipSchemaValidation?: boolean;
  skipTests?: boolean;
  kubeVersion?: string;
  apiVersions?: string[];
}

/** What the cluster reports, which Argo CD passes unless the source overrides it. */
export interface ClusterCapabilities {
  /** The cluster's Kubernetes minor (`kubernetesVersion` of its environment in clusters/settings.yaml). */
  kubernetesVersion?: string;
  apiVersions?: readonly string[];
}

export interface TemplateOptions {
  name: string;
  namespace: string;
  kubeVersion: string;
  apiVersions: string[];
  set: [string, string][];
  setString: [string, string][];
  /** Value file entries as written in the Application (`$values/…` or chart-relative), in order. */
  valueFiles: string[];
  ignoreMissingValueFiles: boolean;
  fileParameters: [string, string][];
  /** `helm.values` / `helm.valuesObject` as YAML, written to a temp file by the caller; '' when none. */
  extraValues: string;
  skipCrds: boolean;
  skipSchemaValidation: boolean;
  skipTests: boolean;
}

export function helmSpecOf(source: ApplicationSource): HelmSpec {
  return (source.helm ?? {}) as HelmSpec;
}

/** The options Argo CD builds for a chart source of `app`. Throws on a Kubernetes version it cannot parse. */
export function templateOptions(
  app: KubeObject,
  source: ApplicationSource,
  cluster: ClusterCapabilities,
): TemplateOptions {
  const helm = helmSpecOf(source);
  const appName = app.metadata?.name ?? '';
  const destination =
    ((app.spec as { destination?: { namespace?: string } } | undefined)?.destination?.namespace as string) ??
    '';
  const env = buildEnv(app, source, destination);
  const refs = new Set(sourcesOf(app).flatMap(({ source: s }) => (typeof s.ref === 'string' ? [s.ref] : [])));
  const set: [string, string][] = [];
  const setString: [string, string][] = [];
  for (const p of helm.parameters ?? []) {
    if (!p?.name) continue;
    (p.forceString ? setString : set).push([p.name, envsubst(String(p.value ?? ''), env)]);
  }
  return {
    name: helm.releaseName || appName,
    namespace: helm.namespace || destination,
    kubeVersion: parseKubeVersion(helm.kubeVersion || cluster.kubernetesVersion || ''),
    apiVersions: [...(helm.apiVersions?.length ? helm.apiVersions : (cluster.apiVersions ?? []))],
    set,
    setString,
    valueFiles: (helm.valueFiles ?? []).map((f) => substitutePath(String(f), refs, env)),
    ignoreMissingValueFiles: helm.ignoreMissingValueFiles === true,
    fileParameters: (helm.fileParameters ?? [])
      .filter((p) => p?.name && p.path)
      .map((p) => [p.name!, substitutePath(p.path!, refs, env)]),
    extraValues: valuesYaml(helm),
    skipCrds: helm.skipCrds === true,
    skipSchemaValidation: helm.skipSchemaValidation === true,
    skipTests: helm.skipTests === true,
  };
}

/** Resolved paths for the options' files, in the options' order. */
export interface ResolvedFiles {
  valueFiles: string[];
  fileParameters: [string, string][];
  /** Temp file holding `extraValues`, when there are any. */
  extraValuesFile?: string;
}

/** `helm template` arguments in exactly the order util/helm/cmd.go builds them. */
export function templateArgs(chartPath: string, o: TemplateOptions, files: ResolvedFiles): string[] {
  const args = ['template', chartPath, '--name-template', o.name];
  if (o.namespace) args.push('--namespace', o.namespace);
  if (o.kubeVersion) args.push('--kube-version', o.kubeVersion);
  for (const [k, v] of o.set) args.push('--set', `${k}=${cleanSetParameter(v)}`);
  for (const [k, v] of o.setString) args.push('--set-string', `${k}=${cleanSetParameter(v)}`);
  for (const [k, v] of files.fileParameters) args.push('--set-file', `${k}=${cleanSetParameter(v)}`);
  for (const f of files.valueFiles) args.push('--values', f);
  if (files.extraValuesFile) args.push('--values', files.extraValuesFile);
  for (const v of o.apiVersions) args.push('--api-versions', v);
  if (!o.skipCrds) args.push('--include-crds');
  if (o.skipSchemaValidation) args.push('--skip-schema-validation');
  if (o.skipTests) args.push('--skip-tests');
  return args;
}

/** `valuesObject` wins over `values` (ApplicationSourceHelm.ValuesYAML). */
export function valuesYaml(helm: HelmSpec): string {
  if (helm.valuesObject !== undefined && helm.valuesObject !== null)
    return yaml.dump(helm.valuesObject, { lineWidth: -1, noRefs: true });
  return typeof helm.values === 'string' ? helm.values : '';
}

/** Commas separate `--set` pairs: Argo CD escapes them unless the value is a `{a,b}` list or already escaped. */
export function cleanSetParameter(value: string): string {
  if (value.startsWith('{') && value.endsWith('}')) return value;
  let out = '';
  let prev = '';
  for (const ch of value) {
    out += ch === ',' && prev !== '\\' ? '\\,' : ch;
    prev = ch;
  }
  return out;
}

/**
 * k8s.io/apimachinery version.ParseGeneric(...).String(): an optional `v`, at least two numeric
 * components, anything after them (`-gke.1`, `+k3s1`) dropped.
 */
export function parseKubeVersion(version: string): string {
  if (version === '') return '';
  const m = /^\s*v?([0-9]+(?:\.[0-9]+)*)(.*)$/.exec(version);
  const parts = m?.[1]?.split('.') ?? [];
  if (!m || parts.length < 2 || (parts[0]!.startsWith('0') && parts[0] !== '0'))
    throw new Error(`could not parse Kubernetes version "${version}"`);
  return parts.map((p) => String(Number(p))).join('.');
}

/** The build environment Argo CD substitutes into parameters and value file paths (newEnv). */
function buildEnv(app: KubeObject, source: ApplicationSource, namespace: string): Record<string, string> {
  const revision = source.targetRevision ?? '';
  return {
    ARGOCD_APP_NAME: app.metadata?.name ?? '',
    ARGOCD_APP_NAMESPACE: namespace,
    ARGOCD_APP_PROJECT_NAME: String((app.spec as { project?: string } | undefined)?.project ?? ''),
    ARGOCD_APP_REVISION: revision,
    ARGOCD_APP_REVISION_SHORT: revision.slice(0, 7),
    ARGOCD_APP_REVISION_SHORT_8: revision.slice(0, 8),
    ARGOCD_APP_SOURCE_REPO_URL: source.repoURL ?? '',
    ARGOCD_APP_SOURCE_PATH: source.path ?? '',
    ARGOCD_APP_SOURCE_TARGET_REVISION: revision,
  };
}

/**
 * A `$ref/…` path naming a source's ref keeps its first segment and substitutes the rest (Argo CD
 * resolves the ref first); any other path is substituted whole.
 */
function substitutePath(entry: string, refs: ReadonlySet<string>, env: Record<string, string>): string {
  const slash = entry.indexOf('/');
  const first = slash < 0 ? entry : entry.slice(0, slash);
  if (first.startsWith('$') && refs.has(first.slice(1)) && slash >= 0)
    return `${first}/${envsubst(entry.slice(slash + 1), env)}`;
  return envsubst(entry, env);
}

/** Go's os.Expand as Env.Envsubst uses it: `$NAME`, `${NAME}`, unknown names empty, `$$` a dollar. */
export function envsubst(s: string, env: Record<string, string>): string {
  const lookup = (name: string) => (name === '$' ? '$' : (env[name] ?? ''));
  let out = '';
  for (let j = 0; j < s.length; j++) {
    if (s[j] !== '$' || j + 1 >= s.length) {
      out += s[j];
      continue;
    }
    const [name, width] = shellName(s.slice(j + 1));
    // Go leaves a `$` not followed by a name, and eats bad `${` syntax.
    if (name === '' && width === 0) out += '$';
    else if (name !== '') out += lookup(name);
    j += width;
  }
  return out;
}

function shellName(s: string): [string, number] {
  const special = (c: string | undefined) => c !== undefined && /^[*#$@!?\-0-9]$/.test(c);
  if (s[0] === '{') {
    if (s.length > 2 && special(s[1]) && s[2] === '}') return [s[1]!, 3];
    const close = s.indexOf('}');
    if (close === 1) return ['', 2];
    return close < 0 ? ['', 1] : [s.slice(1, close), close + 1];
  }
  if (special(s[0])) return [s[0]!, 1];
  const m = /^[A-Za-z0-9_]*/.exec(s)![0];
  return [m, m.length];
}
