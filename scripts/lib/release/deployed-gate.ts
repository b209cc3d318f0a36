import type { Git } from './git.ts';

export type DeployedGate = { ok: true; branch: string } | { ok: false; message: string };

/**
 * A commit has been deployed only once it is on the remote's default branch (what the environments
 * sync): the last environment refuses anything else. The remote is fetched first; when it cannot be,
 * the last fetched state still answers (it can only be behind, so it never lets through more).
 */
export async function checkOnDefaultBranch(git: Git, sha: string): Promise<DeployedGate> {
  const branch = await git.defaultBranch();
  if (!branch)
    return {
      ok: false,
      message: "cannot tell the remote's default branch (no remote named origin, or it is unreachable)",
    };
  // Never wait on a credential prompt: a fetch that cannot run leaves the last fetched state.
  await git.run(
    ['fetch', '--quiet', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`],
    undefined,
    {
      GIT_TERMINAL_PROMPT: '0',
    },
  );
  const tracking = `refs/remotes/origin/${branch}`;
  if (!(await git.run(['rev-parse', '--verify', '--quiet', tracking])).ok)
    return { ok: false, message: `origin/${branch} is unknown here: fetch it, then promote again` };
  if (await git.isAncestor(sha, tracking)) return { ok: true, branch };
  return {
    ok: false,
    message: `${sha.slice(0, 12)} is not on origin/${branch}: it was never deployed, so it cannot be promoted into the last environment`,
  };
}
