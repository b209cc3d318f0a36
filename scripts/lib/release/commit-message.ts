import { commitSubject, pinLabel, type PinChange } from './plan.ts';

export interface PromotionTrailers {
  promotedFrom: string;
  promotionId: string;
  promotedBy: string;
  hotfixReason?: string;
  liveCheck: string;
}

/**
 * `promote(staging→prod): backend-api 1.4.0→1.5.0, istio 1.29.2→1.30.3` (or `rollback(prod): …`),
 * a body listing every pin, and git trailers recording the source, the person and the gates.
 */
export function promotionCommitMessage(
  from: string,
  to: string,
  changes: readonly PinChange[],
  t: PromotionTrailers,
  rollback = false,
): string {
  const prefix = rollback ? `rollback(${to})` : `promote(${from}→${to})`;
  const lines = [commitSubject(prefix, changes), ''];
  for (const c of changes) lines.push(`- ${pinLabel(c)} ${c.from} → ${c.to} (${c.key}, ${c.file})`);
  lines.push(
    '',
    `Promoted-From: ${t.promotedFrom}`,
    `Promotion-Id: ${t.promotionId}`,
    `Promoted-By: ${t.promotedBy}`,
  );
  if (t.hotfixReason) lines.push(`Hotfix-Reason: ${oneLine(t.hotfixReason)}`);
  lines.push(`Live-Check: ${oneLine(t.liveCheck)}`);
  return lines.join('\n') + '\n';
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ');
