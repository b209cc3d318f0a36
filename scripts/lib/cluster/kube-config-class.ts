import { readFileSync } from 'node:fs';
import type https from 'node:https';
import { createRequire } from 'node:module';
import path from 'node:path';
import { importBundle } from '../bundle/node-module-bundle.ts';
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
/** The module that defines KubeConfig inside the package (its main module loads the whole client). */
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
  const packageJson = createRequire(import.meta.url).resolve(`${CLIENT_NODE}/package.json`);
  const entry = path.join(path.dirname(packageJson), CONFIG_MODULE);
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const { module } = await importBundle(
    cacheDir,
    `${entry}\0${version}`,
    () => `export { KubeConfig } from ${JSON.stringify(entry)};`,
    ['KubeConfig'],
  );
  return module.KubeConfig as KubeConfigClass;
}
