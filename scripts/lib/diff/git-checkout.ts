import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { $ } from 'zx';
import { ToolError } from '../errors.ts';

/**
 * Read-only git access for the rendered diff: resolving revisions and copying a commit's files out
 * of the object store. Nothing here writes to the work tree, the index or refs (no `git status`
 * either: it refreshes the index).
 */
export function gitReader(cwd: string) {
  const git = async (...args: string[]) => {
    const p = await $({ cwd, quiet: true, nothrow: true })`git ${args}`;
    return { ok: p.exitCode === 0, out: p.stdout.trim(), err: p.stderr.trim() };
  };
  return {
    /** The folder of `cwd` inside the repository, '' at the top, with a trailing `/` otherwise. */
    async prefix(): Promise<string> {
      const r = await git('rev-parse', '--show-prefix');
      if (!r.ok)
        throw new ToolError(
          `${cwd} is not inside a git repository: the rendered diff compares git revisions`,
          'run it from a clone of the repository',
        );
      return r.out;
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
     * A commit's files under `prefix` in a fresh temp folder, straight from the object store
     * (`git archive | tar -x`); `dispose` removes it.
     */
    async checkout(commit: string, prefix: string): Promise<{ dir: string; dispose(): void }> {
      const dir = mkdtempSync(path.join(tmpdir(), `gitops-diff-${commit.slice(0, 7)}-`));
      const dispose = () => rmSync(dir, { recursive: true, force: true });
      try {
        // From the top: in a sub-folder, git archive would also filter by that folder's path.
        const top = await git('rev-parse', '--show-toplevel');
        await archive(top.ok ? top.out : cwd, `${commit}:${prefix.replace(/\/$/, '')}`, dir);
      } catch (err) {
        dispose();
        throw err;
      }
      return { dir, dispose };
    },
  };
}

export type GitReader = ReturnType<typeof gitReader>;

function archive(cwd: string, treeish: string, dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const git = spawn('git', ['archive', '--format=tar', treeish], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
