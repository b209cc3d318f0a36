import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkChartValues } from '../../scripts/lib/check/chart-values-schema.ts';
import { openRepository } from '../../scripts/lib/repo/repository.ts';
import { fakeHelm } from '../helpers/fake-helm.ts';
import { fixtureRepo } from '../helpers/fixture-repo.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
// One fixture and one render cache: each case only changes the values file, which kustomize never reads.
let fx: { dir: string; cleanup(): void };
let renders: string;
beforeAll(() => {
  fx = fixtureRepo('validate/clean');
  renders = mkdtempSync(path.join(tmpdir(), 'chart-values-renders-'));
});
afterAll(() => {
  fx.cleanup();
  rmSync(renders, { recursive: true, force: true });
});

const SCHEMA = JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    replicas: { type: 'integer', minimum: 1 },
    auth: { type: 'object', properties: { enabled: { type: 'boolean' } }, additionalProperties: false },
  },
});

/** The fixture's `cache` chart pulled once by a (fake) helm run, then checked by a run without helm. */
async function check(values: string, chart: Record<string, string>) {
  writeFileSync(path.join(fx.dir, 'values/cache.yaml'), values);
  const charts = mkdtempSync(path.join(tmpdir(), 'chart-values-'));
  const helm = fakeHelm({
    output: '',
    charts: { cache: { 'Chart.yaml': 'apiVersion: v2\nname: cache\nversion: 1.2.3\n', ...chart } },
  });
  cleanups.push(helm.cleanup, () => rmSync(charts, { recursive: true, force: true }));
  const withHelm = await openRepository(fx.dir, { cacheDir: renders, chartCacheDir: charts, env: helm.env });
  await withHelm.render('dev');
  withHelm.dispose();
  const repo = await openRepository(fx.dir, {
    cacheDir: renders,
    chartCacheDir: charts,
    env: { ...process.env, HELM: '' },
  });
  const render = await repo.render('dev');
  repo.dispose();
  expect(render.charts[0]!.notRendered).toBe('helm not on PATH');
  return checkChartValues(render, repo.helm, repo.index).map(({ rule, severity, file, line, message }) => ({
    rule,
    severity,
    at: `${file}:${line}`,
    message,
  }));
}

describe('chart values checked against the cached chart', () => {
  it('values the schema rejects are errors at the line that set them; unknown top-level keys warn', async () => {
    const findings = await check(
      'replicas: 0\nreplica: 2\nauth:\n  enabled: "yes"\nglobal:\n  x: 1\nredis:\n  a: 1\n',
      {
        'values.yaml': 'replicas: 1\nauth:\n  enabled: false\n',
        'values.schema.json': SCHEMA,
        'charts/redis/Chart.yaml': 'apiVersion: v2\nname: redis\nversion: 1.0.0\n',
      },
    );
    expect(findings).toEqual([
      {
        rule: 'helm/unknown-value',
        severity: 'warning',
        at: 'values/cache.yaml:2',
        message:
          '`replica` is not a value chart cache 1.2.3 knows (not in its values.yaml or values.schema.json); Helm ignores it',
      },
      {
        rule: 'helm/values-schema',
        severity: 'error',
        at: 'values/cache.yaml:1',
        message: 'chart cache 1.2.3 rejects its values: `replicas` must be >= 1',
      },
      {
        rule: 'helm/values-schema',
        severity: 'error',
        at: 'values/cache.yaml:4',
        message: 'chart cache 1.2.3 rejects its values: `auth.enabled` must be boolean',
      },
    ]);
  });

  it('a chart without a schema: only unknown keys, judged against values.yaml', async () => {
    expect(await check('replicas: 2\nreplicaCount: 2\n', { 'values.yaml': 'replicas: 1\n' })).toEqual([
      {
        rule: 'helm/unknown-value',
        severity: 'warning',
        at: 'values/cache.yaml:2',
        message:
          '`replicaCount` is not a value chart cache 1.2.3 knows (not in its values.yaml); Helm ignores it',
      },
    ]);
  });

  it('valid values give no finding', async () => {
    expect(
      await check('replicas: 3\nauth:\n  enabled: true\n', {
        'values.yaml': 'replicas: 1\nauth:\n  enabled: false\n',
        'values.schema.json': SCHEMA,
      }),
    ).toEqual([]);
  });
});
