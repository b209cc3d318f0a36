import { ToolError, UsageError } from '../errors.ts';
import { openRepository, type Repository } from '../repo/repository.ts';
import type { EnvironmentRender } from '../repo/walk.ts';
import type { GitReader } from './git-checkout.ts';
import type { Revision } from './result.ts';

export const WORK_TREE: Revision = { ref: '', label: 'work tree' };

export async function resolveRevision(git: GitReader, ref: string): Promise<Revision> {
  const commit = await git.commit(ref);
  // A commit id given as such needs no second spelling in brackets.
  const named = !(/^[0-9a-f]{7,40}$/.test(ref) && commit.startsWith(ref));
  return { ref, commit, label: named ? `${commit.slice(0, 7)} (${ref})` : commit.slice(0, 7) };
}

/**
 * The repository as it is at `rev`: the work tree itself, or a commit's files copied out of git
 * into a temp folder (removed by `dispose`).
 */
export async function openRevision(
  root: string,
  git: GitReader,
  rev: Revision,
  side: string,
  cacheDir: string | null | undefined,
): Promise<{ repo: Repository; dispose(): void }> {
  let dir = root;
  let removeCheckout = () => {};
  if (rev.commit) {
    const checkout = await git.checkout(rev.commit, await git.prefix());
    dir = checkout.dir;
    removeCheckout = checkout.dispose;
  }
  try {
    const repo = await inRevision(side, rev, () =>
      openRepository(dir, cacheDir === undefined ? {} : { cacheDir }),
    );
    return {
      repo,
      dispose() {
        repo.dispose();
        removeCheckout();
      },
    };
  } catch (err) {
    removeCheckout();
    throw err;
  }
}

/** An environment's walk, refused when it has errors: a diff or a render of half an environment would mislead. */
export async function renderChecked(
  repo: Repository,
  rev: Revision,
  side: string,
  env: string,
): Promise<EnvironmentRender> {
  const render = await inRevision(side, rev, () => repo.render(env));
  const broken = render.findings.filter((f) => f.severity === 'error');
  if (broken.length)
    throw new ToolError(
      `cannot render ${env}${rev.commit ? ` at ${side} ${rev.label}` : ''}: ${broken[0]!.file}:${broken[0]!.line} ${broken[0]!.message}` +
        (broken.length > 1 ? ` (and ${broken.length - 1} more)` : ''),
      rev.commit
        ? `run npm run validate on a checkout of ${rev.ref} to see every problem`
        : 'run npm run validate to see every problem',
    );
  return render;
}

/** A user's mistake found at a commit names the commit, so "file:line" points at the right revision. */
async function inRevision<T>(side: string, rev: Revision, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ToolError && !(err instanceof UsageError) && rev.commit)
      throw new ToolError(`at ${side} ${rev.label}: ${err.message}`, err.hint);
    throw err;
  }
}
