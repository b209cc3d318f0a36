import { buildMessage, type SlackMessage } from './slack-message.ts';

export interface PromotionNotice {
  from: string;
  to: string;
  /** A rollback restores `to`'s own earlier pins. */
  rollback?: boolean;
  pins: { label: string; key: string; apps: string[]; from: string; to: string }[];
  commit: string;
  branch: string;
  author: string;
  /** How the source's live state was checked, or why it was not (`skipped — reason`). */
  liveCheck: string;
  /** Link to the change, when the remote is on GitHub. */
  diffUrl?: string;
  hotfix?: string;
}

export function formatPromotionMessage(p: PromotionNotice): SlackMessage {
  const lines = p.pins.map(
    (pin) => `• *${pin.label}* ${pin.from} → ${pin.to}${pin.apps.length ? ` (${pin.apps.join(', ')})` : ''}`,
  );
  const link = p.diffUrl ? ` <${p.diffUrl}|view diff>` : '';
  const what = p.rollback ? `*${p.to}* rolled back` : `*${p.from} → ${p.to}*`;
  const summary = `${what}: ${p.pins.length} pin${p.pins.length === 1 ? '' : 's'} moved on \`${p.branch}\` (commit \`${p.commit.slice(0, 12)}\`)${link}`;
  const footer = `by ${p.author} · live check: ${p.liveCheck}${p.hotfix ? ` · hotfix: ${p.hotfix}` : ''}`;
  return buildMessage(
    p.rollback ? `Rollback ${p.to}` : `Promotion ${p.from} → ${p.to}`,
    summary,
    lines,
    footer,
  );
}
