import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedKindIndex, type KindEntry } from '../../scripts/lib/check/schema/kind-index.ts';
import { createSchemaRegistry, SCHEMA_CACHE_DIR } from '../../scripts/lib/check/schema/registry.ts';
import { ValidatorBundle } from '../../scripts/lib/check/schema/validator-bundle.ts';
import { saveCodeCaches } from '../../scripts/lib/bundle/code-cached-require.ts';

const index = cachedKindIndex(undefined);
const entry = (apiVersion: string, kind: string): KindEntry => {
  const e = index.find((x) => x.apiVersion === apiVersion && x.kind === kind);
  if (!e) throw new Error(`no ${apiVersion}/${kind} in the kind index`);
  return e;
};
const DEPLOYMENT = entry('apps/v1', 'Deployment');
const SERVICE = entry('v1', 'Service');
const PROMETHEUS_RULE = entry('monitoring.coreos.com/v1', 'PrometheusRule');
const VIRTUAL_SERVICE = entry('networking.istio.io/v1', 'VirtualService');

const deployment = (replicas: unknown) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'x' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'x' } },
    template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'x', image: 'r/x:1' }] } },
  },
});
const service = () => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'x' },
  spec: { ports: [{ name: 'http', port: 80 }] },
});
// `^(?i)(abort|warn)?$` is not a JavaScript pattern: the validators check it with re2, which the
// bundle leaves outside and requires by path on first use.
const prometheusRule = (strategy: string) => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  metadata: { name: 'x' },
  spec: { groups: [{ name: 'g', partial_response_strategy: strategy, rules: [] }] },
});

// One cache folder through the tests, in order, as successive runs of the tool would use it:
// each build takes esbuild most of a second.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'validator-bundle-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const manifest = () =>
  JSON.parse(readFileSync(path.join(dir, 'current.json'), 'utf8')) as { file: string; kinds: string[] };
const bundles = () => readdirSync(dir).filter((f) => f.endsWith('.cjs'));

