import type { KubeObject } from '../repo/resource.ts';
import { builtinHealth, type Health } from './builtin-health.ts';
import { objectId } from './diff-resources.ts';
import { runLuaHealth } from './lua-health.ts';
import { syncedRevisions } from './synced-revisions.ts';

export interface AppRow {
  name: string;
  parent: string;
  depth: number;
  sync: string;
  health: string;
  revision?: string;
  operation?: string;
  message?: string;
  /** Resources of this app that are not Healthy, with why. */
  resources: { id: string; status: string; message: string }[];
  /** Resources whose kind the live source does not hold (not in the snapshot, or not listable): not judged. */
  unread: number;
  ok: boolean;
}

/** What an app must reach, as `argocd app wait --sync / --health` (both by default). */
export type WaitFor = 'sync' | 'health' | 'both';

export interface HealthInput {
  /** The environment's Applications from the repo walk: name and parent. */
  tree: { name: string; parent: string }[];
  /** Live Application objects. */
  liveApps: KubeObject[];
  /** Desired resources per Application name. */
  desiredByApp: Map<string, KubeObject[]>;
  live: KubeObject[];
  /** argocd-cm `resource.customizations.health.<group>_<Kind>` scripts, keyed `<group>_<Kind>`. */
  lua: Map<string, string>;
  revision?: string;
  /**
   * `group/Kind`s the live source cannot show (a snapshot without them, a kind the credentials may not
   * list): resources of these kinds are neither Missing nor unhealthy, only counted as unread.
   */
  unreadKinds?: ReadonlySet<string>;
  /** Only these Applications (default: all). */
  apps?: readonly string[];
  waitFor?: WaitFor;
}

export const groupKind = (o: KubeObject) =>
  `${o.apiVersion?.includes('/') ? o.apiVersion.split('/')[0] : ''}/${o.kind}`;

/** Pure: one row per Application (children under parents), each with the resources that keep it from Healthy. */
export function assessHealth(input: HealthInput): { rows: AppRow[]; ok: boolean } {
  const liveByName = new Map(
    input.liveApps.map((a) => [a.metadata?.name, a as KubeObject & { status?: any }]),
  );
  const liveById = new Map(input.live.map((o) => [objectId(o), o]));
  const rows: AppRow[] = [];
  const visit = (parent: string, depth: number) => {
    for (const node of input.tree
      .filter((n) => n.parent === parent)
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const app = liveByName.get(node.name);
      const st = app?.status ?? {};
      const revision: string | undefined = st.sync?.revision ?? st.sync?.revisions?.[0];
      const row: AppRow = {
        name: node.name,
        parent,
        depth,
        sync: app ? (st.sync?.status ?? 'Unknown') : 'Missing',
        health: app ? (st.health?.status ?? 'Unknown') : 'Missing',
        ...(revision ? { revision } : {}),
        ...(st.operationState?.phase ? { operation: st.operationState.phase } : {}),
        resources: [],
        unread: 0,
        ok: false,
      };
      const message =
        st.operationState?.phase && st.operationState.phase !== 'Succeeded'
          ? st.operationState.message
          : (((st.conditions ?? []) as { message?: string }[])[0]?.message ?? st.health?.message);
      if (message) row.message = message;
      for (const want of input.desiredByApp.get(node.name) ?? []) {
        if (input.unreadKinds?.has(groupKind(want))) {
          row.unread++;
          continue;
        }
        const id = objectId(want);
        const got = liveById.get(id);
        const health = got
          ? resourceHealth(got, input.lua)
          : { status: 'Missing', message: 'not in the cluster' };
        if (health && health.status !== 'Healthy')
          row.resources.push({
            id: `${want.kind} ${want.metadata?.namespace ? `${want.metadata.namespace}/` : ''}${want.metadata?.name}`,
            status: health.status,
            message: health.message,
          });
      }
      // A chart-only Application is synced to a chart version: no commit to wait for.
      const { all, commits } = syncedRevisions(st);
      const atRevision = !input.revision || commits.length === 0 || commits.includes(input.revision);
      const waitFor = input.waitFor ?? 'both';
      const synced = row.sync === 'Synced' && atRevision && Boolean(all.length || !input.revision);
      const healthy = row.health === 'Healthy';
      row.ok = waitFor === 'sync' ? synced : waitFor === 'health' ? healthy : synced && healthy;
      if (input.revision && !atRevision)
        row.message = `at ${revision?.slice(0, 12)}, waiting for ${input.revision.slice(0, 12)}`;
      if (!input.apps || input.apps.includes(node.name)) rows.push(row);
      visit(node.name, depth + 1);
    }
  };
  visit('', 0);
  return { rows, ok: rows.length > 0 && rows.every((r) => r.ok) };
}

function resourceHealth(
  o: KubeObject,
  lua: Map<string, string>,
): Health | { status: string; message: string } | undefined {
  const builtin = builtinHealth(o);
  if (builtin) return builtin;
  const group = o.apiVersion?.includes('/') ? o.apiVersion.split('/')[0] : '';
  const script = lua.get(`${group}_${o.kind}`);
  return script ? runLuaHealth(script, o) : undefined;
}

export function formatHealthText(
  env: string,
  rows: readonly AppRow[],
  unreadWhy = 'not in snapshot',
): string {
  const lines = [`${env}:`];
  for (const r of rows) {
    const name = `${'  '.repeat(r.depth + 1)}${r.name}`;
    lines.push(
      `${name.padEnd(30)} ${r.sync.padEnd(10)} ${r.health.padEnd(12)} ${(r.revision ?? '').slice(0, 12)}${r.message && !r.ok ? `  ${r.message}` : ''}`.trimEnd(),
    );
    for (const res of r.resources)
      lines.push(
        `${'  '.repeat(r.depth + 2)}✗ ${res.id}: ${res.status}${res.message ? ` — ${res.message}` : ''}`,
      );
    if (r.unread)
      lines.push(
        `${'  '.repeat(r.depth + 2)}· ${r.unread} resource${r.unread === 1 ? '' : 's'} ${unreadWhy}`,
      );
  }
  return lines.join('\n') + '\n';
}

export interface EnvironmentHealth {
  env: string;
  rows: AppRow[];
  ok: boolean;
}

/**
 * The one line at the end of a health report: per environment how many apps reached what was
 * asked, which did not and how they stand, and how many resources could not be judged.
 */
export function formatHealthSummary(
  results: readonly EnvironmentHealth[],
  waitFor: WaitFor,
  unreadWhy: string,
): string {
  const goal = waitFor === 'sync' ? 'Synced' : waitFor === 'health' ? 'Healthy' : 'Synced and Healthy';
  const parts = results.map((r) => {
    const bad = r.rows.filter((x) => !x.ok);
    const head = `${r.env} ${r.rows.length - bad.length} of ${r.rows.length} ${goal}`;
    return bad.length ? `${head} (${bad.map((b) => `${b.name} ${b.sync}/${b.health}`).join(', ')})` : head;
  });
  const unread = results.reduce((n, r) => n + r.rows.reduce((m, x) => m + x.unread, 0), 0);
  return `Summary: ${parts.join('; ')}${unread ? `; ${unread} resource${unread === 1 ? '' : 's'} ${unreadWhy}` : ''}\n`;
}
