import type { CommandIO } from '../../scripts/lib/cli/io.ts';
import { ToolError } from '../../scripts/lib/errors.ts';
import type { Clock } from '../../scripts/lib/time/clock.ts';
import type { ProcessResult } from './run-process.ts';

// Each command takes its own deps (a clock, a repository): the test passes what that command takes.
type Main = (args: string[], io: CommandIO, deps?: any) => Promise<number>;

export interface InProcessOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Standard input (`--files -`). */
  input?: string;
  clock?: Clock;
  /** The answer to a prompt; without it the run is not interactive. */
  answer?: string;
  deps?: object;
}

/**
 * Runs a command's `main(args, io)` in this process, the way the zx entry point would (a ToolError
 * is `error:`/`hint:` lines and its exit code), without a process start: the few real-process tests
 * prove the entry points, these prove the behaviour. Anything else is thrown, so a bug shows its stack.
 * The render cache is the run's shared one: worker-setup.ts puts it in process.env.
 */
export async function runInProcess(
  main: Main,
  args: string[],
  opts: InProcessOptions,
): Promise<ProcessResult> {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: { ...process.env, FORCE_COLOR: '0', ...opts.env },
    cwd: opts.cwd,
    interactive: opts.answer !== undefined,
    readStdin: () => opts.input ?? '',
    ...(opts.answer !== undefined ? { prompt: async () => opts.answer! } : {}),
  };
  try {
    const code = await main(args, io, { ...(opts.clock ? { clock: opts.clock } : {}), ...opts.deps });
    return { code, stdout, stderr };
  } catch (err) {
    if (!(err instanceof ToolError)) throw err;
    stderr += `error: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ''}`;
    return { code: err.exitCode, stdout, stderr };
  }
}
