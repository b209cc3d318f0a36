import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  codeCacheFile,
  requireWithCodeCache,
  saveCodeCaches,
} from '../../scripts/lib/bundle/code-cached-require.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  saveCodeCaches();
  cleanups.splice(0).forEach((c) => c());
});

function folder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'code-cache-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A module whose function V8 compiles only when it is first called. */
const BIG = `function check(x) {\n${Array.from({ length: 300 }, (_, i) => `  if (x === ${i}) return 'v${i}';`).join('\n')}\n  return 'none';\n}\nmodule.exports = check;\nmodule.exports.default = check;\n`;

const caches = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.cache'));

describe('requireWithCodeCache', () => {
  it('runs the file as CommonJS: module, exports, require from its folder, __filename, __dirname', () => {
    const dir = folder();
    writeFileSync(path.join(dir, 'dep.cjs'), 'exports.answer = 42;');
    const file = path.join(dir, 'main.cjs');
    writeFileSync(
      file,
      'exports.dep = require("./dep.cjs").answer; exports.file = __filename; exports.dir = __dirname; exports.same = exports === module.exports;',
    );
    expect(requireWithCodeCache(file)).toEqual({ dep: 42, file, dir, same: true });
  });

  it('writes the cache once the code has run, named after the content and V8, and registers that for exit', () => {
    const dir = folder();
    const file = path.join(dir, 'v.cjs');
    writeFileSync(file, BIG);
    const check = requireWithCodeCache(file) as (x: number) => string;
    expect(caches(dir)).toEqual([]);
    expect(process.listeners('exit')).toContain(saveCodeCaches);
    expect(check(299)).toBe('v299');
    saveCodeCaches();
    const cacheFile = codeCacheFile(file, BIG);
    expect(path.basename(cacheFile)).toMatch(
      new RegExp(`^v\\.cjs\\.[0-9a-f]{16}\\.v8-${process.versions.v8.replace(/\./g, '\\.')}\\.cache$`),
    );
    expect(caches(dir)).toEqual([path.basename(cacheFile)]);
    // Made after `check` ran, it holds check's compiled code: more than a cache made at load (of a
    // script named otherwise, which V8's in-process compilation cache does not share).
    const atLoad = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${BIG}\n})`, {
      filename: path.join(dir, 'fresh.cjs'),
    }).createCachedData();
    expect(statSync(cacheFile).size).toBeGreaterThan(atLoad.length);
  });

  it('a later load takes the cache V8 accepts and leaves it as it is', () => {
    const dir = folder();
    const file = path.join(dir, 'v.cjs');
    writeFileSync(file, BIG);
    (requireWithCodeCache(file) as (x: number) => string)(7);
    saveCodeCaches();
    const cacheFile = codeCacheFile(file, BIG);
    const before = statSync(cacheFile).ino;
    expect((requireWithCodeCache(file) as (x: number) => string)(7)).toBe('v7');
    saveCodeCaches();
    expect(statSync(cacheFile).ino).toBe(before);
  });

  it('a cache V8 rejects costs only the compile: the file still loads, and the cache is written again', () => {
    const dir = folder();
    const file = path.join(dir, 'v.cjs');
    writeFileSync(file, BIG);
    const cacheFile = codeCacheFile(file, BIG);
    writeFileSync(cacheFile, 'not a code cache');
    expect((requireWithCodeCache(file) as (x: number) => string)(3)).toBe('v3');
    saveCodeCaches();
    expect(readFileSync(cacheFile, 'utf8')).not.toBe('not a code cache');
  });

  it('new content of the same length gets a cache of its own, and the old one of this V8 is removed', () => {
    const dir = folder();
    const file = path.join(dir, 'v.cjs');
    writeFileSync(file, BIG);
    // Run, so the cache holds check's compiled code.
    expect((requireWithCodeCache(file) as (x: number) => string)(-1)).toBe('none');
    saveCodeCaches();
    const otherV8 = `${file}.0123456789abcdef.v8-1.2.3.cache`;
    writeFileSync(otherV8, 'kept for that Node');
    // Same length, other behaviour: V8's own check (the source length) would take the old cache.
    const changed = BIG.replace("return 'none'", "return 'gone'");
    expect(changed).toHaveLength(BIG.length);
    writeFileSync(file, changed);
    expect((requireWithCodeCache(file) as (x: number) => string)(-1)).toBe('gone');
    saveCodeCaches();
    expect(caches(dir).sort()).toEqual(
      [path.basename(codeCacheFile(file, changed)), path.basename(otherV8)].sort(),
    );
  });

  it('a broken file throws, as require does', () => {
    const dir = folder();
    const file = path.join(dir, 'broken.cjs');
    writeFileSync(file, 'module.exports = ;');
    expect(() => requireWithCodeCache(file)).toThrow(SyntaxError);
  });
});
