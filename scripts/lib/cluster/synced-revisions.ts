/**
 * What an Application's status says it is synced to, as Argo CD writes it (controller/state.go):
 * `sync.revision` for one source, `sync.revisions` in source order for several; a git source's
 * commit, but a Helm chart source's version.
 */
export interface SyncedRevisions {
  all: string[];
  /** The git commits among them: a chart-only Application has none, whatever commit is deployed. */
  commits: string[];
}

const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export function syncedRevisions(
  status: { sync?: { revision?: string; revisions?: string[] } } | undefined,
): SyncedRevisions {
  const sync = status?.sync;
  const all = sync?.revisions ?? (sync?.revision ? [sync.revision] : []);
  return { all, commits: all.filter((r) => COMMIT.test(r)) };
}
