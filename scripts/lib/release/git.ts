import { execFile } from 'node:child_process';
import { ToolError } from '../errors.ts';

/**
 * The git operations promotion needs, in one work tree, and the runner the rendered diff's reads
 * use too. git runs directly (arguments as a list, nothing for a shell to interpret), one process
 * per call: a promotion makes a dozen calls, a diff dozens.
 */
export function gitIn(cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const run = (args: string[], input?: string, extraEnv: NodeJS.ProcessEnv = {}) =>
    new Promise<{ ok: boolean; out: string; raw: string; err: string }>((resolve) => {
      const child = execFile(
        'git',
        args,
        // A whole tree's listing (`ls-tree -r`) of a large repository fits.
        { cwd, env: { ...env, ...extraEnv }, maxBuffer: 256 * 1024 * 1024 },
        (error, stdout, stderr) =>
          resolve({
            ok: !error,
            out: stdout.trim(),
            // As git wrote it: `-z` lists keep every byte (a name may start with a space).
            raw: stdout,
            err: (stderr || error?.message || '').trim(),
          }),
      );
      // git may exit before reading its input (or not read any): a closed pipe is not an error here.
      child.stdin?.on('error', () => {});
      child.stdin?.end(input);
    });
  const must = async (args: string[], input?: string) => {
    const r = await run(args, input);
    if (!r.ok) throw new ToolError(`git ${args.join(' ')} failed: ${r.err.split('\n')[0]}`);
    return r.out;
  };
  return {
    run,
    must,
    /** Tracked files with changes (staged or not); untracked files never block a promotion. */
    async changedTrackedFiles(): Promise<string[]> {
      const out = await must(['diff', '--name-only', 'HEAD']);
      return out.split('\n').filter(Boolean);
    },
    /** The branch origin's HEAD points at, as the clone recorded it or as the remote says now. */
    async defaultBranch(): Promise<string | undefined> {
      const local = await run(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']);
      if (local.ok && local.out.startsWith('origin/')) return local.out.slice('origin/'.length);
      const remote = await run(['ls-remote', '--symref', 'origin', 'HEAD'], undefined, {
        GIT_TERMINAL_PROMPT: '0',
      });
      return /^ref: refs\/heads\/(\S+)\s+HEAD/m.exec(remote.out)?.[1];
    },
    head: () => must(['rev-parse', 'HEAD']),
    resolve: (rev: string) => must(['rev-parse', '--verify', `${rev}^{commit}`]),
    currentBranch: () => must(['rev-parse', '--abbrev-ref', 'HEAD']),
    async author(): Promise<string> {
      const name = (await run(['config', 'user.name'])).out;
      const email = (await run(['config', 'user.email'])).out;
      return `${name || 'unknown'} <${email || 'unknown'}>`;
    },
    async showFile(rev: string, file: string): Promise<string | undefined> {
      const r = await run(['show', `${rev}:${file}`]);
      return r.ok ? `${r.out}\n` : undefined;
    },
    /** Last commit that touched any of `files`. */
    lastCommitTouching: (files: string[]) => must(['log', '-1', '--format=%H', '--', ...files]),
    async isAncestor(ancestor: string, rev: string): Promise<boolean> {
      return (await run(['merge-base', '--is-ancestor', ancestor, rev])).ok;
    },
    async remoteUrl(): Promise<string | undefined> {
      const r = await run(['remote', 'get-url', 'origin']);
      return r.ok ? r.out : undefined;
    },
    async commit(files: string[], message: string): Promise<string> {
      await must(['add', '--', ...files]);
      await must(['commit', '--quiet', '-F', '-'], message);
      return must(['rev-parse', 'HEAD']);
    },
    checkoutNewBranch: (branch: string) => must(['checkout', '--quiet', '-b', branch]),
    /** Pushes, rebasing onto the remote and retrying when it moved meanwhile. */
    async push(branch: string, attempts = 3): Promise<number> {
      for (let i = 1; i <= attempts; i++) {
        const r = await run(['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`]);
        if (r.ok) return i;
        if (i === attempts)
          throw new ToolError(
            `git push to ${branch} failed after ${attempts} attempts: ${r.err.split('\n').at(-1)}`,
          );
        const rebase = await run(['pull', '--quiet', '--rebase', 'origin', branch]);
        if (!rebase.ok) {
          await run(['rebase', '--abort']);
          throw new ToolError(
            `the remote ${branch} moved and the promotion does not rebase cleanly: ${rebase.err.split('\n')[0]}`,
            'pull, resolve the conflict in the pin files, and promote again',
          );
        }
      }
      return attempts;
    },
  };
}

export type Git = ReturnType<typeof gitIn>;
