import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** Where the zx entry points say the tool lives (compiled-library.mjs), when they ran it. */
const GIVEN_ROOT = Symbol.for('gitops-tools.root');

/**
 * The folder of the tool's own package.json: the one the entry point names, else found by walking
 * up from this module (its source, or the compiled bundle in node_modules/.cache/gitops-tools/).
 */
function findToolRoot(): string {
  const given = (globalThis as Record<symbol, unknown>)[GIVEN_ROOT];
  if (typeof given === 'string') return given;
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

let cacheRoot: string | undefined;

/**
 * node_modules/.cache of the tool's checkout, or, when that cannot be written (a read-only
 * node_modules, as a CI runner's shared cache may be), a temp folder of this user and checkout.
 */
function writableCacheRoot(): string {
  if (cacheRoot) return cacheRoot;
  const preferred = path.join(TOOL_ROOT, 'node_modules', '.cache');
  try {
    mkdirSync(preferred, { recursive: true });
    accessSync(preferred, constants.W_OK);
    cacheRoot = preferred;
  } catch {
    const checkout = createHash('sha256').update(TOOL_ROOT).digest('hex').slice(0, 12);
    cacheRoot = path.join(tmpdir(), `gitops-tools-cache-${process.getuid?.() ?? 'user'}-${checkout}`);
  }
  return cacheRoot;
}

/**
 * Caches live beside the tool's own node_modules, never in the repository being checked (that
 * would dirty its work tree); keys include content hashes, so repos never mix.
 */
export function toolCacheDir(name: string): string {
  return path.join(writableCacheRoot(), name);
}
