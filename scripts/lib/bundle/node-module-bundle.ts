import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import { writeFileAtomic } from '../cli/write-file-atomic.ts';
import { requireWithCodeCache } from './code-cached-require.ts';

export interface BundleOptions {
  plugins?: Plugin[];
  /**
   * 'cjs' loads the bundle with V8's code cache kept beside it (code-cached-require.ts): for code
   * that is large and runs on every run, as the validators do. 'esm' imports it.
   */
  format?: 'esm' | 'cjs';
}

/**
 * The module bundled from `source()`, kept in `dir` under a name made of `key` (what the bundle is
 * made from) and esbuild's version, and imported. It is built when that file is missing, and the
 * other bundles in `dir` are removed then (superseded; a run still using one has it loaded). A
 * bundle that does not import, or lacks one of the `functions` it should export, is removed, so the
 * next run builds it again, and the error is thrown: the caller falls back to the packages.
 */
export async function importBundle(
  dir: string,
  key: string,
  source: () => string,
  functions: readonly string[],
  { plugins = [], format = 'esm' }: BundleOptions = {},
): Promise<{ file: string; module: Record<string, unknown> }> {
  const digest = createHash('sha256').update(`${key}\0${bundlerVersion()}\0${format}`).digest('hex');
  const name = `${digest.slice(0, 24)}.${format === 'esm' ? 'mjs' : 'cjs'}`;
  const file = path.join(dir, name);
  try {
    statSync(file);
  } catch {
    // The bundle's imports resolve from its folder, which must exist.
    mkdirSync(dir, { recursive: true });
    writeFileAtomic(file, await bundleNodeModule(source(), dir, plugins, format));
    // Earlier bundles, of either format, and their code caches.
    for (const other of readdirSync(dir))
      if (/\.(mjs|cjs|cache)$/.test(other) && other !== name && !other.startsWith(`${name}.`))
        rmSync(path.join(dir, other), { force: true });
  }
  try {
    const module = (
      format === 'esm' ? await import(pathToFileURL(file).href) : requireWithCodeCache(file)
    ) as Record<string, unknown>;
    const missing = functions.find((f) => typeof module[f] !== 'function');
    if (missing !== undefined) throw new Error(`${file} exports no ${missing}`);
    return { file: name, module };
  } catch (err) {
    rmSync(file, { force: true });
    throw err;
  }
}

/**
 * One ES module for Node holding `contents` and everything it imports, as text: the caches that
 * bundle a package's many files (validators, KubeConfig) into one load much faster. esbuild is
 * imported only here, when a bundle is built.
 */
async function bundleNodeModule(
  contents: string,
  resolveDir: string,
  plugins: Plugin[],
  format: 'esm' | 'cjs',
): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    stdin: { contents, resolveDir, loader: 'js' },
    bundle: true,
    format,
    platform: 'node',
    target: 'node20',
    minify: true,
    write: false,
    logLevel: 'silent',
    // The CommonJS parts require Node's built-ins, which an ES module has no `require` for.
    ...(format === 'esm'
      ? {
          banner: {
            js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
          },
        }
      : {}),
    plugins: [...plugins, PUNYCODE_FROM_NPM],
  });
  return result.outputFiles[0]!.text;
}

/**
 * `require('punycode')` in a package means the npm package where one is installed: Node's built-in is
 * deprecated, and Node warns about it (22+) for code outside node_modules, where a bundle in a temp
 * cache folder is.
 */
const PUNYCODE_FROM_NPM: Plugin = {
  name: 'punycode-from-npm',
  setup(build) {
    build.onResolve({ filter: /^punycode$/ }, (args) => {
      try {
        return { path: createRequire(args.importer).resolve('punycode/') };
      } catch {
        return undefined;
      }
    });
  },
};

/** esbuild's version, part of every bundle's cache key: read from its package.json, as importing it takes ~50 ms. */
export function bundlerVersion(): string {
  const main = createRequire(import.meta.url).resolve('esbuild');
  return (
    JSON.parse(readFileSync(path.join(path.dirname(main), '..', 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
}
