import path from 'node:path';
import { REPO_ROOT } from './fixture-repo.ts';
import { runProcess, type ProcessResult } from './run-process.ts';

const ZX = path.join(REPO_ROOT, 'node_modules', '.bin', 'zx');

/**
 * Runs `zx scripts/<name>.mjs args` as a real process, the way users run it. The render cache is the
 * run's shared one: worker-setup.ts puts it in process.env.
 */
export function runScript(
  name: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; input?: string },
): Promise<ProcessResult> {
  return runProcess(ZX, [path.join(REPO_ROOT, 'scripts', `${name}.mjs`), ...args], {
    cwd: opts.cwd,
    env: { ...process.env, FORCE_COLOR: '0', ...opts.env },
    input: opts.input ?? '',
  });
}
