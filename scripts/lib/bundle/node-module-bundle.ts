import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'esbuild';

/**
 * One ES module for Node holding `contents` and everything it imports, as text: the caches that
 * bundle a package's many files (validators, KubeConfig) into one load much faster. esbuild is
 * imported only here, when a bundle is built.
 */
export async function bundleNodeModule(
  contents: string,
  resolveDir: string,
  plugins: Plugin[] = [],
): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    stdin: { contents, resolveDir, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    write: false,
    logLevel: 'silent',
    // The CommonJS parts require Node's built-ins, which an ES module has no `require` for.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
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
