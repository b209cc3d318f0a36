import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { newAjv } from './ajv-on-demand.ts';
import { writeFileAtomic } from '../../cli/write-file-atomic.ts';
import { shapeFromOpenApi, toJsonSchema } from './crd-shapes.ts';
import { ANY, emptyGraph, findUnknownFields, type Shape } from './field-shape.ts';
import { cachedKindIndex, packageVersion, schemaPackagesKey, type KindEntry } from './kind-index.ts';
import { SCHEMA_PACKAGES } from './schema-packages.ts';
import { ValidatorBundle } from './validator-bundle.ts';
import { readVendorManifest, VENDOR_DIR, VendoredValidators, type ValidatorFn } from './vendored-schemas.ts';

export interface SchemaIssue {
  path: (string | number)[];
  keyword: 'unknown-field' | 'type' | 'required' | 'enum' | 'format' | 'other';
  message: string;
}

export interface SchemaRegistry {
  /** Loads validators and field shapes for these kinds (once each); call before validate(). */
  prepare(kinds: { apiVersion: string; kind: string }[]): Promise<void>;
  /** Issues for one object, or null when no schema is known for its apiVersion/kind (or it was not prepared). */
  validate(obj: Record<string, unknown>): SchemaIssue[] | null;
  has(apiVersion: string, kind: string): boolean;
  /** Teaches the registry a CustomResourceDefinition found in the repo. */
  addCustomResourceDefinition(crd: Record<string, unknown>): void;
  sources(): { package: string; version: string; describes: string; kinds: number }[];
}

interface CacheFile {
  key: string;
  shapes: Shape[];
  roots: Record<string, number>;
}

const CACHE_FORMAT = 3;

export { SCHEMA_CACHE_DIR } from './kind-index.ts';

/**
 * Schemas from the npm model packages: their ajv-compiled validators check types, enums, formats
 * and required fields; the known-field shapes derived from their declarations reject unknown fields,
 * as `kubectl --validate=strict` does. Operators' custom resources come from JSON Schemas vendored
 * from their CRDs (vendor/manifest.json), which reject unknown fields themselves. Everything loads
 * lazily per kind; the kind index, the derived shapes, a bundle of the model validators used so far
 * and the compiled vendored validators persist in `cacheDir`, so a warm run never loads the
 * TypeScript parser, compiles a large schema or opens the packages' files one by one.
 * GITOPS_VALIDATOR_BUNDLE=0 loads the model validators file by file (the test workers, which keep
 * them loaded between test files, do).
 */
export function createSchemaRegistry(opts: { cacheDir?: string; vendorDir?: string } = {}): SchemaRegistry {
  const versions = schemaPackagesKey();
  const cacheKey = `${CACHE_FORMAT}:${versions}`;
  const cachePath = opts.cacheDir ? path.join(opts.cacheDir, 'shapes.json') : undefined;
  let cache = readCache(cachePath, cacheKey);
  let dirty = false;
  const index = new Map<string, KindEntry>();
  const entries = cachedKindIndex(opts.cacheDir);
  if (!cache) dirty = true;
  for (const e of entries) index.set(`${e.apiVersion}/${e.kind}`, e);
  const bundle = new ValidatorBundle(
    opts.cacheDir && process.env.GITOPS_VALIDATOR_BUNDLE !== '0'
      ? path.join(opts.cacheDir, 'validators')
      : undefined,
    versions,
  );
  const shapes: Shape[] = cache?.shapes ?? emptyGraph();
  const roots = new Map<string, number>(Object.entries(cache?.roots ?? {}));
  const validators = new Map<string, ValidatorFn>();
  const crds = new Map<string, { validator: ValidateFunction; root: number }>();
  const vendorDir = opts.vendorDir ?? VENDOR_DIR;
  const vendor = readVendorManifest(vendorDir);
  const vendored = new VendoredValidators(vendorDir, opts.cacheDir);
  const vendoredValidators = new Map<string, ValidatorFn>();
  let declarations: import('./declaration-shapes.ts').DeclarationShapes | undefined;
  let ajv: Ajv | undefined;

  const keyOf = (apiVersion: string, kind: string) => `${apiVersion}/${kind}`;

  return {
    async prepare(kinds) {
      const wanted = new Map<string, KindEntry>();
      for (const { apiVersion, kind } of kinds) {
        const key = keyOf(apiVersion, kind);
        const fromVendor = vendor.schemas[key];
        if (fromVendor && !vendoredValidators.has(key) && !crds.has(key)) {
          vendoredValidators.set(key, vendored.load(fromVendor));
          continue;
        }
        const entry = index.get(key);
        if (!entry || validators.has(key) || crds.has(key)) continue;
        wanted.set(key, entry);
      }
      for (const [key, validate] of await bundle.load([...wanted.values()])) validators.set(key, validate);
      for (const [key, entry] of wanted) {
        if (!roots.has(key)) {
          if (!declarations) {
            const { DeclarationShapes } = await import('./declaration-shapes.ts');
            declarations = new DeclarationShapes(shapes);
          }
          roots.set(key, declarations.shapeOf(entry.declaration, `I${entry.kind}`));
          dirty = true;
        }
      }
      if (dirty && cachePath) {
        writeCache(cachePath, {
          key: cacheKey,
          shapes,
          roots: Object.fromEntries(roots),
        });
        dirty = false;
      }
    },

    validate(obj) {
      const apiVersion = String(obj.apiVersion ?? '');
      const kind = String(obj.kind ?? '');
      const key = keyOf(apiVersion, kind);
      const crd = crds.get(key);
      const fromVendor = crd ? undefined : vendoredValidators.get(key);
      const validator = crd?.validator ?? fromVendor ?? validators.get(key);
      // Vendored schemas reject unknown fields through ajv (additionalProperties), not shapes.
      const root = crd?.root ?? (fromVendor ? ANY : roots.get(key));
      if (!validator || root === undefined) return null;
      const issues: SchemaIssue[] = [];
      for (const u of findUnknownFields(obj, root, shapes)) {
        issues.push({
          path: u.path,
          keyword: 'unknown-field',
          message: `unknown field "${u.key}" at ${formatPath(u.path)}`,
        });
      }
      if (!validator(obj)) issues.push(...describeErrors(validator.errors ?? [], issues));
      return issues;
    },

    has(apiVersion, kind) {
      const key = keyOf(apiVersion, kind);
      return index.has(key) || crds.has(key) || key in vendor.schemas;
    },

    addCustomResourceDefinition(crd) {
      const spec = crd.spec as
        | {
            group?: string;
            names?: { kind?: string };
            versions?: { name: string; schema?: { openAPIV3Schema?: unknown } }[];
          }
        | undefined;
      if (!spec?.group || !spec.names?.kind) return;
      for (const v of spec.versions ?? []) {
        const schema = v.schema?.openAPIV3Schema as Record<string, unknown> | undefined;
        if (!schema) continue;
        const key = keyOf(`${spec.group}/${v.name}`, spec.names.kind);
        if (crds.has(key)) continue;
        ajv ??= newAjv({ allErrors: true, strict: false, validateFormats: false });
        const props = { ...((schema.properties as Record<string, unknown>) ?? {}) };
        // apiVersion, kind and metadata are the API server's, whatever the CRD says about them.
        props.apiVersion = { type: 'string' };
        props.kind = { type: 'string' };
        props.metadata = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
        const full = { ...schema, type: 'object', properties: props };
        crds.set(key, {
          validator: ajv.compile(toJsonSchema(full) as object),
          root: shapeFromOpenApi(full as never, shapes),
        });
      }
    },

    sources() {
      const kindsOf = (source: string) =>
        Object.values(vendor.schemas).filter((s) => s.source === source).length;
      return [
        ...SCHEMA_PACKAGES.map((p) => ({
          package: p.name,
          version: packageVersion(p.name),
          describes: p.describes,
          kinds: [...index.values()].filter((e) => e.package === p.name).length,
        })),
        ...vendor.sources.map((s) => ({
          package: `vendored: ${s.name}`,
          version: s.version,
          describes: `${s.title} CRDs (${s.license}, ${s.url})`,
          kinds: kindsOf(s.name),
        })),
      ];
    },
  };
}

