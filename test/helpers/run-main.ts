import type { CommandMain } from '../../scripts/lib/cli/io.ts';
import { runMain } from '../../scripts/lib/cli/run-cli.ts';
import { renderCache } from './fixture-repo.ts';
import type { ScriptResult } from './run-script.ts';

/**
 * Runs a command's `main` in this process, through the same error handling as the zx entry point:
 * the exit code and output a user would see, without a process start per case.
 */
export async function runInProcess(
  main: CommandMain,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; input?: string },
): Promise<ScriptResult> {
  let stdout = '';
  let stderr = '';
  const code = await runMain(main, args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: { ...process.env, GITOPS_RENDER_CACHE: renderCache(), ...opts.env },
    cwd: opts.cwd,
    interactive: false,
    readStdin: () => opts.input ?? '',
  });
  return { code, stdout, stderr };
}
