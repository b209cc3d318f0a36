import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { writeFileAtomic } from '../../cli/write-file-atomic.ts';
import { toolCacheDir } from '../../repo/repo-root.ts';
import { SCHEMA_PACKAGES } from './schema-packages.ts';

/** Schemas depend on the tool's own packages, not on the repository checked: cache them beside those. */
export const SCHEMA_CACHE_DIR = toolCacheDir('gitops-schemas');

/** Where a kind's model lives in a package: its declaration file and its ajv-compiled validator. */
export interface KindEntry {
  apiVersion: string;
  kind: string;
  package: string;
  /** Absolute path of the `.d.ts` declaring the kind's interface. */
  declaration: string;
  /** Absolute path of the compiled validator module (`_schemas/*.js`). */
  validator: string;
}

const MODEL = /static\{this\.apiVersion="([^"]+)"\}static\{this\.kind="([^"]+)"\}/;
const VALIDATOR = /import\{validate\}from"([^"]*_schemas\/[^"]+)"/;

export function packageDir(name: string): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve(`${name}/package.json`));
}

export function packageVersion(name: string): string {
  return (
    JSON.parse(readFileSync(path.join(packageDir(name), 'package.json'), 'utf8')) as { version: string }
  ).version;
}

/**
 * Every top-level kind the schema packages model, found from their generated model classes
 * (each declares `static apiVersion` and `static kind` and imports its compiled validator).
 */
export function buildKindIndex(): KindEntry[] {
  const entries: KindEntry[] = [];
  for (const pkg of SCHEMA_PACKAGES) {
    const root = packageDir(pkg.name);
    const visit = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.name === '_schemas' || e.name === 'node_modules') continue;
        const full = path.join(dir, e.name);
        if (e.isDirectory()) visit(full);
        else if (e.name.endsWith('.js') && e.name !== 'index.js' && !e.name.endsWith('List.js')) {
          const text = readFileSync(full, 'utf8');
          const model = MODEL.exec(text);
          const validator = VALIDATOR.exec(text);
          if (!model || !validator) continue;
          entries.push({
            apiVersion: model[1]!,
            kind: model[2]!,
            package: pkg.name,
            declaration: full.replace(/\.js$/, '.d.ts'),
            validator: path.resolve(path.dirname(full), validator[1]!),
          });
        }
      }
    };
    visit(root);
  }
  return entries;
}

/** The schema packages and their versions: what the kind index and everything built from it depend on. */
export function schemaPackagesKey(): string {
  return SCHEMA_PACKAGES.map((p) => `${p.name}@${packageVersion(p.name)}`).join(',');
}

/**
 * The kind index, kept in `cacheDir` for the packages' versions: scanning them reads ~1,600 files,
 * a tenth of a second that every run would otherwise spend.
 */
export function cachedKindIndex(cacheDir: string | undefined): KindEntry[] {
  if (!cacheDir) return buildKindIndex();
  const file = path.join(cacheDir, 'kinds.json');
  // The entries name files by absolute path: a checkout moved with its cache scans again.
  const key = `${schemaPackagesKey()}\0${packageDir(SCHEMA_PACKAGES[0]!.name)}`;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { key: string; index: KindEntry[] };
    if (data.key === key && Array.isArray(data.index)) return data.index;
  } catch {
    // not cached yet, or unreadable: scan below
  }
  const index = buildKindIndex();
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileAtomic(file, JSON.stringify({ key, index }));
  } catch {
    // an unwritable cache only costs speed
  }
  return index;
}
