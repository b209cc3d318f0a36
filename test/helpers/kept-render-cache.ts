import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * What decides the content of a cached render: the renderers and everything beside them (the
 * kubectl wrapper, the vendored kustomize schema, the YAML reading), and the locked packages. The
 * cache's own keys add each input file's content and kubectl's fingerprint.
 */
const RENDER_CODE = ['scripts/lib/repo', 'package-lock.json'];

/**
 * Past this many entries the folder starts again empty: the tests that render content of their own
 * making (temp paths, generated names) add a few entries each run.
 */
export const MAX_KEPT_ENTRIES = 2000;

/**
 * The tests' render cache, kept between runs in `parent/<key>`, where the key hashes the code that
 * decides what a render holds. A run on unchanged render code reuses the renders earlier runs made;
 * any change to that code starts an empty folder (and removes the others), so a test never reads a
 * render the current code would not make. A fresh clone has none, and renders everything.
 */
export function keptRenderCache(root: string, parent: string): string {
  const key = renderCodeKey(root);
  const dir = path.join(parent, key);
  for (const other of entries(parent))
    if (other !== key) rmSync(path.join(parent, other), { recursive: true, force: true });
  if (entries(dir).length > MAX_KEPT_ENTRIES) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function renderCodeKey(root: string): string {
  const h = createHash('sha256');
  for (const rel of RENDER_CODE.flatMap((p) => filesUnder(root, p))) {
    h.update(`${rel}\0`);
    h.update(readFileSync(path.join(root, rel)));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 24);
}

/** Files at or under `rel`, relative to root, sorted so the key does not depend on listing order. */
function filesUnder(root: string, rel: string): string[] {
  if (!statSync(path.join(root, rel)).isDirectory()) return [rel];
  return readdirSync(path.join(root, rel), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
