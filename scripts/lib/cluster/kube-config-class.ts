import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import type https from 'node:https';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleNodeModule, bundlerVersion } from '../bundle/node-module-bundle.ts';
import { writeFileAtomic } from '../cli/write-file-atomic.ts';
import { toolCacheDir } from '../repo/repo-root.ts';

/**
 * The part of @kubernetes/client-node's KubeConfig this tool uses. The library is imported by a
 * specifier the compiler does not follow: its type declarations are 800 files, more than half of
 * everything the type check reads, for these methods.
 */
export interface KubeConfig {
  loadFromFile(file: string): void;
  loadFromCluster(): void;
  mergeConfig(config: KubeConfig): void;
  setCurrentContext(context: string): void;
  getContexts(): { name: string }[];
  getCurrentCluster(): { server: string } | null;
  applyToHTTPSOptions(opts: https.RequestOptions): Promise<void>;
}
export type KubeConfigClass = new () => KubeConfig;

const CLIENT_NODE = '@kubernetes/client-node';
/** The module that defines KubeConfig inside the package (its `exports` only name the whole package). */
const CONFIG_MODULE = 'dist/config.js';

/**
 * KubeConfig, from a bundle of just the code it needs. Importing the package loads every generated
 * API model, ~0.85 s of each promote, drift and health that talks to a cluster; the bundle loads
 * in ~0.2 s. It is built with esbuild the first time (about a second), kept in the tool's cache
 * per package version, and anything that goes wrong imports the whole package instead.
 */
export async function loadKubeConfigClass(cacheDir = toolCacheDir('kube-config')): Promise<KubeConfigClass> {
  try {
    return await fromBundle(cacheDir);
  } catch {
    const mod = (await import(CLIENT_NODE)) as { KubeConfig: KubeConfigClass };
    return mod.KubeConfig;
  }
}

async function fromBundle(cacheDir: string): Promise<KubeConfigClass> {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve(`${CLIENT_NODE}/package.json`);
  const entry = path.join(path.dirname(packageJson), CONFIG_MODULE);
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const file = path.join(
    cacheDir,
    `${createHash('sha256')
      .update(`${entry}\0${version}\0${bundlerVersion()}`)
      .digest('hex')
      .slice(0, 24)}.mjs`,
  );
  try {
    statSync(file);
  } catch {
    mkdirSync(cacheDir, { recursive: true });
    const text = await bundleNodeModule(`export { KubeConfig } from ${JSON.stringify(entry)};`, cacheDir);
    writeFileAtomic(file, text);
    // Bundles of other package versions are not needed again.
    for (const name of readdirSync(cacheDir))
      if (name.endsWith('.mjs') && name !== path.basename(file))
        rmSync(path.join(cacheDir, name), { force: true });
  }
  try {
    const mod = (await import(pathToFileURL(file).href)) as { KubeConfig?: KubeConfigClass };
    if (typeof mod.KubeConfig !== 'function') throw new Error(`${file} exports no KubeConfig`);
    return mod.KubeConfig;
  } catch (err) {
    // A bundle that does not load is dropped, so the next run builds it again.
    rmSync(file, { force: true });
    throw err;
  }
}
