import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keptRenderCache, MAX_KEPT_ENTRIES, renderCodeKey } from '../helpers/kept-render-cache.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A checkout with render code and a lock file, and a cache parent beside it. */
function checkout() {
  const top = mkdtempSync(path.join(tmpdir(), 'kept-renders-'));
  cleanups.push(() => rmSync(top, { recursive: true, force: true }));
  const root = path.join(top, 'repo');
  mkdirSync(path.join(root, 'scripts/lib/repo/kustomize-schema'), { recursive: true });
  mkdirSync(path.join(root, 'scripts/lib/check'), { recursive: true });
  writeFileSync(path.join(root, 'scripts/lib/repo/kustomize-renderer.ts'), 'const CACHE_FORMAT = 2;\n');
  writeFileSync(path.join(root, 'scripts/lib/repo/kustomize-schema/k.json'), '{}\n');
  writeFileSync(path.join(root, 'scripts/lib/check/rule.ts'), 'export {};\n');
  writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion":3}\n');
  return { root, parent: path.join(top, 'cache') };
}

describe('the tests’ render cache kept between runs', () => {
  it('is the same folder, entries kept, while the render code is unchanged', () => {
    const { root, parent } = checkout();
    const first = keptRenderCache(root, parent);
    writeFileSync(path.join(first, 'a.json'), '[]');
    // A change outside the render code (a rule) keeps the renders.
    writeFileSync(path.join(root, 'scripts/lib/check/rule.ts'), 'export const x = 1;\n');
    expect(keptRenderCache(root, parent)).toBe(first);
    expect(readdirSync(first)).toEqual(['a.json']);
  });

  it.each([
    ['the renderer', 'scripts/lib/repo/kustomize-renderer.ts', 'const CACHE_FORMAT = 3;\n'],
    ['a file in a subfolder (the vendored schema)', 'scripts/lib/repo/kustomize-schema/k.json', '{"a":1}\n'],
    ['a new file beside the renderer', 'scripts/lib/repo/new.ts', 'export {};\n'],
    ['the locked packages', 'package-lock.json', '{"lockfileVersion":3,"x":1}\n'],
  ])('starts empty when %s changes, and removes the old renders', (_, file, content) => {
    const { root, parent } = checkout();
    const before = keptRenderCache(root, parent);
    writeFileSync(path.join(before, 'a.json'), '[]');
    writeFileSync(path.join(root, file), content);
    const after = keptRenderCache(root, parent);
    expect(after).not.toBe(before);
    expect(readdirSync(after)).toEqual([]);
    expect(existsSync(before)).toBe(false);
  });

  it('starts again empty past the entry limit, and not at it', () => {
    const { root, parent } = checkout();
    const dir = keptRenderCache(root, parent);
    for (let i = 0; i < MAX_KEPT_ENTRIES; i++) writeFileSync(path.join(dir, `${i}.json`), '');
    expect(readdirSync(keptRenderCache(root, parent))).toHaveLength(MAX_KEPT_ENTRIES);
    writeFileSync(path.join(dir, 'one-more.json'), '');
    expect(readdirSync(keptRenderCache(root, parent))).toEqual([]);
  });

  it('keys this checkout’s render code, so the suite’s cache follows it', () => {
    const root = path.resolve(import.meta.dirname, '..', '..');
    expect(renderCodeKey(root)).toMatch(/^[0-9a-f]{24}$/);
    expect(renderCodeKey(root)).toBe(renderCodeKey(root));
  });
});
