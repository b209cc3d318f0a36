import { systemClock, type Clock } from '../time/clock.ts';
import { redact } from './redact.ts';
import type { SlackMessage } from './slack-message.ts';

export type NotifyOutcome =
  | { status: 'sent'; attempts: number }
  | { status: 'not-configured'; attempts: 0 }
  | { status: 'failed'; attempts: number; reason: string };

export interface SendOptions {
  /** Defaults to SLACK_WEBHOOK_URL from `env`. */
  webhookUrl?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  maxAttempts?: number;
  /** Give up retrying once this much time has passed since the first attempt. */
  maxTotalMs?: number;
  fetchImpl?: typeof fetch;
  /** Backoff waits, the per-attempt timeout and the total budget run on this clock. */
  clock?: Clock;
}

/** Slack answers these with a reason in the body; sending again cannot succeed. */
const FINAL = new Set([400, 403, 404, 410]);

/**
 * Posts to an incoming webhook. @slack/webhook's client hides response headers, so Retry-After on
 * 429 could not be honoured through it: sending goes through fetch, with its payload types.
 * Never throws: a notification failure is an outcome the caller prints as a warning.
 */
export async function sendSlack(message: SlackMessage, opts: SendOptions = {}): Promise<NotifyOutcome> {
  const url = opts.webhookUrl ?? opts.env?.SLACK_WEBHOOK_URL ?? process.env.SLACK_WEBHOOK_URL;
  if (!url) return { status: 'not-configured', attempts: 0 };
  const doFetch = opts.fetchImpl ?? fetch;
  const clock = opts.clock ?? systemClock;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxAttempts = opts.maxAttempts ?? 4;
  const maxTotalMs = opts.maxTotalMs ?? 60_000;
  const started = clock.now();
  const body = JSON.stringify(message);
  let reason = '';
  let attempts = 0;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    attempts = attempt;
    let wait = Math.min(1000 * 2 ** (attempt - 1), 8000);
    const controller = new AbortController();
    const cancelTimeout = clock.timer(timeoutMs, () => controller.abort());
    try {
      const res = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: controller.signal,
      });
      const text = (await res.text()).trim();
      if (res.status === 200 && text === 'ok') return { status: 'sent', attempts: attempt };
      reason = `HTTP ${res.status}${text ? ` ${text}` : ''}`;
      if (res.status === 200 || FINAL.has(res.status))
        return { status: 'failed', attempts: attempt, reason: redact(reason, [url]) };
      if (res.status === 429) {
        const after = Number(res.headers.get('retry-after'));
        if (Number.isFinite(after) && after >= 0) wait = after * 1000;
      }
    } catch (err) {
      const e = err as Error;
      reason = e.name === 'AbortError' ? `no answer within ${timeoutMs} ms` : `network error: ${e.message}`;
    } finally {
      cancelTimeout();
    }
    if (attempt === maxAttempts || clock.now() - started + wait > maxTotalMs) break;
    await clock.sleep(wait);
  }
  return { status: 'failed', attempts, reason: redact(reason, [url]) };
}

/** One line for the terminal; the caller prints it as a warning unless sent. */
export function describeOutcome(outcome: NotifyOutcome): string {
  switch (outcome.status) {
    case 'sent':
      return 'Slack: notification sent';
    case 'not-configured':
      return 'Slack: not configured (set SLACK_WEBHOOK_URL to notify); carrying on';
    default:
      return `warning: Slack notification failed after ${outcome.attempts} attempt(s): ${redact(outcome.reason)}`;
  }
}

/** What `--notify --dry-run` prints: the payload that would be sent. */
export function renderDryRun(message: SlackMessage): string {
  return `Slack message (dry run, not sent):\n${redact(JSON.stringify(message, null, 2))}\n`;
}
