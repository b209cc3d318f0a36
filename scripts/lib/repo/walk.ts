import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import type { Finding } from '../check/finding.ts';
import { refOf } from '../check/finding.ts';
import { isApplication, isAppProject, projectOf, sourcesOf, type ApplicationSource } from './application.ts';
import { HELM_NOT_ON_PATH } from './helm-binary.ts';
import type { HelmRenderer } from './helm-renderer.ts';
import type { KustomizeRenderer } from './kustomize-renderer.ts';
import type { KubeObject, Resource } from './resource.ts';
import { environmentNamed, sameRepo, type Environment, type RepoSettings } from './settings.ts';
import type { SourceIndex } from './source-index.ts';
import { kustomizationFile } from './kustomization-inputs.ts';
import { loadSourceDirectory } from './source-loader.ts';
import type { SourceProblem } from './source-problem.ts';

/** A Helm chart an Application pulls from a chart repository. */
export interface HelmChartSource {
  app: string;
  repoURL: string;
  chart: string;
  version: string;
  /** Helm release name: `helm.releaseName`, else the Application's name (Argo CD's default). */
  releaseName: string;
  /** Value files as written (`$values/...`), with the repo file each resolves to when it does. */
  valueFiles: { ref: string; file?: string }[];
  /** Why the chart's objects are not among the environment's resources, when they are not. */
  notRendered?: string;
}

export interface ApplicationNode {
  name: string;
  namespace: string;
  /** Name of the Application whose source rendered this one ('' for a root). */
  parent: string;
  resource: Resource;
  /** Repo-relative directories this app renders. */
  paths: string[];
  charts: HelmChartSource[];
}

export interface EnvironmentRender {
  env: Environment;
  applications: ApplicationNode[];
  resources: Resource[];
  charts: HelmChartSource[];
  findings: Finding[];
}

export interface WalkContext {
  settings: RepoSettings;
  index: SourceIndex;
  renderer: KustomizeRenderer;
  helm?: HelmRenderer;
}

export const CLUSTERS_DIR = 'clusters';

/**
 * Walks one environment the way Argo CD would: render `clusters/<env>/`, take the Applications
 * found there as roots, render each Application's in-repo sources, and recurse into the
 * Applications those render (app-of-apps). Helm chart sources are rendered with `helm template`
 * where helm is on PATH (helm-renderer.ts); elsewhere they are recorded with `notRendered` and only
 * their `$values/...` files are checked.
 */
export async function renderEnvironment(ctx: WalkContext, envName: string): Promise<EnvironmentRender> {
  const env = environmentNamed(ctx.settings, envName);
  const out: EnvironmentRender = { env, applications: [], resources: [], charts: [], findings: [] };
  const rootDir = path.join(ctx.settings.root, CLUSTERS_DIR, env.name);
  if (!existsSync(rootDir)) {
    out.findings.push({
      rule: 'walk/environment-folder',
      severity: 'error',
      message: `environment "${env.name}" is declared in clusters/settings.yaml but ${CLUSTERS_DIR}/${env.name}/ does not exist`,
      file: 'clusters/settings.yaml',
      line: 1,
      env: env.name,
      hint: `create ${CLUSTERS_DIR}/${env.name}/ with the root Application, or remove the environment from the settings`,
    });
    return out;
  }
  const rootLoad = loadSourceDirectory(rootDir, ctx.index, ctx.renderer, {}, env.name);
  prefetchSources(ctx, rootDir, env.name);
  const loaded = await rootLoad;
  out.findings.push(...loaded.problems.map((p) => problemFinding(env.name, p)));
  if (!loaded.ok) return out;
  const roots: Resource[] = loaded.objects.map(({ object, origin }) => ({
    object,
    origin,
    env: env.name,
    app: '',
  }));
  for (const r of roots) out.resources.push(r);
  const visited = new Map<string, string>();
  await Promise.all(
    roots.filter((r) => isApplication(r.object)).map((r) => visit(ctx, out, r, '', [], visited)),
  );
  checkProjects(ctx, out);
  // Children render concurrently; sort so reports and diffs are stable run to run.
  out.applications.sort((a, b) => a.name.localeCompare(b.name));
  out.resources.sort(
    (a, b) =>
      a.origin.file.localeCompare(b.origin.file) ||
      a.origin.line - b.origin.line ||
      (a.object.metadata?.name ?? '').localeCompare(b.object.metadata?.name ?? ''),
  );
  out.charts.sort((a, b) => a.app.localeCompare(b.app) || a.chart.localeCompare(b.chart));
  return out;
}

