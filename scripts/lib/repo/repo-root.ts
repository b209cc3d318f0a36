import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

/**
 * Caches live beside the tool's own node_modules, never in the repository being checked (that
 * would dirty its work tree); keys include absolute paths and content hashes, so repos never mix.
 */
export function toolCacheDir(name: string): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../node_modules/.cache', name);
}
