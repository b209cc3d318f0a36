import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { requireWithCodeCache } from '../../bundle/code-cached-require.ts';
import { writeFileAtomic } from '../../cli/write-file-atomic.ts';
import { TOOL_ROOT } from '../../repo/repo-root.ts';
import type { Ajv, ErrorObject } from 'ajv';
import { newAjv, standaloneCode } from './ajv-on-demand.ts';
import { packageVersion } from './kind-index.ts';

/** An operator whose published CRDs are vendored, at the version this repository pins. */
export interface VendoredSource {
  name: string;
  title: string;
  version: string;
  /** Where the CRD files were taken from (a tagged tree). */
  url: string;
  license: string;
  /** API groups whose CRDs belong to this source; CRDs of other groups are not vendored. */
  groups: string[];
  /** The pin in this repository that this version follows. */
  pinnedAs?: string;
  note?: string;
}

export interface VendoredSchema {
  /** File in the vendor directory holding the JSON Schema. */
  file: string;
  source: string;
  /** The CRD file it was generated from. */
  crd: string;
  /** Patterns JavaScript cannot compile, dropped from this schema. */
  droppedPatterns?: number;
}

export interface VendorManifest {
  about: string;
  sources: VendoredSource[];
  /** `apiVersion/Kind` → its schema. */
  schemas: Record<string, VendoredSchema>;
}

export type ValidatorFn = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

// From the tool's root, not this module's folder: this module also runs from the compiled bundle.
export const VENDOR_DIR = path.join(TOOL_ROOT, 'scripts', 'lib', 'check', 'schema', 'vendor');
export const MANIFEST_FILE = 'manifest.json';

const require = createRequire(import.meta.url);
const AJV_DIST = path.dirname(require.resolve('ajv/dist/ajv.js'));
const AJV_OPTIONS = { allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false } as const;

export function readVendorManifest(dir: string = VENDOR_DIR): VendorManifest {
  return JSON.parse(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as VendorManifest;
}

/**
 * Compiles vendored schemas on demand. Compiling the largest (Strimzi's Kafka) takes most of a
 * second, so with a cache directory the compiled validator is kept there as a standalone module,
 * keyed by the schema's content and the ajv version, and later runs import it instead.
 */
export class VendoredValidators {
  private ajv: Ajv | undefined;
  private readonly cacheDir: string | undefined;

  constructor(
    private readonly dir: string = VENDOR_DIR,
    cacheDir?: string,
  ) {
    this.cacheDir = cacheDir ? path.join(cacheDir, 'vendored') : undefined;
  }

  load(entry: VendoredSchema): ValidatorFn {
    const text = readFileSync(path.join(this.dir, entry.file), 'utf8');
    if (!this.cacheDir) return this.compiler().compile(JSON.parse(text) as object) as ValidatorFn;
    const key = createHash('sha256')
      .update(`${packageVersion('ajv')}\0${JSON.stringify(AJV_OPTIONS)}\0${text}`)
      .digest('hex')
      .slice(0, 32);
    const cached = path.join(this.cacheDir, `${key}.cjs`);
    try {
      return (requireWithCodeCache(cached) as { default: ValidatorFn }).default;
    } catch {
      // not cached yet, or unreadable: compile and (re)write it
    }
    const ajv = this.compiler();
    const validate = ajv.compile(JSON.parse(text) as object) as ValidatorFn;
    try {
      mkdirSync(this.cacheDir, { recursive: true });
      // The module requires ajv's runtime helpers; point it at this ajv wherever the cache lives.
      const code = standaloneCode(ajv, validate).replaceAll(
        'require("ajv/dist/',
        `require(${JSON.stringify(AJV_DIST)}+"/`,
      );
      writeFileAtomic(cached, code);
    } catch {
      // an unwritable cache only costs speed
    }
    return validate;
  }

  private compiler(): Ajv {
    this.ajv ??= newAjv({
      ...AJV_OPTIONS,
      ...(this.cacheDir ? { code: { source: true } } : {}),
    });
    return this.ajv;
  }
}
