import { describe, expect, it } from 'vitest';
import { formatDriftMessage } from '../../scripts/lib/notify/format-drift.ts';
import { formatHealthMessage } from '../../scripts/lib/notify/format-health.ts';
import { formatPromotionMessage } from '../../scripts/lib/notify/format-promotion.ts';
import {
  MAX_BLOCKS,
  MAX_SECTION_TEXT,
  MAX_TEXT,
  type SlackMessage,
} from '../../scripts/lib/notify/slack-message.ts';

function withinLimits(m: SlackMessage) {
  expect(m.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
  expect(m.text.length).toBeLessThan(4000);
  expect(m.text.length).toBeLessThanOrEqual(MAX_TEXT);
  for (const b of m.blocks as { type: string; text?: { text: string } }[]) {
    if (b.type === 'section') expect(b.text!.text.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
  }
}

const apps = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    name: `app-${String(i).padStart(3, '0')}-${'x'.repeat(40)}`,
    sync: i % 7 ? 'Synced' : 'OutOfSync',
    health: i % 5 ? 'Healthy' : 'Degraded',
    message: 'Deployment has not progressed',
  }));

describe('Slack messages', () => {
  it('health with 200 apps stays within limits and summarises the rest with a count', () => {
    const m = formatHealthMessage({ env: 'prod', revision: 'abcdef1234567890', apps: apps(200) });
    withinLimits(m);
    const all = JSON.stringify(m.blocks);
    // 200 lines fit in the blocks; the 4,000-character text fallback summarises with a count.
    expect(all.match(/\*app-\d{3}/g)).toHaveLength(200);
    expect(m.text).toMatch(/…and \d+ more$/);
    // Whole lines only: every app line shown is complete.
    for (const line of (m.blocks as { type: string; text?: { text: string } }[])
      .filter((b) => b.type === 'section')
      .slice(1)
      .flatMap((b) => b.text!.text.split('\n')))
      expect(line).toMatch(
        /^(:white_check_mark:|:red_circle:) \*app-\d{3}-x{40}\* \w+ \/ \w+|^…and \d+ more$/,
      );
    // Problems come first so they are never the part summarised away.
    expect(all.indexOf(':red_circle:')).toBeLessThan(all.indexOf(':white_check_mark:'));
  });

  it('health with few apps lists all of them', () => {
    const m = formatHealthMessage({
      env: 'dev',
      apps: [{ name: 'istiod', sync: 'Synced', health: 'Healthy' }],
    });
    expect(m.text).toBe(
      'Sync succeeded: dev: *dev*: all 1 applications Synced and Healthy\n:white_check_mark: *istiod* Synced / Healthy',
    );
    withinLimits(m);
  });

  it('promotion names env, pins, commit, author and diff link', () => {
    const m = formatPromotionMessage({
      from: 'staging',
      to: 'prod',
      pins: [{ label: 'istio', key: 'chart:istio', apps: ['istiod'], from: '1.29.2', to: '1.30.3' }],
      commit: '0123456789abcdef',
      branch: 'promote/staging-to-prod-0123456',
      author: 'Ada <ada@example.com>',
      liveCheck: 'skipped — prod cluster migration',
      diffUrl: 'https://github.com/o/r/commit/0123456789abcdef',
    });
    const all = JSON.stringify(m);
    for (const s of [
      'staging → prod',
      'istiod',
      '1.29.2 → 1.30.3',
      '0123456789ab',
      'Ada',
      'live check: skipped — prod cluster migration',
      'https://github.com/o/r/commit/0123456789abcdef',
    ])
      expect(all).toContain(s);
    withinLimits(m);
  });

  it('drift with 5,000 resources stays within limits', () => {
    const resources = Array.from({ length: 5000 }, (_, i) => ({
      kind: 'ConfigMap',
      namespace: 'n',
      name: `cm-${i}`,
      state: (['missing', 'changed', 'extra'] as const)[i % 3]!,
      fields: 2,
    }));
    const m = formatDriftMessage({ env: 'prod', resources });
    withinLimits(m);
    expect(m.text).toMatch(/^Drift report: prod: \*prod\* drifted from git: 5000 resources/);
    expect(JSON.stringify(m.blocks)).toMatch(/…and \d+ more/);
  });

  it('drift says why objects were not compared, per reason', () => {
    const m = formatDriftMessage({
      env: 'dev',
      resources: [
        { kind: 'Deployment', namespace: 'payments', name: 'payment-service', state: 'changed', fields: 1 },
      ],
      notCompared: [
        { reason: 'kind not in snapshot', count: 259 },
        { reason: 'chart not rendered', count: 3 },
      ],
    });
    expect(m.text).toContain(
      '*dev* drifted from git: 1 resource (not compared: 259, kind not in snapshot; 3, chart not rendered)',
    );
    expect(formatDriftMessage({ env: 'dev', resources: [] }).text).toMatch(/\*dev\* matches git$/);
  });
});
