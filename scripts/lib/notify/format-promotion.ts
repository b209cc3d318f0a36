import { buildMessage, type SlackMessage } from './slack-message.ts';

export interface PromotionNotice {
  from: string;
  to: string;
  pins: { app: string; key: string; from: string; to: string }[];
  commit: string;
  branch: string;
  author: string;
  /** Link to the change, when the remote is on GitHub. */
  diffUrl?: string;
  hotfix?: string;
}

export function formatPromotionMessage(p: PromotionNotice): SlackMessage {
  const lines = p.pins.map((pin) => `• *${pin.app}* \`${pin.key}\` ${pin.from} → ${pin.to}`);
  const link = p.diffUrl ? ` <${p.diffUrl}|view diff>` : '';
  const summary = `*${p.from} → ${p.to}*: ${p.pins.length} pin${p.pins.length === 1 ? '' : 's'} moved on \`${p.branch}\` (commit \`${p.commit.slice(0, 12)}\`)${link}`;
  const footer = `by ${p.author}${p.hotfix ? ` · hotfix: ${p.hotfix}` : ''}`;
  return buildMessage(`Promotion ${p.from} → ${p.to}`, summary, lines, footer);
}
