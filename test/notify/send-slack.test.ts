import { afterEach, describe, expect, it } from 'vitest';
import { describeOutcome, renderDryRun, sendSlack } from '../../scripts/lib/notify/send-slack.ts';
import { buildMessage } from '../../scripts/lib/notify/slack-message.ts';
import { redact } from '../../scripts/lib/notify/redact.ts';
import { manualClock } from '../helpers/manual-clock.ts';
import { startSlackDouble, type ScriptedReply } from '../helpers/slack-double.ts';

const message = buildMessage('Title', 'summary', ['a', 'b']);
const doubles: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const d of doubles.splice(0)) await d.close();
});

async function send(replies: ScriptedReply[], opts: Parameters<typeof sendSlack>[1] = {}) {
  const slack = await startSlackDouble(replies);
  doubles.push(slack);
  const time = manualClock();
  // A request the double leaves hanging times out at once: the client's timer fires on arrival.
  slack.events.on('hang', () => time.fireTimers());
  const outcome = await sendSlack(message, { webhookUrl: slack.url, clock: time.clock, ...opts });
  return { outcome, waits: time.waits, slack };
}

describe('sendSlack against a local Slack test double', () => {
  it('200 ok is sent', async () => {
    const { outcome, slack } = await send([{ status: 200, body: 'ok' }]);
    expect(outcome).toEqual({ status: 'sent', attempts: 1 });
    expect(slack.received).toEqual([message]);
  });

  it.each([
    [400, 'invalid_payload'],
    [403, 'action_prohibited'],
    [404, 'no_service'],
    [404, 'channel_not_found'],
    [410, 'channel_is_archived'],
  ])('%d %s is reported with Slack’s reason and not retried', async (status, body) => {
    const { outcome, slack } = await send([
      { status, body },
      { status: 200, body: 'ok' },
    ]);
    expect(outcome).toEqual({ status: 'failed', attempts: 1, reason: `HTTP ${status} ${body}` });
    expect(slack.received).toHaveLength(1);
  });

  it('429 waits for Retry-After, then succeeds', async () => {
    const { outcome, waits } = await send([
      { status: 429, body: 'rate_limited', headers: { 'retry-after': '3' } },
      { status: 200, body: 'ok' },
    ]);
    expect(outcome).toEqual({ status: 'sent', attempts: 2 });
    expect(waits).toEqual([3000]);
  });

  it('500 is retried with backoff, then succeeds', async () => {
    const { outcome, waits } = await send([
      { status: 500, body: 'oops' },
      { status: 503, body: '' },
      { status: 200, body: 'ok' },
    ]);
    expect(outcome).toEqual({ status: 'sent', attempts: 3 });
    expect(waits).toEqual([1000, 2000]);
  });

  it('a hang past the timeout is retried, bounded in count', async () => {
    const { outcome, slack, waits } = await send([{ status: 200, body: 'ok', hang: true }], {
      timeoutMs: 100,
      maxAttempts: 2,
    });
    expect(outcome).toMatchObject({ status: 'failed', attempts: 2, reason: 'no answer within 100 ms' });
    expect(slack.received).toHaveLength(2);
    expect(waits).toEqual([1000]);
  });

  it('stops retrying when the total time budget would be exceeded', async () => {
    const { outcome, slack } = await send([{ status: 500, body: '' }], { maxTotalMs: 500 });
    expect(outcome).toMatchObject({ status: 'failed', attempts: 1 });
    expect(slack.received).toHaveLength(1);
  });

  it('unset webhook: not configured, nothing sent', async () => {
    expect(await sendSlack(message, { env: {}, webhookUrl: undefined })).toEqual({
      status: 'not-configured',
      attempts: 0,
    });
    expect(describeOutcome({ status: 'not-configured', attempts: 0 })).toMatch(/not configured/);
  });

  it('never shows the webhook URL: reasons, outcome lines, dry runs', async () => {
    const slack = await startSlackDouble([]);
    const url = slack.url;
    await slack.close();
    // The port is closed now: fetch fails and its error may carry the URL.
    const outcome = await sendSlack(message, { webhookUrl: url, maxAttempts: 1 });
    expect(outcome.status).toBe('failed');
    const printed = [JSON.stringify(outcome), describeOutcome(outcome)].join('\n');
    expect(printed).not.toContain('XXXXSECRETXXXX');
    const withUrl = buildMessage(
      't',
      `posted to https://hooks.slack.com/services/T1/B2/abc and xoxb-123-456`,
      [],
    );
    const dry = renderDryRun(withUrl);
    expect(dry).not.toMatch(/hooks\.slack\.com\/services|xoxb-123/);
    expect(redact(`failed ${url}`, [url])).toBe('failed [redacted]');
  });
});
