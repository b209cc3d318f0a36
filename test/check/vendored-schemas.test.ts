import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '../../scripts/lib/commands/validate.ts';
import { customResourceSchema, factorRepeats } from '../../scripts/lib/check/schema/crd-json-schema.ts';
import { modelledKinds } from '../../scripts/lib/check/schema/known-kinds.ts';
import {
  createSchemaRegistry,
  SCHEMA_CACHE_DIR,
  type SchemaRegistry,
} from '../../scripts/lib/check/schema/registry.ts';
import { vendorCrds, main } from '../../scripts/lib/check/schema/vendor-crds.ts';
import { readVendorManifest, VENDOR_DIR } from '../../scripts/lib/check/schema/vendored-schemas.ts';
import { loadSettings } from '../../scripts/lib/repo/settings.ts';
import { REPO_ROOT, renderCache } from '../helpers/fixture-repo.ts';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/schema/operator-crs');
let registry: SchemaRegistry;
beforeAll(() => {
  // The tool's schema cache, as validate uses it: compiling the largest vendored schemas takes seconds,
  // and what the cache serves is checked on its own below.
  registry = createSchemaRegistry({ cacheDir: SCHEMA_CACHE_DIR });
});

const strict = (schema: Record<string, unknown>) =>
  new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false }).compile(
    customResourceSchema(schema),
  );
const cr = (spec: unknown) => ({ apiVersion: 'x/v1', kind: 'X', metadata: { name: 'x' }, spec });

describe('CRD openAPIV3Schema to strict JSON Schema', () => {
  const spec = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    type: 'object',
    properties: { spec: { type: 'object', properties, ...extra } },
  });

  it.each([
    ['an undeclared field', spec({ a: { type: 'string' } }), { b: 'x' }, false],
    ['a declared field', spec({ a: { type: 'string' } }), { a: 'x' }, true],
    [
      'anything under x-kubernetes-preserve-unknown-fields',
      spec({ free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }),
      { free: { any: { thing: 1 } } },
      true,
    ],
    [
      'a map value that does not match additionalProperties',
      spec({ m: { type: 'object', additionalProperties: { type: 'string' } } }),
      { m: { k: 1 } },
      false,
    ],
    [
      'an int-or-string given as a string',
      spec({ p: { 'x-kubernetes-int-or-string': true } }),
      { p: '50%' },
      true,
    ],
    [
      'an int-or-string given as a boolean',
      spec({ p: { 'x-kubernetes-int-or-string': true } }),
      { p: true },
      false,
    ],
    ['null where nullable', spec({ n: { type: 'string', nullable: true } }), { n: null }, true],
    [
      'the bound of an OpenAPI 3.0 exclusiveMinimum',
      spec({ n: { type: 'integer', minimum: 0, exclusiveMinimum: true } }),
      { n: 0 },
      false,
    ],
    [
      'a field a oneOf branch names, declared by the parent',
      spec(
        { a: { type: 'string' }, b: { type: 'string' } },
        { oneOf: [{ required: ['a'] }, { required: ['b'] }] },
      ),
      { b: 'x' },
      true,
    ],
    [
      'a pattern Go accepts and JavaScript cannot compile (dropped, never rejects)',
      spec({ s: { type: 'string', pattern: '(?i)^x$' } }),
      { s: 'anything' },
      true,
    ],
  ])('%s', (_n, schema, value, ok) => {
    expect(strict(schema)(cr(value))).toBe(ok);
  });

  it('checks metadata as ObjectMeta, with the CRD’s own limits on top', () => {
    const v = strict({
      type: 'object',
      properties: { metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 3 } } } },
    });
    expect(v({ apiVersion: 'x/v1', kind: 'X', metadata: { name: 'abc', labels: { a: 'b' } } })).toBe(true);
    expect(v({ apiVersion: 'x/v1', kind: 'X', metadata: { name: 'abcd' } })).toBe(false);
    expect(v({ apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a', lables: {} } })).toBe(false);
  });

  it('moves repeated subschemas into definitions and validates the same', () => {
    const big = {
      type: 'object',
      properties: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`field${i}`, { type: 'string' }])),
      additionalProperties: false,
    };
    const schema = { type: 'object', properties: { a: big, b: { type: 'array', items: big } } };
    const factored = factorRepeats(schema);
    expect(factored.definitions).toEqual({ d0: big });
    expect((factored.properties as Record<string, unknown>).a).toEqual({ $ref: '#/definitions/d0' });
    const ajv = new Ajv({ allErrors: true, strict: false });
    const v = ajv.compile(factored);
    expect(v({ a: { field1: 'x' }, b: [{ field2: 'y' }] })).toBe(true);
    expect(v({ a: { field1: 'x' }, b: [{ fieldz: 'y' }] })).toBe(false);
  });
});

