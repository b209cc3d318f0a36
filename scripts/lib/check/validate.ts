import { readFileSync } from 'node:fs';
import { InputError } from '../errors.ts';
import { appsWithChartsNotRendered } from '../repo/helm-not-rendered.ts';
import { KustomizeRenderer } from '../repo/kustomize-renderer.ts';
import { loadLooseFiles } from '../repo/loose-files.ts';
import { findRepoRoot } from '../repo/repo-root.ts';
import { defaultRenderCache, openRepository, type Repository } from '../repo/repository.ts';
import { environmentNamed, inPromotionOrder, loadSettings, type RepoSettings } from '../repo/settings.ts';
import { NEWEST_KUBERNETES_VERSION } from '../repo/kubernetes-version.ts';
import { SourceIndex } from '../repo/source-index.ts';
import { groupOf, resourceId, type Resource } from '../repo/resource.ts';
import { problemFinding } from '../repo/walk.ts';
import { locateField } from '../repo/field-origin.ts';
import { chartAccess } from './chart-values.ts';
import type { Finding } from './finding.ts';
import { foldFollowOn } from './follow-on.ts';
import { PIPELINE_CHECKS } from './pipeline-checks.ts';
import type { Rule, RuleContext } from './rule.ts';
import { ALL_RULES } from './rules/index.ts';
import { runRules } from './run-rules.ts';
import { checkSchemas } from './schema-check.ts';
import { createSchemaRegistry, SCHEMA_CACHE_DIR, type SchemaRegistry } from './schema/registry.ts';
import { applySeverity, severityConfigFor, type SeverityConfig } from './severity-config.ts';
import { mergeAcrossEnvironments, sortFindings } from './sort-findings.ts';
import { applySuppressions } from './suppression.ts';
import { validateEnvironments } from './validate-environments.ts';

export interface ValidateOptions {
  cwd: string;
  envs?: string[];
  files?: string[];
  readStdin?: () => string;
  cacheDir?: string | null;
  registry?: SchemaRegistry;
  rules?: readonly Rule[];
  /** A severity config other than the repository's clusters/validate.yaml. */
  config?: string;
  /** The Kubernetes release loose files are checked against (`--kubernetes-version`); default the newest described. */
  kubernetesVersion?: string;
}

export interface ValidateResult {
  findings: Finding[];
  environments: string[];
  resources: number;
  /** What the run did not check and why, one line each (skipped files, …). */
  notes: string[];
  /** Applications whose Helm charts were not looked inside (helm not on PATH). */
  chartsNotRendered: string[];
}

/** Every id a finding can carry: every rule's (a run with fewer rules reads the same config) and the pipeline's. */
export function knownCheckIds(rules: readonly Rule[]): Set<string> {
  return new Set([...ALL_RULES, ...rules].map((r) => r.id).concat(PIPELINE_CHECKS.map((c) => c.id)));
}

/**
 * The rule levels for a repository's environments: those of `explicit` (--config, relative to
 * `cwd`), else of its clusters/validate.yaml. validate and the promotion gate both take them here.
 */
export function repositoryLevels(
  repo: Repository,
  rules: readonly Rule[],
  explicit?: string,
  cwd: string = repo.root,
): SeverityConfig {
  const environments = repo.settings.environments.map((e) => e.name);
  return severityConfigFor(repo.root, explicit, cwd, knownCheckIds(rules), environments);
}

/** Library entry: validate environments (or loose files) and return findings; prints nothing. */
export async function validate(options: ValidateOptions): Promise<ValidateResult> {
  const rules = options.rules ?? ALL_RULES;
  if (options.files && options.files.length > 0) return validateLooseFiles(options, options.files, rules);
  const repo = await openRepository(
    options.cwd,
    options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir },
  );
  try {
    const all = repo.settings.environments.map((e) => e.name);
    for (const e of options.envs ?? []) environmentNamed(repo.settings, e);
    // Always in promotion order, whatever order the flags came in.
    const envs = options.envs?.length ? inPromotionOrder(options.envs, all) : all;
    const config = repositoryLevels(repo, rules, options.config, options.cwd);
    const registry = options.registry ?? createSchemaRegistry({ cacheDir: SCHEMA_CACHE_DIR });
    const result = await validateEnvironments(repo, envs, registry, rules, config);
    return {
      findings: result.findings,
      environments: envs,
      resources: result.resources,
      notes: [],
      chartsNotRendered: appsWithChartsNotRendered(result.renders),
    };
  } finally {
    repo.dispose();
  }
}