/**
 * Asks the renderer, in the same step as `dir`, for the in-repo folders the Applications written in
 * `dir`'s own files name (the root Application's `apps/overlays/<env>`): they are built in the same
 * kubectl run as `dir` instead of one step later. Only a head start: the walk still renders what
 * the rendered Applications name, and a folder asked for here and not used only cost build time.
 */
function prefetchSources(ctx: WalkContext, dir: string, group: string): void {
  for (const file of ctx.renderer.closure(dir).inputs) {
    if (!/\.ya?ml$/.test(file)) continue;
    let docs;
    try {
      docs = ctx.index.documents(file);
    } catch {
      continue;
    }
    for (const { value } of docs) {
      if (!value || typeof value !== 'object' || !isApplication(value as KubeObject)) continue;
      for (const { source } of sourcesOf(value as KubeObject)) {
        if (typeof source.chart === 'string' || source.path === undefined) continue;
        if (!sameRepo(source.repoURL ?? '', ctx.settings.repoURL)) continue;
        const folder = repoFolder(ctx.settings, source.path);
        // A failure is the walk's to report, when it asks for the folder itself.
        if (folder && kustomizationFile(folder.dir))
          ctx.renderer.render(folder.dir, group).catch(() => undefined);
      }
    }
  }
}

/** An in-repo source path as a folder of this repository (`rel` from its root), if it is one. */
function repoFolder(settings: RepoSettings, sourcePath: unknown): { rel: string; dir: string } | undefined {
  const rel = path.posix.normalize(String(sourcePath)).replace(/^\/+/, '').replace(/\/$/, '') || '.';
  const dir = path.join(settings.root, rel);
  if (rel.startsWith('..') || !existsSync(dir) || !statSync(dir).isDirectory()) return undefined;
  return { rel, dir };
}

