import { groupOf } from '../../repo/resource.ts';
import { cachedKindIndex, SCHEMA_CACHE_DIR } from './kind-index.ts';
import { readVendorManifest } from './vendored-schemas.ts';

let cached: Set<string> | undefined;

/**
 * `group/Kind` of every kind with a schema: the npm model packages' and the vendored operator CRDs'
 * (core kinds have group ''). Built once per process, and only when a rule asks.
 */
export function modelledKinds(): ReadonlySet<string> {
  cached ??= new Set([
    ...cachedKindIndex(SCHEMA_CACHE_DIR).map((e) => `${groupOf(e.apiVersion)}/${e.kind}`),
    ...Object.keys(readVendorManifest().schemas).map((key) => {
      const cut = key.lastIndexOf('/');
      return `${groupOf(key.slice(0, cut))}/${key.slice(cut + 1)}`;
    }),
  ]);
  return cached;
}
