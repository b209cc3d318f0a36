import { buildMessage, type SlackMessage } from './slack-message.ts';

export interface DriftNotice {
  env: string;
  revision?: string;
  resources: {
    kind: string;
    namespace?: string;
    name: string;
    state: 'missing' | 'changed' | 'extra';
    fields?: number;
  }[];
  /** Objects not compared (not known to match), counted per reason: charts not rendered, a kind not in the snapshot. */
  notCompared?: { reason: string; count: number }[];
}

const ICON = { missing: ':x:', changed: ':warning:', extra: ':heavy_plus_sign:' } as const;

export function formatDriftMessage(d: DriftNotice): SlackMessage {
  const lines = d.resources.map((r) => {
    const id = `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
    const detail =
      r.state === 'changed'
        ? `${r.fields ?? 0} field${r.fields === 1 ? '' : 's'} changed`
        : r.state === 'missing'
          ? 'missing in cluster'
          : 'in cluster, no longer in git';
    return `${ICON[r.state]} ${id}: ${detail}`;
  });
  const skipped = d.notCompared?.length
    ? ` (not compared: ${d.notCompared.map((n) => `${n.count}, ${n.reason}`).join('; ')})`
    : '';
  const summary = d.resources.length
    ? `*${d.env}* drifted from git: ${d.resources.length} resource${d.resources.length === 1 ? '' : 's'}${skipped}`
    : `*${d.env}* matches git${skipped}`;
  return buildMessage(
    `Drift report: ${d.env}`,
    summary,
    lines,
    d.revision ? `git revision ${d.revision.slice(0, 12)}` : undefined,
  );
}
