import { readFileSync } from 'node:fs';
import path from 'node:path';
import { oneOf, parseFlags } from '../cli/flags.ts';
import type { CommandIO } from '../cli/io.ts';
import { writeFileAtomic } from '../cli/write-file-atomic.ts';
import { outputFlag } from '../cli/output-path.ts';
import { diffEnvironment, type RenderedSide } from '../diff/environment-diff.ts';
import { formatDiffJson } from '../diff/format-json.ts';
import { formatDiffMarkdown } from '../diff/format-markdown.ts';
import { formatDiffText } from '../diff/format-text.ts';
import { gitReader } from '../diff/git-checkout.ts';
import type { DiffResult, Revision } from '../diff/result.ts';
import { openRevision, renderChecked, resolveRevision, WORK_TREE } from '../diff/revision.ts';
import { UsageError } from '../errors.ts';
import { findRepoRoot } from '../repo/repo-root.ts';
import type { Repository } from '../repo/repository.ts';
import { inPromotionOrder } from '../repo/settings.ts';

export const DIFF_USAGE = `Usage: zx scripts/diff.mjs [--base REF] [--head REF] [--env NAME]... [--app NAME]... [--format text|json|markdown] [--output FILE]

Renders every environment at two revisions the way Argo CD would (the validate walk) and reports,
per environment and Application, the resources added, removed and changed, each changed field
old → new, compared as drift compares (a reordered map or 500m vs 0.5 is no change). Applications
added, removed or moved between sync waves are listed. Secret values are never shown. Both sides
are read from git objects; the work tree and the index are never written.

  --base REF      compare from REF (default: the merge base of the head and the default branch,
                  origin/HEAD, else main or master)
  --head REF      compare to REF (default: the work tree, uncommitted changes included)
  --env NAME      only this environment (repeatable; default: all)
  --app NAME      only this Application (repeatable)
  --format F      text (default), json, markdown (a pull-request comment under 65,536 characters)
  --output FILE   write the report to FILE instead of stdout
  --no-cache      render without the on-disk render cache
  --help

Exit: 0 no change, 1 changes, 2 could not run.`;

export interface DiffOptions {
  cwd: string;
  /** Default: the merge base of the head (HEAD for the work tree) and the default branch. */
  base?: string;
  /** Default: the work tree. */
  head?: string;
  envs?: string[];
  apps?: string[];
  /** Render cache folder; null turns it off; default: the tool's cache. */
  cacheDir?: string | null;
}

/** Library entry: the rendered diff between two revisions; prints nothing, writes nothing. */
export async function renderedDiff(options: DiffOptions): Promise<DiffResult> {
  const root = findRepoRoot(options.cwd);
  const git = gitReader(root);
  await git.prefix();
  const head = options.head === undefined ? WORK_TREE : await resolveRevision(git, options.head);
  let base: Revision;
  if (options.base !== undefined) base = await resolveRevision(git, options.base);
  else {
    const branch = await git.defaultBranch();
    const from = options.head ?? 'HEAD';
    await git.commit(from);
    const commit = await git.mergeBase(from, branch);
    base = { ref: commit, commit, label: `${commit.slice(0, 7)} (merge base of ${from} and ${branch})` };
  }

  const disposers: (() => void)[] = [];
  try {
    const open = async (rev: Revision, side: string) => {
      const opened = await openRevision(root, git, rev, side, options.cacheDir);
      disposers.push(opened.dispose);
      return opened.repo;
    };
    const headRepo = await open(head, 'head');
    // The base's files come out of git while the head renders.
    const baseOpening = open(base, 'base');
    baseOpening.catch(() => {}); // awaited below; a failure must not go unhandled meanwhile
    try {
      const names = (r: Repository) => r.settings.environments.map((e) => e.name);
      const requested = options.envs?.length ? options.envs : undefined;
      for (const e of requested ?? [])
        if (!names(headRepo).includes(e) && !names(await baseOpening).includes(e)) {
          const known = new Set([...names(headRepo), ...names(await baseOpening)]);
          throw new UsageError(`unknown environment "${e}" (known: ${[...known].join(', ')})`);
        }
      // One side after the other: the second finds the first one's renders of unchanged folders in the cache.
      const headSides = await renderSides(
        headRepo,
        head,
        'head',
        requested ? inPromotionOrder(requested, names(headRepo)) : names(headRepo),
      );
      const baseRepo = await baseOpening;
      const all = [...new Set([...names(headRepo), ...names(baseRepo)])];
      const envs = requested ? inPromotionOrder(requested, all) : all;
      const baseSides = await renderSides(baseRepo, base, 'base', envs);
      return compare(base, head, envs, baseSides, headSides, options.apps);
    } finally {
      await baseOpening.catch(() => {}); // its temp folder is then in `disposers`
    }
  } finally {
    for (const d of disposers.reverse()) d();
  }
}