async function visit(
  ctx: WalkContext,
  out: EnvironmentRender,
  appResource: Resource,
  parent: string,
  ancestors: string[],
  visited: Map<string, string>,
): Promise<void> {
  const app = appResource.object;
  const name = app.metadata?.name ?? '';
  const namespace = app.metadata?.namespace ?? out.env.argocdNamespace;
  const key = `${namespace}/${name}`;
  if (ancestors.includes(key)) {
    out.findings.push({
      rule: 'walk/cycle',
      severity: 'error',
      message: `Application cycle: ${[...ancestors, key].join(' → ')}`,
      file: appResource.origin.file,
      line: appResource.origin.line,
      env: out.env.name,
      resource: refOf(app),
      hint: 'an Application must not (indirectly) render itself; point its source at a folder that does not contain it',
    });
    return;
  }
  const previous = visited.get(key);
  if (previous !== undefined) {
    out.findings.push({
      rule: 'walk/duplicate-application',
      severity: 'error',
      message: `Application ${key} is defined twice (also at ${previous}); Argo CD keeps only one`,
      file: appResource.origin.file,
      line: appResource.origin.line,
      env: out.env.name,
      resource: refOf(app),
      hint: 'give each Application a unique name in its namespace',
    });
    return;
  }
  visited.set(key, `${appResource.origin.file}:${appResource.origin.line}`);
  const node: ApplicationNode = { name, namespace, parent, resource: appResource, paths: [], charts: [] };
  out.applications.push(node);
  const entries = sourcesOf(app);
  const refs = new Map<string, ApplicationSource>();
  for (const { source } of entries) if (typeof source.ref === 'string') refs.set(source.ref, source);
  const children: Promise<void>[] = [];
  for (const { source, fieldPath } of entries) {
    const at = (sub: (string | number)[]) => ctx.index.lineOf(appResource.origin, [...fieldPath, ...sub]);
    const finding = (rule: string, message: string, hint: string, line: number): Finding => ({
      rule,
      severity: 'error',
      message,
      file: appResource.origin.file,
      line,
      env: out.env.name,
      resource: refOf(app),
      hint,
    });
    const repoURL = source.repoURL ?? '';
    if (typeof source.chart === 'string' && source.chart !== '') {
      const before = out.findings.length;
      const chart = recordChart(ctx, out, node, source, refs, (m, h, sub) =>
        out.findings.push(finding('walk/helm-values', m, h, at(sub))),
      );
      if (!isChartRepo(ctx.settings, repoURL))
        out.findings.push(
          finding(
            'walk/unknown-repo',
            `chart ${chart.chart} comes from ${repoURL || '(no repoURL)'}, which is not a chart repository listed in clusters/settings.yaml`,
            'add the repository to `chartRepositories` in clusters/settings.yaml (and to the AppProject sourceRepos), or fix the URL',
            at(['repoURL']),
          ),
        );
      // The chart's objects are the Application's resources, pointing at its chart source.
      const rendered =
        out.findings.length > before
          ? { ok: false as const, message: '' }
          : ((await ctx.helm?.renderHelmSource(app, source, out.env)) ?? { skipped: HELM_NOT_ON_PATH });
      if ('skipped' in rendered) chart.notRendered = rendered.skipped;
      else if (!rendered.ok) {
        chart.notRendered = 'the chart source has errors';
        if (rendered.message)
          out.findings.push(
            finding(
              'render/helm',
              `helm template of chart ${chart.chart} ${chart.version} failed: ${rendered.message}`,
              'fix the chart source or its values; the chart repository must be reachable for its first pull',
              at(['chart']),
            ),
          );
      } else {
        const chartLine = at(['chart']);
        for (const { object, template } of rendered.objects) {
          const origin = { file: appResource.origin.file, line: chartLine };
          const fromChart = { name: chart.chart, ...(template ? { template } : {}) };
          const r: Resource = { object, origin, env: out.env.name, app: name, chart: fromChart };
          out.resources.push(r);
          if (isApplication(object)) children.push(visit(ctx, out, r, name, [...ancestors, key], visited));
        }
      }
      continue;
    }
    if (!sameRepo(repoURL, ctx.settings.repoURL)) {
      out.findings.push(
        finding(
          'walk/unknown-repo',
          `source repoURL ${repoURL || '(none)'} is neither this repository (${ctx.settings.repoURL}) nor a Helm chart source`,
          'point the source at this repository (repoURL in clusters/settings.yaml) or at a chart with `chart:`',
          at(['repoURL']),
        ),
      );
      continue;
    }
    if (source.path === undefined) {
      if (source.ref === undefined)
        out.findings.push(
          finding(
            'walk/missing-source-path',
            'in-repo source has neither `path` nor `ref`',
            'set `path` to a folder of this repository',
            at([]),
          ),
        );
      continue;
    }
    const folder = repoFolder(ctx.settings, source.path);
    if (!folder) {
      out.findings.push(
        finding(
          'walk/missing-source-path',
          `source path "${source.path}" does not exist in this repository`,
          'fix `path` (relative to the repository root) or create the folder',
          at(['path']),
        ),
      );
      continue;
    }
    node.paths.push(folder.rel);
    const loaded = await loadSourceDirectory(
      folder.dir,
      ctx.index,
      ctx.renderer,
      source.directory ?? {},
      out.env.name,
    );
    out.findings.push(...loaded.problems.map((p) => problemFinding(out.env.name, p)));
    if (!loaded.ok) continue;
    for (const { object, origin } of loaded.objects) {
      const r: Resource = { object, origin, env: out.env.name, app: name };
      out.resources.push(r);
      if (isApplication(object)) children.push(visit(ctx, out, r, name, [...ancestors, key], visited));
    }
  }
  await Promise.all(children);
}

