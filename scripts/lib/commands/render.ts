import path from 'node:path';
import { syncWave } from '../check/argocd/sync-waves.ts';
import { parseFlags } from '../cli/flags.ts';
import type { CommandIO } from '../cli/io.ts';
import { chartRendered } from '../diff/chart-notes.ts';
import { gitReader } from '../diff/git-checkout.ts';
import {
  formatApplicationManifests,
  manifestFileName,
  type ApplicationManifests,
} from '../diff/manifests.ts';
import { BOOTSTRAP, type Revision } from '../diff/result.ts';
import { openRevision, renderChecked, resolveRevision, WORK_TREE } from '../diff/revision.ts';
import { replaceDirectory } from '../diff/write-directory.ts';
import { UsageError } from '../errors.ts';
import { findRepoRoot } from '../repo/repo-root.ts';
import { environmentNamed } from '../repo/settings.ts';

export const RENDER_USAGE = `Usage: zx scripts/render.mjs --env NAME [--app NAME]... [--ref REF] [--output DIR]

Prints the manifests Argo CD would apply for an environment, or for some of its Applications (what
\`argocd app manifests\` shows), rendered by the validate walk: one YAML stream on stdout, or one file
per Application in DIR. The bootstrap resources (\`kubectl apply -k clusters/<env>\`) come first, then
the Applications by sync wave. Secret values are masked (++++++++), as Argo CD's UI masks them. Helm
charts that were not rendered are named in the output and on stderr.

  --env NAME      the environment (required)
  --app NAME      only this Application (repeatable)
  --ref REF       render a git revision (read from git objects) instead of the work tree
  --output DIR    write one <app>.yaml per Application (and _bootstrap.yaml) into DIR, replacing it
                  as a whole; an existing DIR may hold only .yaml files
  --no-cache      render without the on-disk render cache
  --help

Exit: 0 rendered, 2 could not run.`;

export interface RenderOptions {
  cwd: string;
  env: string;
  apps?: string[];
  /** Default: the work tree. */
  ref?: string;
  cacheDir?: string | null;
}

export interface RenderResult {
  env: string;
  revision: Revision;
  /** Bootstrap first, then by sync wave and name. */
  applications: ApplicationManifests[];
}

/** Library entry: what Argo CD would apply for an environment (or some of its Applications); prints nothing. */
export async function renderManifests(options: RenderOptions): Promise<RenderResult> {
  const root = findRepoRoot(options.cwd);
  const git = gitReader(root);
  const revision = options.ref === undefined ? WORK_TREE : await resolveRevision(git, options.ref);
  const { repo, dispose } = await openRevision(root, git, revision, 'ref', options.cacheDir);
  try {
    environmentNamed(repo.settings, options.env);
    const render = await renderChecked(repo, revision, 'ref', options.env);
    const only = options.apps?.length ? new Set(options.apps) : undefined;
    const names = render.applications.map((a) => a.name);
    for (const a of only ?? [])
      if (!names.includes(a))
        throw new UsageError(
          `unknown Application "${a}" in ${options.env} (known: ${[...names].sort().join(', ')})`,
        );
    const groups: ApplicationManifests[] = [];
    if (!only)
      groups.push({
        name: BOOTSTRAP,
        wave: 0,
        objects: render.resources.filter((r) => r.app === BOOTSTRAP).map((r) => r.object),
        chartsNotRendered: [],
      });
    const apps = render.applications
      .filter((a) => !only || only.has(a.name))
      .map((a) => ({
        name: a.name,
        wave: syncWave(a.resource.object),
        objects: render.resources.filter((r) => r.app === a.name).map((r) => r.object),
        chartsNotRendered: a.charts.filter((c) => !chartRendered(c)),
      }))
      .sort((x, y) => x.wave - y.wave || x.name.localeCompare(y.name));
    groups.push(...apps);
    return { env: options.env, revision, applications: groups };
  } finally {
    dispose();
  }
}

export async function main(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      env: { type: 'string' },
      app: { type: 'string', multiple: true },
      ref: { type: 'string' },
      output: { type: 'string' },
      'no-cache': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    RENDER_USAGE,
  );
  if (values.help) {
    io.stdout(`${RENDER_USAGE}\n`);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.env) throw new UsageError('--env NAME is required', 'e.g. zx scripts/render.mjs --env dev');
  const result = await renderManifests({
    cwd: io.cwd,
    env: values.env,
    ...(values.app ? { apps: values.app } : {}),
    ...(values.ref !== undefined ? { ref: values.ref } : {}),
    ...(values['no-cache'] ? { cacheDir: null } : {}),
  });
  if (values.output) {
    const files = new Map(
      result.applications.map((a) => [manifestFileName(a.name), formatApplicationManifests(result.env, a)]),
    );
    replaceDirectory(path.resolve(io.cwd, values.output), files);
  } else io.stdout(result.applications.map((a) => formatApplicationManifests(result.env, a)).join(''));
  const charts = result.applications.filter((a) => a.chartsNotRendered.length).map((a) => a.name);
  if (charts.length)
    io.stderr(
      `note: Helm charts not rendered, their resources are not in the output: ${charts.join(', ')}\n`,
    );
  return 0;
}
