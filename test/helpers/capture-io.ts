import type { CommandIO } from '../../scripts/lib/cli/io.ts';

/** A CommandIO for calling a command's `main(args, io)` in-process, recording what it prints. */
export function captureIO(cwd: string, env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: { ...process.env, ...env },
    cwd,
    interactive: false,
  };
  return { io, stdout: () => stdout, stderr: () => stderr };
}
