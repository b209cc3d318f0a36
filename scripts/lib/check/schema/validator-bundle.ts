import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import { importBundle } from '../../bundle/node-module-bundle.ts';
import { writeFileAtomic } from '../../cli/write-file-atomic.ts';
import type { KindEntry } from './kind-index.ts';
import type { ValidatorFn } from './vendored-schemas.ts';

/**
 * The model packages' compiled validators, loaded as one module. Each kind's validator is an ES
 * module importing dozens of others: loading the 40 kinds of this repository file by file opens
 * about 2,000 files and takes ~450 ms of a run; one bundle of them loads in ~150 ms. The bundle
 * holds every kind a run of this tool has asked for (so it grows to what the repository uses and
 * is then rebuilt only when a kind appears), keyed by the packages' versions, and is built with
 * esbuild on the run that first needs a kind it lacks. Anything that goes wrong here only costs
 * speed: the validators then load file by file, as without a cache.
 */
export class ValidatorBundle {
  private readonly manifestPath: string | undefined;
  private loaded: { manifest: Manifest; module: Record<string, ValidatorFn> } | undefined;

  private readonly key: string;

  /**
   * @param dir where bundles live; undefined loads file by file
   * @param key what the validators depend on (the model packages' versions)
   */
  constructor(
    private readonly dir: string | undefined,
    key: string,
  ) {
    this.manifestPath = dir ? path.join(dir, 'current.json') : undefined;
    // The bundle requires re2-wasm by absolute path (a checkout moved elsewhere needs a new one),
    // on first use (bundles that imported it on load are superseded).
    this.key = `${key}\0${re2Location()}\0re2-on-first-use`;
  }

  /** Each entry's validator, by `apiVersion/kind`. */
  async load(entries: readonly KindEntry[]): Promise<Map<string, ValidatorFn>> {
    if (entries.length === 0) return new Map();
    if (this.dir) {
      try {
        return await this.fromBundle(entries);
      } catch {
        // no esbuild, an unwritable or half-pruned cache: file by file below
      }
    }
    return fileByFile(entries);
  }

  private async fromBundle(entries: readonly KindEntry[]): Promise<Map<string, ValidatorFn>> {
    if (!this.loaded || !holds(this.loaded.manifest, entries)) {
      const previous = this.loaded?.manifest ?? this.readManifest();
      const wanted = previous && holds(previous, entries) ? previous : this.union(previous, entries);
      let loaded;
      try {
        loaded = await importBundle(
          this.dir!,
          `${this.key}\0${wanted.validators.join('\0')}`,
          () =>
            wanted.validators
              .map((v, i) => `export { validate as v${i} } from ${JSON.stringify(v)};`)
              .join('\n'),
          wanted.kinds.map((_, i) => `v${i}`),
          // CommonJS, so V8's code cache of the validators is kept: their first calls compile them.
          { plugins: [RE2_ON_FIRST_USE], format: 'cjs' },
        );
      } catch (err) {
        // The manifest names a bundle that is gone now: the next run starts again.
        rmSync(this.manifestPath!, { force: true });
        throw err;
      }
      const manifest = { ...wanted, file: loaded.file };
      if (manifest.file !== previous?.file || wanted !== previous)
        writeFileAtomic(this.manifestPath!, JSON.stringify(manifest));
      this.loaded = { manifest, module: loaded.module as Record<string, ValidatorFn> };
    }
    const { manifest, module } = this.loaded;
    return new Map(entries.map((e) => [kindKey(e), module[`v${manifest.kinds.indexOf(kindKey(e))}`]!]));
  }

  private readManifest(): Manifest | undefined {
    try {
      const m = JSON.parse(readFileSync(this.manifestPath!, 'utf8')) as Manifest;
      return m.key === this.key && Array.isArray(m.kinds) && Array.isArray(m.validators) ? m : undefined;
    } catch {
      return undefined;
    }
  }

  /** The previous bundle's kinds and these, sorted. */
  private union(previous: Manifest | undefined, entries: readonly KindEntry[]): Omit<Manifest, 'file'> {
    const byKind = new Map<string, string>();
    previous?.kinds.forEach((k, i) => byKind.set(k, previous.validators[i]!));
    for (const e of entries) byKind.set(kindKey(e), e.validator);
    const kinds = [...byKind.keys()].sort();
    return { key: this.key, kinds, validators: kinds.map((k) => byKind.get(k)!) };
  }
}

interface Manifest {
  key: string;
  /** The bundle's file in the folder. */
  file: string;
  /** `apiVersion/kind`, sorted; kind i is the bundle's export `v<i>`. */
  kinds: string[];
  /** The validator module each kind came from. */
  validators: string[];
}

const kindKey = (e: KindEntry) => `${e.apiVersion}/${e.kind}`;
const holds = (m: Pick<Manifest, 'kinds'>, entries: readonly KindEntry[]) =>
  entries.every((e) => m.kinds.includes(kindKey(e)));

async function fileByFile(entries: readonly KindEntry[]): Promise<Map<string, ValidatorFn>> {
  const mods = await Promise.all(
    entries.map((e) => import(pathToFileURL(e.validator).href) as Promise<{ validate: ValidatorFn }>),
  );
  return new Map(entries.map((e, i) => [kindKey(e), mods[i]!.validate]));
}

const requireHere = createRequire(import.meta.url);

/**
 * Where re2-wasm is, for the bundle's key; '' where this folder does not see it (a bundle that
 * then no longer loads, after a move, is dropped and built again).
 */
function re2Location(): string {
  try {
    return requireHere.resolve('re2-wasm');
  } catch {
    return '';
  }
}

/**
 * re2-wasm reads its .wasm file from beside its own code, so it stays outside the bundle, required
 * by absolute path (the bundle then works from any cache folder) when a pattern is first tested:
 * loading it compiles its WebAssembly, ~100 ms of every run, for the one pattern in all the models
 * JavaScript cannot read (a PrometheusRule group's partial_response_strategy), which most runs
 * never test. The validators only construct patterns and call `test`; the stand-in forwards
 * everything to the real RE2 all the same.
 */
const RE2_ON_FIRST_USE: Plugin = {
  name: 're2-on-first-use',
  setup(build) {
    build.onResolve({ filter: /^re2-wasm$/ }, (args) => ({
      path: createRequire(args.importer).resolve(args.path),
      namespace: 're2-on-first-use',
    }));
    build.onLoad({ filter: /.*/, namespace: 're2-on-first-use' }, (args) => ({
      loader: 'js',
      contents: `import { createRequire } from 'node:module';
const file = ${JSON.stringify(args.path)};
let Real;
export function RE2(source, flags) {
  let re;
  const real = () => (re ??= new (Real ??= createRequire(file)(file).RE2)(source, flags));
  return new Proxy({}, {
    get(_, key) { const r = real(); const v = Reflect.get(r, key, r); return typeof v === 'function' ? v.bind(r) : v; },
    set(_, key, value) { return Reflect.set(real(), key, value); },
  });
}`,
    }));
  },
};