function recordChart(
  ctx: WalkContext,
  out: EnvironmentRender,
  node: ApplicationNode,
  source: ApplicationSource,
  refs: Map<string, ApplicationSource>,
  report: (message: string, hint: string, sub: (string | number)[]) => void,
): HelmChartSource {
  const chart: HelmChartSource = {
    app: node.name,
    repoURL: source.repoURL ?? '',
    chart: source.chart ?? '',
    version: source.targetRevision ?? '',
    releaseName: source.helm?.releaseName ?? node.name,
    valueFiles: [],
  };
  (source.helm?.valueFiles ?? []).forEach((ref, i) => {
    const entry: { ref: string; file?: string } = { ref };
    chart.valueFiles.push(entry);
    if (typeof ref !== 'string' || !ref.startsWith('$')) return;
    const slash = ref.indexOf('/');
    const refName = ref.slice(1, slash < 0 ? undefined : slash);
    const refSource = refs.get(refName);
    const sub = ['helm', 'valueFiles', i];
    if (!refSource) {
      report(
        `value file ${ref} names source ref "${refName}", but no source of this Application has \`ref: ${refName}\``,
        `add a source with \`ref: ${refName}\` pointing at this repository`,
        sub,
      );
      return;
    }
    if (!sameRepo(refSource.repoURL ?? '', ctx.settings.repoURL)) return;
    const rel = path.posix.normalize(ref.slice(slash + 1));
    const file = path.join(ctx.settings.root, rel);
    entry.file = rel;
    if (!existsSync(file)) {
      report(
        `value file ${ref} does not exist (${rel})`,
        'create the file or fix the path in `helm.valueFiles`',
        sub,
      );
      return;
    }
    try {
      yaml.load(readFileSync(file, 'utf8'));
    } catch (err) {
      const e = err as { reason?: string; mark?: { line: number } };
      report(
        `value file ${rel}${e.mark ? `:${e.mark.line + 1}` : ''} is not valid YAML: ${e.reason ?? 'parse error'}`,
        'fix the YAML syntax in the values file',
        sub,
      );
    }
  });
  node.charts.push(chart);
  out.charts.push(chart);
  return chart;
}

function isChartRepo(settings: RepoSettings, repoURL: string): boolean {
  return settings.chartRepositories.some((r) => sameRepo(r, repoURL));
}

function checkProjects(ctx: WalkContext, out: EnvironmentRender): void {
  // Argo CD creates the `default` project itself.
  const projects = new Set(['default']);
  for (const r of out.resources)
    if (isAppProject(r.object) && r.object.metadata?.name) projects.add(r.object.metadata.name);
  for (const node of out.applications) {
    const project = projectOf(node.resource.object);
    if (projects.has(project)) continue;
    out.findings.push({
      rule: 'walk/missing-project',
      severity: 'error',
      message: project
        ? `Application ${node.name} uses project "${project}", which no AppProject in this environment defines`
        : `Application ${node.name} has no spec.project`,
      file: node.resource.origin.file,
      line: ctx.index.lineOf(node.resource.origin, ['spec', 'project']),
      env: out.env.name,
      resource: refOf(node.resource.object as KubeObject),
      hint: `define AppProject "${project || '<name>'}" in clusters/${out.env.name}/ or use an existing project`,
    });
  }
}

/** A problem with the sources, as a finding of the environment being walked. */
export function problemFinding(env: string, p: SourceProblem): Finding {
  const { followers, ...rest } = p;
  const f: Finding = { ...rest, severity: 'error', env };
  if (followers?.length) f.followers = followers.map((x) => problemFinding(env, x));
  return f;
}
