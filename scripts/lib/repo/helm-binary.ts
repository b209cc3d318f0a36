import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';

export interface HelmBinary {
  path: string;
  /** Changes when helm is replaced, so renders of another helm are not reused. */
  fingerprint: string;
}

/** Why charts went unrendered; tools print it once, as information. */
export const HELM_NOT_ON_PATH = 'helm not on PATH';

/**
 * Finds helm without running it: `$HELM` when set (an empty HELM means "as if helm were not
 * installed", which the tests use because CI runners ship a helm), else the first `helm` on PATH.
 */
export function findHelm(env: NodeJS.ProcessEnv = process.env): HelmBinary | undefined {
  const candidates =
    env.HELM !== undefined
      ? [env.HELM].filter(Boolean)
      : (env.PATH ?? '')
          .split(path.delimiter)
          .filter(Boolean)
          .map((dir) => path.join(dir, 'helm'));
  for (const candidate of candidates) {
    try {
      const st = statSync(candidate);
      if (st.isFile() && st.mode & 0o111)
        return { path: candidate, fingerprint: `${candidate}:${st.size}:${st.mtimeMs}` };
    } catch {
      // not in this PATH entry
    }
  }
  return undefined;
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