async function validateLooseFiles(
  options: ValidateOptions,
  files: readonly string[],
  rules: readonly Rule[],
): Promise<ValidateResult> {
  let root = options.cwd;
  let settings: RepoSettings = {
    root,
    repoURL: '',
    environments: [],
    chartRepositories: [],
    kindsWithoutSchema: [],
  };
  try {
    root = findRepoRoot(options.cwd);
    settings = { ...(await loadSettings(root)), environments: [] };
  } catch {
    // loose files outside a repository: no settings, no allow list
  }
  const config = severityConfigFor(root, options.config, options.cwd, knownCheckIds(rules), undefined);
  const index = new SourceIndex(options.cwd);
  let renderer: KustomizeRenderer | undefined;
  let load;
  try {
    load = await loadLooseFiles(
      files,
      index,
      options.readStdin ?? (() => readFileSync(0, 'utf8')),
      () =>
        (renderer ??= new KustomizeRenderer({
          cacheDir: options.cacheDir === undefined ? defaultRenderCache() : options.cacheDir,
        })),
    );
  } finally {
    renderer?.dispose();
  }
  // An empty or failed `kubectl get … |` must never read as a pass.
  if (load.objects === 0 && load.problems.length === 0)
    throw new InputError(
      'no resources found',
      files.map((f) => (f === '-' ? 'stdin' : f)).join(', '),
      undefined,
      'give files or folders holding Kubernetes manifests (a kubectl command that failed prints none)',
    );
  const registry = options.registry ?? createSchemaRegistry({ cacheDir: SCHEMA_CACHE_DIR });
  const kubernetesVersion = options.kubernetesVersion ?? NEWEST_KUBERNETES_VERSION;
  const findings: Finding[] = load.problems.map((p) => problemFinding('', p));
  const notes: string[] = [];
  for (const set of load.sets) {
    const { resources: applied, replaced } = lastOfEach(set.resources);
    for (const [earlier, later] of replaced)
      notes.push(
        `${resourceId(later.object)} is defined twice (${earlier.origin.file}:${earlier.origin.line} and ${later.origin.file}:${later.origin.line}): rules see the later one, which is what applying both leaves`,
      );
    const ctx: RuleContext = {
      env: set.name,
      resources: applied,
      settings,
      kubernetesVersion,
      partial: true,
      lineOf: (r, p) => index.lineOf(r.origin, p),
      locate: (r, p) => locateField(index, r, p),
      ...chartAccess(index, []),
    };
    const setFindings = [
      ...(await checkSchemas(
        set.resources,
        registry,
        index,
        settings.kindsWithoutSchema,
        kubernetesVersion,
        true,
      )),
      ...runRules(rules, ctx),
    ];
    // A loop, not push(...): a large stream has more findings than a call has arguments.
    for (const f of applySeverity(applySuppressions(setFindings, set.resources), config.levelsFor(set.name)))
      findings.push(f);
  }
  if (load.skipped.length)
    notes.push(
      `${load.skipped.length} file${load.skipped.length === 1 ? '' : 's'} skipped, not Kubernetes objects: ${load.skipped.join(', ')}`,
    );
  return {
    findings: sortFindings(foldFollowOn(mergeAcrossEnvironments(findings))),
    environments: load.sets.map((s) => s.name).filter(Boolean),
    resources: load.objects,
    notes,
    chartsNotRendered: [],
  };
}

/**
 * Loose files may hold alternatives for one object (Istio's samples have several VirtualServices
 * named reviews): applied together the later replaces the earlier, so the rules see only that one.
 * Every copy is still schema-checked.
 */
function lastOfEach(resources: readonly Resource[]): {
  resources: Resource[];
  replaced: [Resource, Resource][];
} {
  const byId = new Map<string, Resource>();
  const replaced: [Resource, Resource][] = [];
  for (const r of resources) {
    const o = r.object;
    if (!o.metadata?.name) {
      byId.set(`#${byId.size}`, r);
      continue;
    }
    const id = `${groupOf(o.apiVersion)}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const earlier = byId.get(id);
    if (earlier) {
      replaced.push([earlier, r]);
      byId.delete(id);
    }
    byId.set(id, r);
  }
  return { resources: [...byId.values()], replaced };
}
