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
  /** Objects of charts that were not rendered: not compared, so not known to match. */
  notCompared?: number;
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
  const skipped = d.notCompared
    ? ` (${d.notCompared} not compared: chart${d.notCompared === 1 ? '' : 's'} not rendered)`
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