describe('model validators bundled in one module', () => {
  it('judge objects exactly as the validators loaded file by file', async () => {
    const bundled = await new ValidatorBundle(dir, 'k').load([DEPLOYMENT, PROMETHEUS_RULE]);
    const separate = await new ValidatorBundle(undefined, 'k').load([DEPLOYMENT, PROMETHEUS_RULE]);
    expect(bundles()).toHaveLength(1);
    const cases: [string, unknown][] = [
      ['apps/v1/Deployment', deployment(2)],
      ['apps/v1/Deployment', deployment('two')],
      ['monitoring.coreos.com/v1/PrometheusRule', prometheusRule('WARN')],
      ['monitoring.coreos.com/v1/PrometheusRule', prometheusRule('ignore')],
    ];
    const verdicts = cases.map(([key, obj]) => {
      const a = bundled.get(key)!;
      const b = separate.get(key)!;
      expect(a).not.toBe(b);
      return [a(obj), a.errors?.map((e) => e.instancePath), b(obj), b.errors?.map((e) => e.instancePath)];
    });
    expect(verdicts).toEqual([
      [true, undefined, true, undefined],
      [false, ['/spec/replicas'], false, ['/spec/replicas']],
      [true, undefined, true, undefined],
      [
        false,
        ['/spec/groups/0/partial_response_strategy'],
        false,
        ['/spec/groups/0/partial_response_strategy'],
      ],
    ]);
  });

  it('loads re2-wasm (its WebAssembly compile is ~100 ms) only when a pattern needing it is tested', () => {
    // A process of its own: this worker may have loaded re2-wasm already.
    const script = `
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const loaded = () => Object.keys(require.cache).some((f) => f.includes('re2-wasm'));
      // Plain require: the bundle is CommonJS that needs nothing of the code-cached loader.
      const bundle = require(${JSON.stringify(path.join(dir, manifest().file))});
      const rule = bundle.v${manifest().kinds.indexOf('monitoring.coreos.com/v1/PrometheusRule')};
      const afterImport = loaded();
      const withoutField = rule(${JSON.stringify({ ...prometheusRule('x'), spec: { groups: [] } })});
      const afterUnrelated = loaded();
      const verdicts = ['WARN', 'ignore'].map((s) => rule({ ...${JSON.stringify(prometheusRule('x'))}, spec: { groups: [{ name: 'g', partial_response_strategy: s, rules: [] }] } }));
      console.log(JSON.stringify({ afterImport, withoutField, afterUnrelated, verdicts, afterPattern: loaded() }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({
      afterImport: false,
      withoutField: true,
      afterUnrelated: false,
      verdicts: [true, false],
      afterPattern: true,
    });
  });

  it('a later run with kinds the bundle holds imports it without building', async () => {
    const before = manifest().file;
    const built = statSync(path.join(dir, before)).mtimeMs;
    const again = await new ValidatorBundle(dir, 'k').load([PROMETHEUS_RULE]);
    expect([...again.keys()]).toEqual(['monitoring.coreos.com/v1/PrometheusRule']);
    expect(manifest().file).toBe(before);
    expect(statSync(path.join(dir, before)).mtimeMs).toBe(built);
  });

  it('a kind the bundle lacks rebuilds it with every kind so far, and the old bundle goes', async () => {
    const first = manifest().file;
    // The code cache of the bundle the runs so far loaded.
    saveCodeCaches();
    expect(readdirSync(dir).filter((f) => f.startsWith(`${first}.`) && f.endsWith('.cache'))).toHaveLength(1);
    const got = await new ValidatorBundle(dir, 'k').load([VIRTUAL_SERVICE]);
    expect(got.get('networking.istio.io/v1/VirtualService')).toBeTypeOf('function');
    expect(manifest().kinds).toEqual([
      'apps/v1/Deployment',
      'monitoring.coreos.com/v1/PrometheusRule',
      'networking.istio.io/v1/VirtualService',
    ]);
    expect(bundles()).toEqual([manifest().file]);
    expect(manifest().file).not.toBe(first);
    expect(readdirSync(dir).filter((f) => f.startsWith(first))).toEqual([]);
  });

  it('a damaged cache costs only speed: validators still load, and the bundle is dropped for the next run to build', async () => {
    // A copy of the cache with the bundle's text broken, in a folder no run here has imported from.
    const damaged = mkdtempSync(path.join(tmpdir(), 'validator-bundle-damaged-'));
    writeFileSync(path.join(damaged, 'current.json'), JSON.stringify(manifest()));
    writeFileSync(path.join(damaged, manifest().file), 'export const v0 = ;');
    const fromBroken = await new ValidatorBundle(damaged, 'k').load([DEPLOYMENT]);
    expect(fromBroken.get('apps/v1/Deployment')!(deployment('two'))).toBe(false);
    // Without a manifest the next run builds, as the first one here did.
    expect(existsSync(path.join(damaged, 'current.json'))).toBe(false);
    rmSync(damaged, { recursive: true, force: true });
  });

  it('other package versions, or a manifest that does not parse, start a new bundle', async () => {
    await new ValidatorBundle(dir, 'packages@2').load([SERVICE]);
    expect(manifest().kinds).toEqual(['v1/Service']);
    writeFileSync(path.join(dir, 'current.json'), '{"key":');
    await new ValidatorBundle(dir, 'packages@2').load([SERVICE]);
    expect(manifest().kinds).toEqual(['v1/Service']);
  });

  /** A schema cache of its own, with the tool's kind index and derived shapes when it has them (deriving them loads TypeScript). */
  const seededCache = (prefix: string) => {
    const to = mkdtempSync(path.join(tmpdir(), prefix));
    for (const f of ['kinds.json', 'shapes.json'])
      if (existsSync(path.join(SCHEMA_CACHE_DIR, f)))
        copyFileSync(path.join(SCHEMA_CACHE_DIR, f), path.join(to, f));
    return to;
  };

  it('the registry bundles in its cache folder unless GITOPS_VALIDATOR_BUNDLE=0', async () => {
    const saved = process.env.GITOPS_VALIDATOR_BUNDLE;
    try {
      delete process.env.GITOPS_VALIDATOR_BUNDLE;
      const on = seededCache('validator-bundle-on-');
      await createSchemaRegistry({ cacheDir: on }).prepare([{ apiVersion: 'v1', kind: 'Service' }]);
      expect(readdirSync(path.join(on, 'validators')).filter((f) => f.endsWith('.cjs'))).toHaveLength(1);
      rmSync(on, { recursive: true, force: true });
      const other = seededCache('validator-bundle-off-');
      process.env.GITOPS_VALIDATOR_BUNDLE = '0';
      const registry = createSchemaRegistry({ cacheDir: other });
      await registry.prepare([{ apiVersion: 'v1', kind: 'Service' }]);
      expect(registry.validate(service())).toEqual([]);
      expect(readdirSync(other)).not.toContain('validators');
      rmSync(other, { recursive: true, force: true });
    } finally {
      if (saved === undefined) delete process.env.GITOPS_VALIDATOR_BUNDLE;
      else process.env.GITOPS_VALIDATOR_BUNDLE = saved;
    }
  });
});
