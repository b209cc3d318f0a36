import { kubernetesMinor } from '../repo/kubernetes-version.ts';
import { API_LIFECYCLE, type ApiLifecycle, type ApiReplacement } from './api-lifecycle-table.ts';

/** How a cluster at the target version treats an apiVersion/kind that the lifecycle table lists. */
export interface ApiVerdict {
  state: 'removed' | 'deprecated';
  entry: ApiLifecycle;
  /** The replacement to name: the newest one the target serves, if any. */
  use?: ApiReplacement;
}

const BY_KIND = new Map<string, ApiLifecycle>(
  API_LIFECYCLE.flatMap((e) => e.kinds.map((k) => [`${e.apiVersion}/${k}`, e] as const)),
);

const minor = (v: string): number => kubernetesMinor(v) ?? Number.NaN;

/**
 * Removed when the target is at or past the release that stopped serving it, deprecated when it is
 * at or past the release that started warning; undefined when the target serves it plainly (or the
 * table does not list it).
 */
export function apiVerdict(
  apiVersion: string,
  kind: string,
  kubernetesVersion: string,
): ApiVerdict | undefined {
  const entry = BY_KIND.get(`${apiVersion}/${kind}`);
  const target = minor(kubernetesVersion);
  if (!entry || Number.isNaN(target)) return undefined;
  const state =
    entry.removed && target >= minor(entry.removed)
      ? 'removed'
      : entry.deprecated && target >= minor(entry.deprecated)
        ? 'deprecated'
        : undefined;
  if (!state) return undefined;
  const served = entry.replacements.filter(
    (r) => minor(r.since) <= target && (r.until === undefined || minor(r.until) > target),
  );
  const use = served.at(-1);
  return use ? { state, entry, use } : { state, entry };
}

/** True when a cluster at the target no longer serves this apiVersion/kind. */
export function apiRemoved(apiVersion: string, kind: string, kubernetesVersion: string): boolean {
  return apiVerdict(apiVersion, kind, kubernetesVersion)?.state === 'removed';
}

/** "use apps/v1 (served since 1.9)", or what to do when no replacement is served at the target. */
export function replacementAdvice(verdict: ApiVerdict, kubernetesVersion: string): string {
  const { use, entry } = verdict;
  if (use) return `use ${use.apiVersion}${use.kind ? ` ${use.kind}` : ''} (served since ${use.since})`;
  return entry.otherwise ?? `no replacement is served at ${kubernetesVersion}`;
}
