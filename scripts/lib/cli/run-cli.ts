import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { ToolError } from '../errors.ts';
import type { CommandIO, CommandMain } from './io.ts';

/** The arguments after the script itself, whether run as `zx script.mjs`, `npx zx …` or `node script.mjs`. */
export function scriptArgs(argv: string[], scriptUrl: string): string[] {
  const script = fileURLToPath(scriptUrl);
  const i = argv.findIndex(
    (a) => a === script || a.endsWith(script) || script.endsWith(a.replace(/^\.\//, '')),
  );
  return i >= 0 ? argv.slice(i + 1) : argv.slice(2);
}

export function processIO(): CommandIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    interactive: Boolean(process.stdin.isTTY),
    readStdin: () => readFileSync(0, 'utf8'),
    prompt: async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  };
}

/**
 * The only place that turns results into an exit code: a user's mistake (ToolError) is one line
 * and a hint, exit 2, never a stack trace. Tests run commands through it in-process.
 */
export async function runMain(main: CommandMain, args: string[], io: CommandIO): Promise<number> {
  try {
    return await main(args, io);
  } catch (err) {
    if (err instanceof ToolError) {
      io.stderr(`error: ${err.message}\n`);
      if (err.hint) io.stderr(`hint: ${err.hint}\n`);
      return err.exitCode;
    }
    const e = err as Error;
    io.stderr(`internal error: ${e?.message ?? String(err)}\n`);
    if (io.env.DEBUG) io.stderr(`${e?.stack ?? ''}\n`);
    else io.stderr('(this is a bug in the tool; run again with DEBUG=1 for details)\n');
    return 2;
  }
}

export async function runCli(main: CommandMain, scriptUrl: string): Promise<void> {
  // Stack traces of the compiled library point at the TypeScript sources when asked for.
  if (process.env.DEBUG) process.setSourceMapsEnabled(true);
  process.exitCode = await runMain(main, scriptArgs(process.argv, scriptUrl), processIO());
}