function formatPath(p: (string | number)[]): string {
  return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('') || '(root)';
}

function pathOf(instancePath: string): (string | number)[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** ajv errors as one message per field; branch noise from anyOf/oneOf collapses to one line. */
function describeErrors(errors: ErrorObject[], already: SchemaIssue[]): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  const seen = new Set(already.map((i) => formatPath(i.path)));
  const hasBranchError = new Set(
    errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => e.instancePath),
  );
  for (const e of errors) {
    let p = pathOf(e.instancePath);
    let keyword: SchemaIssue['keyword'] = 'other';
    let message: string;
    switch (e.keyword) {
      case 'type':
        keyword = 'type';
        message = `${formatPath(p)}: must be ${(e.params as { type: string }).type}`;
        break;
      case 'required': {
        keyword = 'required';
        const missing = (e.params as { missingProperty: string }).missingProperty;
        message = `${formatPath(p)}: missing required field "${missing}"`;
        break;
      }
      case 'enum':
        keyword = 'enum';
        message = `${formatPath(p)}: must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
        break;
      case 'format':
        keyword = 'format';
        message = `${formatPath(p)}: must be a valid ${(e.params as { format: string }).format}`;
        break;
      case 'additionalProperties': {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        p = [...p, extra];
        keyword = 'unknown-field';
        message = `unknown field "${extra}" at ${formatPath(p)}`;
        break;
      }
      case 'oneOf':
      case 'anyOf':
        message = `${formatPath(p)}: must match exactly one of the allowed forms`;
        break;
      default:
        // Errors inside a oneOf/anyOf branch are reported once, by the branch error itself.
        if ([...hasBranchError].some((bp) => e.instancePath.startsWith(bp))) continue;
        message = `${formatPath(p)}: ${e.message ?? e.keyword}`;
    }
    if (
      ['type', 'enum', 'format', 'required'].includes(e.keyword) &&
      [...hasBranchError].some((bp) => e.instancePath.startsWith(bp) && e.instancePath !== bp)
    )
      continue;
    const key = `${keyword}:${formatPath(p)}:${message}`;
    if (seen.has(key) || (keyword === 'unknown-field' && seen.has(formatPath(p)))) continue;
    seen.add(key);
    out.push({ path: p, keyword, message });
  }
  return out;
}

function readCache(file: string | undefined, key: string): CacheFile | undefined {
  if (!file) return undefined;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
    if (data.key !== key || !Array.isArray(data.shapes)) return undefined;
    return data;
  } catch {
    return undefined;
  }
}

function writeCache(file: string, data: CacheFile): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, JSON.stringify(data));
  } catch {
    // an unwritable cache only costs speed
  }
}
