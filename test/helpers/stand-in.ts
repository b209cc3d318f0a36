import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A stand-in for one program, for tests only: `script(dir)` written as `<dir>/<program>` in a fresh
 * temp folder and made executable; the script may leave files in `dir`. `remove` deletes the folder.
 */
export function standInProgram(
  program: string,
  script: (dir: string) => string,
): { dir: string; path: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), `${program}-`));
  const file = path.join(dir, program);
  writeFileSync(file, script(dir));
  chmodSync(file, 0o755);
  return { dir, path: file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs `command` (a container's command and args) with a stand-in for one program first on PATH,
 * for tests only: `script(dir)` is the stand-in's shell script, which may leave files in `dir` (its
 * own folder) to tell what it was called with. Returns the exit code and those files.
 */
export function runWithStandIn(
  command: readonly string[],
  program: string,
  script: (dir: string) => string,
  env: NodeJS.ProcessEnv = {},
): { code: number; files: Record<string, string> } {
  const { dir, remove } = standInProgram(program, script);
  try {
    let code = 0;
    try {
      // The timeout only bounds a script that would loop for ever; a test never waits for it otherwise.
      execFileSync(command[0]!, command.slice(1), {
        env: { PATH: `${dir}:/usr/bin:/bin`, ...env },
        stdio: 'pipe',
        timeout: 20_000,
      });
    } catch (e) {
      code = (e as { status?: number }).status ?? -1;
    }
    const files: Record<string, string> = {};
    for (const f of readdirSync(dir)) if (f !== program) files[f] = readFileSync(path.join(dir, f), 'utf8');
    return { code, files };
  } finally {
    remove();
  }
}
