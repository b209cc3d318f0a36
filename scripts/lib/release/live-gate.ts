import { openKubeApi } from '../cluster/kube-api.ts';
import { loadSnapshot } from '../cluster/snapshot.ts';
import { syncedRevisions } from '../cluster/synced-revisions.ts';
import { ToolError } from '../errors.ts';
import { isApplication } from '../repo/application.ts';
import type { Environment } from '../repo/settings.ts';
import type { Clock } from '../time/clock.ts';
import type { Git } from './git.ts';

export type LiveGate =
  | { status: 'passed'; detail: string }
  /** The check could not be made (no kube context, credentials refused, unreachable, timeout). */
  | { status: 'unavailable'; detail: string }
  | { status: 'failed'; detail: string; problems: string[] };

export interface LiveGateOptions {
  env: Environment;
  /** The Applications the environment's app tree has: each must be in the cluster. */
  expected: readonly string[];
  /** `kubectl get applications -o yaml` output standing in for the cluster. */
  snapshot?: string;
  kubeconfig?: string;
  context?: string;
  /** The commit that carries the pins being promoted: apps must run it or a later commit. */
  pinCommit: string;
  git: Git;
  clock?: Clock;
  /** KUBECONFIG and HOME come from here. */
  processEnv?: NodeJS.ProcessEnv;
}

interface AppStatus {
  metadata?: { name?: string };
  status?: {
    sync?: { status?: string; revision?: string; revisions?: string[] };
    health?: { status?: string };
  };
}

/**
 * The source environment must be Synced and Healthy at a revision that carries the pins: every
 * Application of its app tree present, Synced, Healthy, at the pin commit or later. Reads the
 * Applications through the cluster module (or a snapshot). When the cluster cannot be read the
 * answer is `unavailable` with the reason: the caller stops, as a gate that cannot see is closed.
 */
export async function checkSourceLive(o: LiveGateOptions): Promise<LiveGate> {
  let apps: AppStatus[];
  if (o.snapshot) {
    apps = loadSnapshot(o.snapshot).filter(isApplication) as AppStatus[];
  } else {
    const context = o.context ?? o.env.kubeContext;
    try {
      const api = await openKubeApi({
        kubeconfig: o.kubeconfig,
        context,
        timeoutMs: 5000,
        maxAttempts: 2,
        ...(o.clock ? { clock: o.clock } : {}),
        ...(o.processEnv ? { env: o.processEnv } : {}),
      });
      const listed = await api.list([{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' }]);
      if (listed.forbidden.length)
        return {
          status: 'unavailable',
          detail: `the credentials for ${o.env.name} may not list Applications (403)`,
        };
      apps = listed.items.filter(
        (a) => (a.metadata?.namespace ?? o.env.argocdNamespace) === o.env.argocdNamespace,
      ) as AppStatus[];
    } catch (err) {
      if (err instanceof ToolError)
        return { status: 'unavailable', detail: `cannot read ${o.env.name}'s Applications: ${err.message}` };
      throw err;
    }
  }
  const problems: string[] = [];
  // Apps of one environment mostly run the same commit: git is asked once per revision.
  const descends = new Map<string, Promise<boolean>>();
  const carriesPins = (r: string) => {
    let p = descends.get(r);
    if (!p) descends.set(r, (p = o.git.isAncestor(o.pinCommit, r)));
    return p;
  };
  const present = new Set(apps.map((a) => a.metadata?.name));
  for (const name of o.expected) if (!present.has(name)) problems.push(`${name} is not in the cluster`);
  for (const a of apps) {
    const name = a.metadata?.name ?? '?';
    const sync = a.status?.sync?.status ?? 'Unknown';
    const health = a.status?.health?.status ?? 'Unknown';
    if (sync !== 'Synced' || health !== 'Healthy') {
      problems.push(`${name} is ${sync}/${health}`);
      continue;
    }
    // Chart-only apps report chart versions as revisions; only git shas are checked against history.
    const shas = syncedRevisions(a.status).commits;
    if (shas.length && !(await anyCarriesPins(shas, carriesPins)))
      problems.push(
        `${name} runs ${shas[0]!.slice(0, 12)}, not the commit carrying the pins (${o.pinCommit.slice(0, 12)}) or later`,
      );
  }
  if (problems.length)
    return {
      status: 'failed',
      detail: `${o.env.name} is not Synced and Healthy at the pinned revision`,
      problems,
    };
  return { status: 'passed', detail: `${apps.length} Applications of ${o.env.name} Synced and Healthy` };
}

async function anyCarriesPins(
  revisions: string[],
  carriesPins: (r: string) => Promise<boolean>,
): Promise<boolean> {
  for (const r of revisions) if (await carriesPins(r)) return true;
  return false;
}
