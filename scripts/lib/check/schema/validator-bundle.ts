import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../../cli/write-file-atomic.ts';
import type { Plugin } from 'esbuild';
import { bundleNodeModule, bundlerVersion } from '../../bundle/node-module-bundle.ts';
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

  /**
   * @param dir where bundles live; undefined loads file by file
   * @param key what the validators depend on (the model packages' versions)
   */
  private readonly key: string;

  constructor(
    private readonly dir: string | undefined,
    key: string,
  ) {
    this.manifestPath = dir ? path.join(dir, 'current.json') : undefined;
    // The bundle imports re2-wasm by absolute path: a checkout moved elsewhere needs a new one.
    this.key = `${key}\0${re2Location()}`;
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
    let manifest = this.loaded?.manifest ?? this.readManifest();
    if (!manifest || entries.some((e) => !manifest!.kinds.includes(kindKey(e)))) {
      manifest = await this.build(entries, manifest);
      this.loaded = undefined;
    }
    if (!this.loaded) {
      let module: Record<string, ValidatorFn>;
      try {
        module = (await import(pathToFileURL(path.join(this.dir!, manifest.file)).href)) as typeof module;
      } catch (err) {
        // A bundle that does not load is dropped, so the next run builds it again.
        rmSync(this.manifestPath!, { force: true });
        throw err;
      }
      this.loaded = { manifest, module };
    }
    const { module } = this.loaded;
    const out = new Map<string, ValidatorFn>();
    for (const e of entries) {
      const fn = module[`v${manifest.kinds.indexOf(kindKey(e))}`];
      if (typeof fn !== 'function') throw new Error(`bundle ${manifest.file} lacks ${kindKey(e)}`);
      out.set(kindKey(e), fn);
    }
    return out;
  }

  private readManifest(): Manifest | undefined {
    try {
      const m = JSON.parse(readFileSync(this.manifestPath!, 'utf8')) as Manifest;
      if (m.key !== this.key || !Array.isArray(m.kinds) || !Array.isArray(m.validators)) return undefined;
      statSync(path.join(this.dir!, m.file));
      return m;
    } catch {
      return undefined;
    }
  }

  /** A bundle of the previous bundle's kinds and these, and the manifest naming it. */
  private async build(entries: readonly KindEntry[], previous: Manifest | undefined): Promise<Manifest> {
    const byKind = new Map<string, string>();
    previous?.kinds.forEach((k, i) => byKind.set(k, previous.validators[i]!));
    for (const e of entries) byKind.set(kindKey(e), e.validator);
    const kinds = [...byKind.keys()].sort();
    const validators = kinds.map((k) => byKind.get(k)!);
    const file = `${createHash('sha256')
      .update(`${this.key}\0${bundlerVersion()}\0${validators.join('\0')}`)
      .digest('hex')
      .slice(0, 24)}.mjs`;
    // The bundle's imports resolve from its folder, which must exist.
    mkdirSync(this.dir!, { recursive: true });
    const text = await bundleNodeModule(
      validators.map((v, i) => `export { validate as v${i} } from ${JSON.stringify(v)};`).join('\n'),
      this.dir!,
      [RE2_BY_PATH],
    );
    writeFileAtomic(path.join(this.dir!, file), text);
    const manifest: Manifest = { key: this.key, file, kinds, validators };
    writeFileAtomic(this.manifestPath!, JSON.stringify(manifest));
    // Older bundles are superseded; a run still importing one has it open already.
    for (const name of readdirSync(this.dir!))
      if (name.endsWith('.mjs') && name !== file) rmSync(path.join(this.dir!, name), { force: true });
    return manifest;
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
 * re2-wasm reads its .wasm file from beside its own code, so it stays outside the bundle, imported
 * by absolute path: the bundle then works from any cache folder.
 */
const RE2_BY_PATH: Plugin = {
  name: 're2-by-path',
  setup(build) {
    build.onResolve({ filter: /^re2-wasm$/ }, (args) => ({
      path: pathToFileURL(createRequire(args.importer).resolve(args.path)).href,
      external: true,
    }));
  },
};
