import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { writeFileAtomic } from '../cli/write-file-atomic.ts';

/** Scripts loaded without a usable code cache: theirs is written when the process exits. */
const unsaved = new Map<string, { script: vm.Script; file: string }>();
let savedOnExit = false;

/**
 * `require(file)` for a CommonJS file of a cache, with V8's code cache kept beside it. The compiled
 * validators of large schemas are one function each, tens of kilobytes of code that V8 compiles on
 * its first call: 10 to 36 ms per kind on every run. A code cache made after the functions have run
 * holds that compiled code, so later runs skip it.
 *
 * The cache is named after the file's content (V8 itself only checks the source's length) and the
 * V8 version (Node versions do not take each other's). It is written on the exit of the first run
 * that loads the file without one, or with one V8 rejects (other flags); anything wrong with it
 * only costs the compile. The file runs on every call, as a fresh load: callers keep what it
 * exports.
 */
export function requireWithCodeCache(file: string): unknown {
  const code = readFileSync(file, 'utf8');
  const cacheFile = codeCacheFile(file, code);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // none yet
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, {
    filename: file,
    cachedData,
  });
  if (!cachedData || script.cachedDataRejected) remember(cacheFile, script, file);
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper(module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}

/** Where the code cache of `file` holding `code` is kept. */
export function codeCacheFile(file: string, code: string): string {
  const digest = createHash('sha256').update(code).digest('hex').slice(0, 16);
  return `${file}.${digest}.v8-${process.versions.v8}.cache`;
}

/**
 * Writes the code caches of this process's scripts now (each holds what has run so far), and
 * removes the caches of this V8 made for an earlier content of the same file.
 */
export function saveCodeCaches(): void {
  for (const [cacheFile, { script, file }] of unsaved) {
    try {
      writeFileAtomic(cacheFile, script.createCachedData());
      const dir = path.dirname(file);
      const mine = path.basename(cacheFile);
      const prefix = `${path.basename(file)}.`;
      const suffix = `.v8-${process.versions.v8}.cache`;
      for (const f of readdirSync(dir))
        if (f !== mine && f.startsWith(prefix) && f.endsWith(suffix))
          rmSync(path.join(dir, f), { force: true });
    } catch {
      // an unwritable cache only costs the compile next time
    }
  }
  unsaved.clear();
}

function remember(cacheFile: string, script: vm.Script, file: string): void {
  if (!savedOnExit) process.once('exit', saveCodeCaches);
  savedOnExit = true;
  unsaved.set(cacheFile, { script, file });
}
