import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeConfigClass, type KubeConfigClass } from '../../scripts/lib/cluster/kube-config-class.ts';

let dir: string;
let kubeconfig: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kube-config-class-'));
  kubeconfig = path.join(dir, 'kubeconfig.yaml');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: a, cluster: {server: "https://a.example:6443"}}, {name: b, cluster: {server: "https://b.example"}}]',
      'users: [{name: u, user: {token: secret-token}}]',
      'contexts: [{name: staging, context: {cluster: a, user: u}}, {name: prod, context: {cluster: b, user: u}}]',
      'current-context: staging',
      '',
    ].join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the tool asks of a KubeConfig: contexts, the current cluster, credentials on a request. */
async function readWith(KubeConfig: KubeConfigClass) {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  kc.setCurrentContext('prod');
  const options: { headers?: Record<string, string> } = { headers: {} };
  await kc.applyToHTTPSOptions(options);
  return {
    contexts: kc.getContexts().map((c) => c.name),
    server: kc.getCurrentCluster()?.server,
    authorization: options.headers?.Authorization,
  };
}

const EXPECTED = {
  contexts: ['staging', 'prod'],
  server: 'https://b.example',
  authorization: 'Bearer secret-token',
};

describe("client-node's KubeConfig from a bundle of what it needs", () => {
  const cache = () => path.join(dir, 'cache');

  it('is built once into the cache and reads a kubeconfig as the package does', async () => {
    // A bundle left by another package version is removed when this one is built.
    mkdirSync(cache());
    writeFileSync(path.join(cache(), 'older.mjs'), 'export const KubeConfig = 1;');
    const bundled = await loadKubeConfigClass(cache());
    const files = readdirSync(cache()).filter((f) => f.endsWith('.mjs'));
    expect(files).toHaveLength(1);
    // punycode from its npm package: Node 22+ warns about its built-in one outside node_modules.
    expect(readFileSync(path.join(cache(), files[0]!), 'utf8')).not.toMatch(/\("punycode"\)/);
    const { KubeConfig } = (await import('@kubernetes/client-node' as string)) as {
      KubeConfig: KubeConfigClass;
    };
    expect(bundled).not.toBe(KubeConfig);
    expect(await readWith(bundled)).toEqual(EXPECTED);
    expect(await readWith(KubeConfig)).toEqual(EXPECTED);
  });

  it('a later run imports the bundle without building it again', async () => {
    const [file] = readdirSync(cache());
    const built = statSync(path.join(cache(), file!)).mtimeMs;
    await loadKubeConfigClass(cache());
    expect(readdirSync(cache())).toEqual([file]);
    expect(statSync(path.join(cache(), file!)).mtimeMs).toBe(built);
  });

  it('a bundle that does not load: the package is imported, and the bundle is dropped for the next run to build', async () => {
    // The bundle's file broken, in a folder no run here has imported from.
    const [file] = readdirSync(cache());
    const damaged = path.join(dir, 'damaged');
    mkdirSync(damaged);
    writeFileSync(path.join(damaged, file!), 'export const KubeConfig = ;');
    expect(await readWith(await loadKubeConfigClass(damaged))).toEqual(EXPECTED);
    // A missing bundle is built, as the first test here saw.
    expect(readdirSync(damaged)).toEqual([]);
  });

  it('an unusable cache folder costs only speed: the package itself is imported', async () => {
    const notAFolder = path.join(dir, 'file');
    writeFileSync(notAFolder, 'x');
    expect(await readWith(await loadKubeConfigClass(notAFolder))).toEqual(EXPECTED);
  });
});
