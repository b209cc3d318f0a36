import { HelmRenderer } from './helm-renderer.ts';
import { KustomizeRenderer, type RendererOptions } from './kustomize-renderer.ts';
import { findRepoRoot, toolCacheDir } from './repo-root.ts';
import { loadSettings, type RepoSettings } from './settings.ts';
import { SourceIndex } from './source-index.ts';
import { renderEnvironment, type EnvironmentRender } from './walk.ts';

/** One repository opened for a command: settings, the source index and a shared renderer. */
export interface Repository {
  root: string;
  settings: RepoSettings;
  index: SourceIndex;
  renderer: KustomizeRenderer;
  helm: HelmRenderer;
  /** Renders an environment once per Repository (validate, promote, drift and health share it). */
  render(env: string): Promise<EnvironmentRender>;
  dispose(): void;
}

export interface OpenOptions {
  /** Render cache folder; null turns the disk cache off. Default: node_modules/.cache/gitops-render. */
  cacheDir?: string | null;
  renderer?: RendererOptions;
  /** Where helm is looked for and runs (default: this process's environment). */
  env?: NodeJS.ProcessEnv;
  /** Pulled charts; default node_modules/.cache/helm-charts (shared by every repository). */
  chartCacheDir?: string;
}

/** The tool's render cache, or GITOPS_RENDER_CACHE (CI caches, benchmarks, tests). */
export function defaultRenderCache(): string {
  return process.env.GITOPS_RENDER_CACHE || toolCacheDir('gitops-render');
}

export async function openRepository(cwd: string, opts: OpenOptions = {}): Promise<Repository> {
  const root = findRepoRoot(cwd);
  const settings = await loadSettings(root);
  const index = new SourceIndex(root);
  const renderer = new KustomizeRenderer({
    ...opts.renderer,
    cacheDir: opts.cacheDir === undefined ? defaultRenderCache() : opts.cacheDir,
  });
  const helm = new HelmRenderer({
    root,
    repoURL: settings.repoURL,
    ...(opts.env ? { env: opts.env } : {}),
    chartCacheDir: opts.chartCacheDir ?? toolCacheDir('helm-charts'),
    renderCacheDir: opts.cacheDir === undefined ? toolCacheDir('helm-render') : opts.cacheDir,
  });
  const renders = new Map<string, Promise<EnvironmentRender>>();
  return {
    root,
    settings,
    index,
    renderer,
    helm,
    render(env) {
      let p = renders.get(env);
      if (!p) {
        p = renderEnvironment({ settings, index, renderer, helm }, env);
        renders.set(env, p);
      }
      return p;
    },
    dispose() {
      renderer.dispose();
    },
  };
}
