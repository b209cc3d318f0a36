import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument, isMap, isSeq, type Document } from 'yaml';
import { InputError } from '../errors.ts';
import { kubernetesVersionProblem, NEWEST_KUBERNETES_VERSION } from './kubernetes-version.ts';

export interface Environment {
  name: string;
  kubeContext?: string;
  argocdNamespace: string;
  /** The Kubernetes minor the environment's cluster runs (`1.N`); the newest the tools describe when unset. */
  kubernetesVersion: string;
  /** Extra API versions the cluster serves, passed to `helm template` as Argo CD passes the cluster's own. */
  apiVersions?: string[];
}

export interface RepoSettings {
  /** Absolute path of the repository root. */
  root: string;
  repoURL: string;
  /** In promotion order. */
  environments: Environment[];
  chartRepositories: string[];
  /** `apiVersion/kind` strings accepted without a schema. */
  kindsWithoutSchema: string[];
  /**
   * API group → the Application that installs its CRDs, for CRDs a Helm chart installs (charts are not
   * rendered offline). CRDs rendered in the repo are found without it.
   */
  crdProviders?: Record<string, string>;
}

export const SETTINGS_FILE = 'clusters/settings.yaml';

const ENV_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export async function loadSettings(root: string): Promise<RepoSettings> {
  const file = path.join(root, SETTINGS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new InputError(
      'repository settings file not found',
      SETTINGS_FILE,
      undefined,
      'run the tool from the repository root, or create clusters/settings.yaml (see README)',
    );
  }
  return parseSettings(text, root);
}

export function parseSettings(text: string, root: string): RepoSettings {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    throw new InputError(
      `invalid YAML: ${err.message.split('\n')[0]}`,
      SETTINGS_FILE,
      lineAt(text, err.pos[0]),
    );
  }
  const fail = (msg: string, key?: string): never => {
    throw new InputError(msg, SETTINGS_FILE, key ? keyLine(doc, text, key) : undefined);
  };
  const data = doc.toJS() as Record<string, unknown> | null;
  if (!data || typeof data !== 'object') fail('settings must be a mapping');
  const d = data as Record<string, unknown>;
  if (typeof d.repoURL !== 'string' || d.repoURL === '')
    fail('`repoURL` must be a non-empty string', 'repoURL');
  if (!Array.isArray(d.environments) || d.environments.length === 0)
    fail('`environments` must list at least one environment', 'environments');
  const seen = new Set<string>();
  const environments = (d.environments as unknown[]).map((e, i) => {
    const env = e as Record<string, unknown>;
    if (!env || typeof env.name !== 'string' || !ENV_NAME.test(env.name))
      fail(`environments[${i}].name must be a DNS label (lowercase letters, digits, '-')`, 'environments');
    const name = env.name as string;
    if (seen.has(name)) fail(`environment "${name}" is listed twice`, 'environments');
    seen.add(name);
    const version = env.kubernetesVersion ?? NEWEST_KUBERNETES_VERSION;
    const problem = kubernetesVersionProblem(version);
    if (problem)
      throw new InputError(
        `environments[${i}].kubernetesVersion ${problem}`,
        SETTINGS_FILE,
        nodeLine(doc, text, ['environments', i, 'kubernetesVersion']),
      );
    const out: Environment = {
      name,
      argocdNamespace: typeof env.argocdNamespace === 'string' ? env.argocdNamespace : 'argocd',
      kubernetesVersion: version as string,
    };
    if (typeof env.kubeContext === 'string') out.kubeContext = env.kubeContext;
    if (env.apiVersions !== undefined) {
      if (!Array.isArray(env.apiVersions) || env.apiVersions.some((v) => typeof v !== 'string'))
        fail(`environments[${i}].apiVersions must be a list of strings`, 'environments');
      out.apiVersions = env.apiVersions as string[];
    }
    return out;
  });
  const strings = (key: string): string[] => {
    const v = d[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
      fail(`\`${key}\` must be a list of strings`, key);
    return v as string[];
  };
  const crdProviders = d.crdProviders ?? {};
  if (
    typeof crdProviders !== 'object' ||
    Array.isArray(crdProviders) ||
    Object.values(crdProviders as object).some((v) => typeof v !== 'string' || v === '')
  )
    fail('`crdProviders` must map API groups to Application names', 'crdProviders');
  return {
    root,
    repoURL: d.repoURL as string,
    environments,
    chartRepositories: strings('chartRepositories'),
    kindsWithoutSchema: strings('kindsWithoutSchema'),
    crdProviders: crdProviders as Record<string, string>,
  };
}

export function environmentNamed(settings: RepoSettings, name: string): Environment {
  const env = settings.environments.find((e) => e.name === name);
  if (!env) {
    const known = settings.environments.map((e) => e.name).join(', ');
    throw new InputError(`unknown environment "${name}" (known: ${known})`, SETTINGS_FILE);
  }
  return env;
}

/** Repo URLs compare equal regardless of a trailing `.git` or `/` and letter case of the host. */
export function sameRepo(a: string, b: string): boolean {
  const norm = (u: string) =>
    u
      .trim()
      .replace(/\/+$/, '')
      .replace(/\.git$/, '')
      .toLowerCase();
  return norm(a) === norm(b);
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function nodeLine(doc: Document, text: string, path: (string | number)[]): number | undefined {
  const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  return node?.range ? lineAt(text, node.range[0]) : undefined;
}

function keyLine(doc: Document, text: string, key: string): number | undefined {
  if (!isMap(doc.contents)) return undefined;
  for (const pair of doc.contents.items) {
    const k = pair.key as { value?: unknown; range?: [number, number, number] };
    if (k?.value === key && k.range) return lineAt(text, k.range[0]);
  }
  return isSeq(doc.contents) ? 1 : undefined;
}

/**
 * The environments a person asked for, in promotion order whatever order the flags came in (and
 * each once); names the settings do not declare stay, last, for the caller to report.
 */
export function inPromotionOrder(requested: readonly string[], declared: readonly string[]): string[] {
  const asked = new Set(requested);
  return [...declared.filter((e) => asked.has(e)), ...[...asked].filter((e) => !declared.includes(e))];
}
