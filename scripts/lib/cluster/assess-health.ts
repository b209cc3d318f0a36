import type { KubeObject } from '../repo/resource.ts';
import { builtinHealth, type Health } from './builtin-health.ts';
import { objectId } from './diff-resources.ts';
import { runLuaHealth } from './lua-health.ts';

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
  ok: boolean;
}

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
}

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
        ok: false,
      };
      const message =
        st.operationState?.phase && st.operationState.phase !== 'Succeeded'
          ? st.operationState.message
          : (((st.conditions ?? []) as { message?: string }[])[0]?.message ?? st.health?.message);
      if (message) row.message = message;
      for (const want of input.desiredByApp.get(node.name) ?? []) {
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
      const atRevision =
        !input.revision ||
        !revision ||
        (st.sync?.revisions ?? [revision]).some((r: string) => r === input.revision);
      row.ok =
        row.sync === 'Synced' &&
        row.health === 'Healthy' &&
        atRevision &&
        Boolean(revision || !input.revision);
      if (input.revision && !atRevision)
        row.message = `at ${revision?.slice(0, 12)}, waiting for ${input.revision.slice(0, 12)}`;
      rows.push(row);
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

export function formatHealthText(env: string, rows: readonly AppRow[]): string {
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
  }
  return lines.join('\n') + '\n';
}
