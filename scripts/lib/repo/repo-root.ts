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
 * The folder of the tool's own package.json: found by walking up, because this module runs both
 * from its source and from the compiled bundle in node_modules/.cache/gitops-tools/.
 */
function findToolRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'scripts', 'lib')))
      return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error("the tool's package.json is not above its own code");
    dir = up;
  }
}

export const TOOL_ROOT = findToolRoot();

/**
 * Caches live beside the tool's own node_modules, never in the repository being checked (that
 * would dirty its work tree); keys include content hashes, so repos never mix.
 */
export function toolCacheDir(name: string): string {
  return path.join(TOOL_ROOT, 'node_modules', '.cache', name);
}
