import { statSync } from 'node:fs';
import path from 'node:path';

/** A program found on disk without running it (kubectl, helm). */
export interface Executable {
  path: string;
  /** Changes when the program is replaced, so what another build of it rendered is not reused. */
  fingerprint: string;
}

/** `name` in each folder of the environment's PATH, in order. */
export function onPath(name: string, env: NodeJS.ProcessEnv): string[] {
  return (env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, name));
}

/** The first candidate that is an executable file. */
export function firstExecutable(candidates: readonly string[]): Executable | undefined {
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