function compare(
  base: Revision,
  head: Revision,
  envs: string[],
  baseSides: Map<string, RenderedSide>,
  headSides: Map<string, RenderedSide>,
  appNames: string[] | undefined,
): DiffResult {
  const only = appNames?.length ? new Set(appNames) : undefined;
  if (only) {
    const apps = new Set<string>();
    for (const sides of [headSides, baseSides])
      for (const s of sides.values()) for (const a of s.applications) apps.add(a.name);
    const unknown = [...only].filter((a) => !apps.has(a));
    if (unknown.length)
      throw new UsageError(
        `unknown Application "${unknown[0]}" in ${envs.join(', ')} (known: ${[...apps].sort().join(', ')})`,
      );
  }
  const environments = envs.map((e) => diffEnvironment(e, baseSides.get(e), headSides.get(e), only));
  return { base, head, environments, changed: environments.some((e) => e.status !== 'unchanged') };
}

async function renderSides(
  repo: Repository,
  rev: Revision,
  side: string,
  envs: string[],
): Promise<Map<string, RenderedSide>> {
  const present = envs.filter((e) => repo.settings.environments.some((x) => x.name === e));
  const renders = await Promise.all(present.map((e) => renderChecked(repo, rev, side, e)));
  const out = new Map<string, RenderedSide>();
  for (const render of renders)
    out.set(render.env.name, {
      applications: render.applications,
      resources: render.resources,
      charts: render.charts,
      readFile: (rel) => readRepoFile(repo.root, rel),
    });
  return out;
}

function readRepoFile(root: string, rel: string): string | undefined {
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  try {
    return readFileSync(path.join(root, rel), 'utf8');
  } catch {
    return undefined;
  }
}

export async function main(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      base: { type: 'string' },
      head: { type: 'string' },
      env: { type: 'string', multiple: true },
      app: { type: 'string', multiple: true },
      format: { type: 'string' },
      output: { type: 'string' },
      'no-cache': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    DIFF_USAGE,
  );
  if (values.help) {
    io.stdout(`${DIFF_USAGE}\n`);
    return 0;
  }
  if (positionals.length)
    throw new UsageError(`unexpected argument "${positionals[0]}"`, 'use --base REF and --head REF');
  const format = oneOf('format', values.format, ['text', 'json', 'markdown'] as const, 'text');
  const output = outputFlag(values.output, io.cwd);
  const result = await renderedDiff({
    cwd: io.cwd,
    ...(values.base !== undefined ? { base: values.base } : {}),
    ...(values.head !== undefined ? { head: values.head } : {}),
    ...(values.env ? { envs: values.env } : {}),
    ...(values.app ? { apps: values.app } : {}),
    ...(values['no-cache'] ? { cacheDir: null } : {}),
  });
  const report =
    format === 'json'
      ? formatDiffJson(result)
      : format === 'markdown'
        ? formatDiffMarkdown(result)
        : formatDiffText(result);
  if (output) writeFileAtomic(output, report);
  else io.stdout(report);
  return result.changed ? 1 : 0;
}
