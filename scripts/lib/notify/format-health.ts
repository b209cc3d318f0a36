import { buildMessage, type SlackMessage } from './slack-message.ts';

export interface HealthNotice {
  env: string;
  revision?: string;
  apps: { name: string; sync: string; health: string; message?: string }[];
}

export function formatHealthMessage(h: HealthNotice): SlackMessage {
  const bad = h.apps.filter((a) => a.sync !== 'Synced' || a.health !== 'Healthy');
  const ordered = [...bad, ...h.apps.filter((a) => !bad.includes(a))];
  const lines = ordered.map((a) => {
    const ok = a.sync === 'Synced' && a.health === 'Healthy';
    return `${ok ? ':white_check_mark:' : ':red_circle:'} *${a.name}* ${a.sync} / ${a.health}${a.message && !ok ? ` — ${a.message}` : ''}`;
  });
  const summary = bad.length
    ? `*${h.env}*: ${bad.length} of ${h.apps.length} applications not Synced and Healthy`
    : `*${h.env}*: all ${h.apps.length} applications Synced and Healthy`;
  return buildMessage(
    `Sync ${bad.length ? 'needs attention' : 'succeeded'}: ${h.env}`,
    summary,
    lines,
    h.revision ? `revision ${h.revision.slice(0, 12)}` : undefined,
  );
}
