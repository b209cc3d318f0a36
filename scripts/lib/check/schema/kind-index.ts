import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { SCHEMA_PACKAGES } from './schema-packages.ts';

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
