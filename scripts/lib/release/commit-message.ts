import { summarizeChanges, type PinChange } from './plan.ts';

export interface PromotionTrailers {
  promotedFrom: string;
  promotionId: string;
  promotedBy: string;
  hotfixReason?: string;
  liveCheck?: string;
}

/** `promote(staging→prod): backend-api 1.4.0→1.5.0, istio 1.29.2→1.30.3` plus git trailers. */
export function promotionCommitMessage(
  from: string,
  to: string,
  changes: readonly PinChange[],
  t: PromotionTrailers,
): string {
  const lines = [`promote(${from}→${to}): ${summarizeChanges(changes)}`, ''];
  for (const c of changes) lines.push(`- ${c.key} ${c.from} → ${c.to} (${c.file})`);
  lines.push(
    '',
    `Promoted-From: ${t.promotedFrom}`,
    `Promotion-Id: ${t.promotionId}`,
    `Promoted-By: ${t.promotedBy}`,
  );
  if (t.hotfixReason) lines.push(`Hotfix-Reason: ${t.hotfixReason.replace(/\n/g, ' ')}`);
  if (t.liveCheck) lines.push(`Live-Check: ${t.liveCheck.replace(/\n/g, ' ')}`);
  return lines.join('\n') + '\n';
}
