import type { IncomingWebhookSendArguments } from '@slack/webhook';

/** A message for an incoming webhook: Block Kit blocks and the plain-text fallback Slack requires. */
export type SlackMessage = Required<Pick<IncomingWebhookSendArguments, 'text' | 'blocks'>>;

type Block = NonNullable<IncomingWebhookSendArguments['blocks']>[number];

/** Slack's limits (api.slack.com/reference/block-kit/blocks, chat.postMessage). */
export const MAX_BLOCKS = 50;
export const MAX_SECTION_TEXT = 3000;
export const MAX_TEXT = 3900;

export function header(text: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: text.slice(0, 150), emoji: true } };
}

export function section(markdown: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: markdown } };
}

export function context(markdown: string): Block {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: markdown }] };
}

/**
 * Packs lines into as few sections as fit Slack's limits, whole lines only: what does not fit in
 * `maxSections` is summarised as "…and N more", never cut mid-line.
 */
export function linesToSections(
  lines: readonly string[],
  maxSections: number,
  limit = MAX_SECTION_TEXT,
): Block[] {
  const sections: string[] = [];
  let current = '';
  let used = 0;
  const room = (s: string) => s.length <= limit;
  for (; used < lines.length; used++) {
    const line = lines[used]!.length > limit ? `${lines[used]!.slice(0, limit - 1)}…` : lines[used]!;
    const next = current ? `${current}\n${line}` : line;
    if (room(next)) {
      current = next;
      continue;
    }
    if (sections.length + 1 >= maxSections) break;
    sections.push(current);
    current = line;
  }
  const rest = lines.length - used;
  if (rest > 0) {
    const more = `…and ${rest} more`;
    while (current && !room(`${current}\n${more}`)) current = current.slice(0, current.lastIndexOf('\n'));
    current = current ? `${current}\n${more}` : more;
  }
  if (current) sections.push(current);
  return sections.map(section);
}

/** The plain-text fallback: whole lines up to the limit, then a count of the rest. */
export function fallbackText(title: string, lines: readonly string[]): string {
  let text = title;
  for (let i = 0; i < lines.length; i++) {
    const more = `\n…and ${lines.length - i} more`;
    const next = `${text}\n${lines[i]}`;
    if (next.length + more.length > MAX_TEXT) return text + more;
    text = next;
  }
  return text;
}

/** Builds a message whose blocks and text stay within Slack's limits whatever the number of lines. */
export function buildMessage(
  title: string,
  summary: string,
  lines: readonly string[],
  footer?: string,
): SlackMessage {
  const fixed: Block[] = [header(title), section(summary.slice(0, MAX_SECTION_TEXT))];
  const tail: Block[] = footer ? [context(footer.slice(0, MAX_SECTION_TEXT))] : [];
  const blocks = [...fixed, ...linesToSections(lines, MAX_BLOCKS - fixed.length - tail.length), ...tail];
  return { text: fallbackText(`${title}: ${summary}`, lines), blocks };
}