describe('vendored operator schemas', () => {
  it('record source URL, version and license for every schema, and every file exists', () => {
    const manifest = readVendorManifest();
    for (const s of manifest.sources) {
      expect(s.url, s.name).toMatch(/^https:\/\/github\.com\/.+\/tree\/.+/);
      expect(s.version, s.name).toBeTruthy();
      expect(s.license, s.name).toMatch(/Apache-2\.0|UPL-1\.0/);
    }
    const names = new Set(manifest.sources.map((s) => s.name));
    for (const [key, entry] of Object.entries(manifest.schemas)) {
      expect(names, key).toContain(entry.source);
      expect(existsSync(path.join(VENDOR_DIR, entry.file)), key).toBe(true);
    }
    const files = new Set(Object.values(manifest.schemas).map((s) => s.file));
    expect(readdirSync(VENDOR_DIR).filter((f) => f !== 'manifest.json')).toEqual(
      expect.arrayContaining([...files]),
    );
    expect(readdirSync(VENDOR_DIR).length).toBe(files.size + 1);
  });

  it.each([
    'postgresql.cnpg.io/v1/Cluster',
    'postgresql.cnpg.io/v1/Database',
    'postgresql.cnpg.io/v1/ScheduledBackup',
    'barmancloud.cnpg.io/v1/ObjectStore',
    'kafka.strimzi.io/v1/Kafka',
    'kafka.strimzi.io/v1/KafkaNodePool',
    'kafka.strimzi.io/v1/KafkaTopic',
    'kafka.strimzi.io/v1/KafkaUser',
    'redis.redis.opstreelabs.in/v1beta2/RedisReplication',
    'redis.redis.opstreelabs.in/v1beta2/RedisSentinel',
    'mysql.oracle.com/v2/InnoDBCluster',
    'mongodbcommunity.mongodb.com/v1/MongoDBCommunity',
    'gateway.networking.k8s.io/v1/HTTPRoute',
    'gateway.networking.k8s.io/v1/Gateway',
  ])('%s has a schema, and it counts as a known kind', (key) => {
    const kind = key.slice(key.lastIndexOf('/') + 1);
    const apiVersion = key.slice(0, key.lastIndexOf('/'));
    expect(registry.has(apiVersion, kind)).toBe(true);
    expect(modelledKinds()).toContain(`${apiVersion.split('/')[0]}/${kind}`);
  });

  it('leave nothing this repository deploys in kindsWithoutSchema', async () => {
    expect((await loadSettings(REPO_ROOT)).kindsWithoutSchema).toEqual([]);
  });

  it('name each vendored source with its version beside the npm packages', () => {
    const sources = registry.sources();
    expect(sources.find((s) => s.package === 'vendored: strimzi')).toMatchObject({ version: '0.51.0' });
    expect(sources.find((s) => s.package === '@kubernetes-models/gateway-api')).toMatchObject({
      version: '2.0.0',
    });
    expect(sources.every((s) => s.kinds > 0)).toBe(true);
  });
});

