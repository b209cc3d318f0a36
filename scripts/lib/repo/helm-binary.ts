import { execFile } from 'node:child_process';
import { firstExecutable, onPath, type Executable } from './executable.ts';

export type HelmBinary = Executable;

/** Why charts went unrendered; tools print it once, as information. */
export const HELM_NOT_ON_PATH = 'helm not on PATH';

/**
 * Finds helm without running it: `$HELM` when set (an empty HELM means "as if helm were not
 * installed", which the tests use because CI runners ship a helm), else the first `helm` on PATH.
 */
export function findHelm(env: NodeJS.ProcessEnv = process.env): HelmBinary | undefined {
  return firstExecutable(env.HELM !== undefined ? [env.HELM].filter(Boolean) : onPath('helm', env));
}

export interface HelmOutput {
  ok: boolean;
  stdout: string;
  stderr: string;
}

export function runHelm(helm: HelmBinary, args: string[], env: NodeJS.ProcessEnv): Promise<HelmOutput> {
  return new Promise((resolve) => {
    execFile(helm.path, args, { env, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ ok: !error, stdout, stderr: stderr || String(error?.message ?? '') }),
    );
  });
}
