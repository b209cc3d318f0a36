import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT, renderCache } from './fixture-repo.ts';

export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

const ZX = path.join(REPO_ROOT, 'node_modules', '.bin', 'zx');

/** Runs `zx scripts/<name>.mjs args` as a real process, the way users run it. */
export function runScript(
  name: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; input?: string },
): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(ZX, [path.join(REPO_ROOT, 'scripts', `${name}.mjs`), ...args], {
      cwd: opts.cwd,
      env: { ...process.env, FORCE_COLOR: '0', GITOPS_RENDER_CACHE: renderCache(), ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}