describe('compiled vendored validators on disk', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vendored-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const kinds = [{ apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaTopic' }];
  const typo = {
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaTopic',
    metadata: { name: 't' },
    spec: { partitions: 3, replicaz: 3 },
  };

  it('a second registry loads the compiled module and reports the same', async () => {
    const a = createSchemaRegistry({ cacheDir: dir });
    await a.prepare(kinds);
    const cached = readdirSync(path.join(dir, 'vendored'));
    expect(cached).toEqual([expect.stringMatching(/^[0-9a-f]{32}\.cjs$/)]);
    const b = createSchemaRegistry({ cacheDir: dir });
    await b.prepare(kinds);
    expect(b.validate(typo)).toEqual(a.validate(typo));
    expect(b.validate(typo)).toEqual([
      expect.objectContaining({ keyword: 'unknown-field', path: ['spec', 'replicaz'] }),
    ]);
  });

  it('recompiles over a corrupted module', async () => {
    const [file] = readdirSync(path.join(dir, 'vendored'));
    const corrupted = path.join(dir, 'vendored', file!);
    // A module left behind by an interrupted or older run: loading it must not end the check.
    writeFileSync(corrupted, 'module.exports = ;');
    const c = createSchemaRegistry({ cacheDir: dir });
    await c.prepare(kinds);
    expect(c.validate(typo)).toEqual([expect.objectContaining({ keyword: 'unknown-field' })]);
    expect(readFileSync(corrupted, 'utf8')).toContain('replicas');
  });
});

describe('operator custom resources in files', () => {
  it('a misspelt field in each operator CR is an unknown field at its line', async () => {
    const dir = path.join(FIXTURES, 'typos');
    const files = readdirSync(dir);
    const r = await validate({ cwd: REPO_ROOT, files: [dir], rules: [], registry, cacheDir: renderCache() });
    expect(r.resources).toBe(files.length);
    const expected = files.map((f) => {
      const lines = readFileSync(path.join(dir, f), 'utf8').split('\n');
      const i = lines.findIndex((l) => l.includes('# typo'));
      return { file: f, line: i + 1, key: lines[i]!.trim().split(':')[0] };
    });
    expect(r.findings.map((f) => ({ file: path.basename(f.file), line: f.line, rule: f.rule }))).toEqual(
      expect.arrayContaining(
        expected.map((e) => ({ file: e.file, line: e.line, rule: 'schema/unknown-field' })),
      ),
    );
    // A misspelt required field is also reported missing; nothing else is.
    expect(r.findings.filter((f) => f.rule === 'schema/unknown-field')).toHaveLength(files.length);
    expect(r.findings.filter((f) => !['schema/unknown-field', 'schema/required'].includes(f.rule))).toEqual(
      [],
    );
    for (const e of expected)
      expect(
        r.findings.find((f) => path.basename(f.file) === e.file && f.rule === 'schema/unknown-field')!
          .message,
      ).toContain(`unknown field "${e.key}"`);
  });

  it('upstream example CRs from the operators’ own docs and samples pass', async () => {
    const dir = path.join(FIXTURES, 'upstream');
    const r = await validate({ cwd: REPO_ROOT, files: [dir], rules: [], registry, cacheDir: renderCache() });
    expect(r.resources).toBeGreaterThanOrEqual(20);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('vendor-crds: regenerating the schemas from CRD files', () => {
  const crd = (group: string, kind: string, props: Record<string, unknown>) =>
    [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      `metadata: { name: ${kind.toLowerCase()}s.${group} }`,
      'spec:',
      `  group: ${group}`,
      `  names: { kind: ${kind} }`,
      '  versions:',
      '    - name: v1',
      '      served: true',
      '      schema:',
      `        openAPIV3Schema: ${JSON.stringify({ type: 'object', properties: { spec: { type: 'object', properties: props } } })}`,
      '    - name: v1alpha1',
      '      served: false',
      '      schema:',
      '        openAPIV3Schema: { type: object }',
    ].join('\n');
  let dir: string;
  let vendorDir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vendor-crds-'));
    vendorDir = path.join(dir, 'vendor');
    mkdirSync(vendorDir);
    const manifest = {
      about: 'test',
      sources: [
        {
          name: 'example',
          title: 'Example operator',
          version: '1.0.0',
          url: 'https://github.com/example/operator/tree/v1.0.0/crds',
          license: 'Apache-2.0',
          groups: ['example.com'],
        },
      ],
      schemas: {},
    };
    writeFileSync(path.join(vendorDir, 'manifest.json'), JSON.stringify(manifest));
    writeFileSync(
      path.join(dir, 'widgets.yaml'),
      crd('example.com', 'Widget', { size: { type: 'integer' } }),
    );
    writeFileSync(path.join(dir, 'other.yaml'), crd('other.io', 'Gadget', {}));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes served versions of the claimed groups and records them in the manifest', () => {
    const r = vendorCrds({
      inputs: [path.join(dir, 'widgets.yaml'), path.join(dir, 'other.yaml')],
      vendorDir,
      source: 'example',
      version: '2.0.0',
    });
    expect(r.written).toEqual([
      { key: 'example.com/v1/Widget', file: 'example.com_Widget_v1.json', source: 'example' },
    ]);
    const manifest = readVendorManifest(vendorDir);
    expect(manifest.sources[0]).toMatchObject({ name: 'example', version: '2.0.0' });
    expect(manifest.schemas).toEqual({
      'example.com/v1/Widget': { file: 'example.com_Widget_v1.json', source: 'example', crd: 'widgets.yaml' },
    });
    const reg = createSchemaRegistry({ vendorDir });
    return reg.prepare([{ apiVersion: 'example.com/v1', kind: 'Widget' }]).then(() => {
      expect(reg.validate({ ...cr({ size: 1 }), apiVersion: 'example.com/v1', kind: 'Widget' })).toEqual([]);
      expect(reg.validate({ ...cr({ sise: 1 }), apiVersion: 'example.com/v1', kind: 'Widget' })).toEqual([
        expect.objectContaining({ keyword: 'unknown-field', path: ['spec', 'sise'] }),
      ]);
    });
  });

  it('bad YAML: an error naming file and line, and nothing written', () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'kind: CustomResourceDefinition\nspec:\n  group: [unclosed\n');
    const before = readFileSync(path.join(vendorDir, 'manifest.json'), 'utf8');
    expect(() => vendorCrds({ inputs: [path.join(dir, 'widgets.yaml'), bad], vendorDir })).toThrow(
      /bad\.yaml:\d+: not valid YAML/,
    );
    expect(readFileSync(path.join(vendorDir, 'manifest.json'), 'utf8')).toBe(before);
  });

  it('flags: an unknown source and a missing --from are usage errors; --help prints usage', async () => {
    const io = {
      stdout: (t: string) => out.push(t),
      stderr: () => {},
      env: {},
      cwd: dir,
      interactive: false,
    };
    const out: string[] = [];
    expect(() => vendorCrds({ inputs: [dir], vendorDir, source: 'nope' })).toThrow(
      /--source nope is not a source/,
    );
    await expect(main([], io)).rejects.toThrow(/--from is required/);
    expect(await main(['--help'], io)).toBe(0);
    expect(out.join('')).toContain('Nothing is downloaded');
  });
});
