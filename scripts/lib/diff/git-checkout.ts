import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ToolError } from '../errors.ts';
import { gitIn } from '../release/git.ts';

/**
 * Read-only git access for the rendered diff: resolving revisions and copying a commit's files out
 * of the object store. Nothing here writes to the work tree, the index or refs (no `git status`
 * either: it refreshes the index).
 */
export function gitReader(cwd: string) {
  const { run } = gitIn(cwd);
  const git = (...args: string[]) => run(args);
  // Each side's checkout asks again; the answers cannot change during a diff, so git answers once.
  let prefix: Promise<string> | undefined;
  let top: Promise<string> | undefined;
  const topDir = () => (top ??= git('rev-parse', '--show-toplevel').then((r) => (r.ok ? r.out : cwd)));
  return {
    /** The folder of `cwd` inside the repository, '' at the top, with a trailing `/` otherwise. */
    prefix(): Promise<string> {
      return (prefix ??= git('rev-parse', '--show-prefix').then((r) => {
        if (!r.ok)
          throw new ToolError(
            `${cwd} is not inside a git repository: the rendered diff compares git revisions`,
            'run it from a clone of the repository',
          );
        return r.out;
      }));
    },
    async commit(ref: string): Promise<string> {
      const r = await git('rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`);
      if (!r.ok || !r.out)
        throw new ToolError(
          `unknown revision "${ref}"`,
          'pass a branch, tag or commit that exists here (git fetch first?)',
        );
      return r.out;
    },
    /** origin/HEAD's branch, else main or master (local or origin's). */
    async defaultBranch(): Promise<string> {
      const head = await git('symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD');
      if (head.ok && head.out) return head.out;
      for (const b of ['main', 'master', 'origin/main', 'origin/master'])
        if ((await git('rev-parse', '--verify', '--quiet', `${b}^{commit}`)).ok) return b;
      throw new ToolError(
        'cannot find the default branch (no origin/HEAD, main or master)',
        'pass --base REF (the branch or commit to compare with)',
      );
    },
    async mergeBase(a: string, b: string): Promise<string> {
      const r = await git('merge-base', a, b);
      if (!r.ok || !r.out)
        throw new ToolError(`${a} and ${b} have no common ancestor`, 'pass --base REF explicitly');
      return r.out;
    },
    /**
     * A commit's files under `prefix` in a fresh temp folder; `dispose` removes it. Files the work
     * tree still holds exactly as the commit has them (the same git object id) are hard links to
     * the work tree's, made in milliseconds; the rest come straight from the object store
     * (`git archive | tar -x`). Nothing writes in the folder.
     */
    async checkout(commit: string, prefix: string): Promise<{ dir: string; dispose(): void }> {
      const dir = mkdtempSync(path.join(tmpdir(), `gitops-diff-${commit.slice(0, 7)}-`));
      const dispose = () => rmSync(dir, { recursive: true, force: true });
      try {
        // From the top: in a sub-folder, git archive would also filter by that folder's path.
        const top = await topDir();
        const tree = `${commit}:${prefix.replace(/\/$/, '')}`;
        const fetched = await linkUnchanged(top, commit, prefix, dir);
        if (fetched === 'all') await archive(top, tree, dir);
        else if (fetched.length) await archive(top, tree, dir, fetched);
      } catch (err) {
        dispose();
        throw err;
      }
      return { dir, dispose };
    },
  };
}

export type GitReader = ReturnType<typeof gitReader>;

/** Beyond this many changed files, one archive of everything is cheaper than naming them. */
const MAX_NAMED = 300;

/**
 * Hard-links into `dir` the commit's files under `prefix` that the work tree holds with the same
 * content, and returns the paths (relative to `prefix`) to take from the object store instead:
 * changed or deleted files and symbolic links. 'all' when linking is not possible (another file
 * system) or too much changed. The content is compared by its git object id, not by the stat data
 * the index keeps: the links of an earlier checkout change every linked file's inode time, and a
 * file rewritten with its old size and time would pass a stat check.
 */
async function linkUnchanged(
  top: string,
  commit: string,
  prefix: string,
  dir: string,
): Promise<string[] | 'all'> {
  const base = prefix.replace(/\/$/, '');
  const listed = await gitIn(top).run(['ls-tree', '-r', '-z', '--full-tree', commit, '--', base || '.']);
  if (!listed.ok) return 'all';
  const fetch: string[] = [];
  const links: [string, string][] = [];
  for (const entry of listed.raw.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, id] = entry.slice(0, tab).split(' ');
    const file = entry.slice(tab + 1);
    if (type !== 'blob') continue; // submodules: git archive leaves them out too
    const rel = base ? file.slice(base.length + 1) : file;
    const worktree = path.join(top, file);
    if (mode !== '120000' && id && holdsBlob(worktree, id)) links.push([worktree, path.join(dir, rel)]);
    else fetch.push(rel);
  }
  if (fetch.length > MAX_NAMED) return 'all';
  try {
    for (const [from, to] of links) {
      mkdirSync(path.dirname(to), { recursive: true });
      linkSync(from, to);
    }
  } catch {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    return 'all';
  }
  return fetch;
}

/** Does the file hold exactly the blob `id` (SHA-1, or SHA-256 in a repository of that format)? */
function holdsBlob(file: string, id: string): boolean {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return false;
  }
  const hash = createHash(id.length === 64 ? 'sha256' : 'sha1');
  return hash.update(`blob ${data.length}\0`).update(data).digest('hex') === id;
}

function archive(cwd: string, treeish: string, dir: string, paths: string[] = []): Promise<void> {
  return new Promise((resolve, reject) => {
    const git = spawn(
      'git',
      ['archive', '--format=tar', treeish, ...(paths.length ? ['--', ...paths] : [])],
      {
        cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const tar = spawn('tar', ['-x', '-C', dir], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    git.stderr.on('data', (d) => (err += d));
    tar.stderr.on('data', (d) => (err += d));
    git.stdout.pipe(tar.stdin);
    let pending = 2;
    let failed = false;
    const done = (what: string) => (code: number | null) => {
      if (code !== 0 && !failed) {
        failed = true;
        reject(new ToolError(`${what} of ${treeish} failed: ${err.trim().split('\n')[0] ?? ''}`));
      }
      if (--pending === 0 && !failed) resolve();
    };
    git.on('error', (e) => reject(new ToolError(`git not found: ${e.message}`)));
    tar.on('error', (e) => reject(new ToolError(`tar not found: ${e.message}`)));
    git.on('close', done('git archive'));
    tar.on('close', done('tar -x'));
  });
}
