import { createRequire } from 'node:module';
import type { Ajv, Options } from 'ajv';

/**
 * ajv's schema compiler, loaded on first use: it is ~110 CommonJS files, ~50 ms of every start,
 * and a warm run compiles nothing (the validators it uses are precompiled and need only ajv's
 * small runtime).
 */
const require = createRequire(import.meta.url);

/** The JSON Schema drafts a schema can declare in `$schema`; anything else compiles as draft-07. */
export type Draft = 'draft-07' | '2019-09' | '2020-12';

const MODULES: Record<Draft, string> = {
  'draft-07': 'ajv',
  '2019-09': 'ajv/dist/2019.js',
  '2020-12': 'ajv/dist/2020.js',
};

export function newAjv(options: Options, draft: Draft = 'draft-07'): Ajv {
  const mod = require(MODULES[draft]) as { default: new (o: Options) => Ajv };
  return new mod.default(options);
}

/** The source of a CommonJS module exporting `validate`, compiled by `ajv` (made with `code.source`). */
export function standaloneCode(ajv: Ajv, validate: unknown): string {
  const mod = require('ajv/dist/standalone/index.js') as {
    default: (ajv: Ajv, validate: unknown) => string;
  };
  return mod.default(ajv, validate);
}
