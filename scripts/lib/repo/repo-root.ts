import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.ts';
import { SETTINGS_FILE } from './settings.ts';

/** The nearest directory at or above `cwd` holding clusters/settings.yaml. */
export function findRepoRoot(cwd: string): string {
  let dir = path.resolve(cwd);
  for (;;) {
    if (existsSync(path.join(dir, SETTINGS_FILE))) return dir;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new InputError(
    'not inside a repository with clusters/settings.yaml',
    cwd,
    undefined,
    'run the command from the GitOps repository (or a folder inside it)',
  );
}

export function defaultCacheDir(root: string, name: string): string {
  return path.join(root, 'node_modules', '.cache', name);
}
