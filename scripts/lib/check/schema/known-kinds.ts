import { buildKindIndex } from './kind-index.ts';

let cached: Set<string> | undefined;

/**
 * `group/Kind` of every kind the schema packages model (core kinds have group ''). Built once per
 * process, and only when a rule asks: scanning the packages costs a fraction of a second.
 */
export function modelledKinds(): ReadonlySet<string> {
  cached ??= new Set(
    buildKindIndex().map((e) => `${e.apiVersion.includes('/') ? e.apiVersion.split('/')[0] : ''}/${e.kind}`),
  );
  return cached;
}
