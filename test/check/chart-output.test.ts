import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../scripts/lib/check/rules/index.ts';
import { createSchemaRegistry, SCHEMA_CACHE_DIR } from '../../scripts/lib/check/schema/registry.ts';
import { NO_SEVERITY_CONFIG } from '../../scripts/lib/check/severity-config.ts';
import { validateEnvironments } from '../../scripts/lib/check/validate-environments.ts';
import type { Finding } from '../../scripts/lib/check/finding.ts';
import { openRepository } from '../../scripts/lib/repo/repository.ts';
import { fakeHelm } from '../helpers/fake-helm.ts';
import { fixtureRepo } from '../helpers/fixture-repo.ts';

/** What a chart might render: a pod that is not Pod Security "restricted", and a misspelt field. */
const OUTPUT = `---
# Source: cache/templates/statefulset.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cache
  namespace: web
spec:
  serviceName: cache
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec:
      containers:
        - name: redis
          image: redis:7.2.4
          securityContext: {privileged: true}
          portz: [{containerPort: 6379}]
`;

let findings: Finding[];
let cleanup: () => void;
beforeAll(async () => {
  const fx = fixtureRepo('validate/clean');
  const helm = fakeHelm({
    output: OUTPUT,
    charts: {
      cache: {
        'Chart.yaml': 'apiVersion: v2\nname: cache\nversion: 1.2.3\n',
        'values.yaml': 'replicas: 1\n',
      },
    },
  });
  const charts = mkdtempSync(path.join(tmpdir(), 'chart-output-'));
  cleanup = () => {
    fx.cleanup();
    helm.cleanup();
    rmSync(charts, { recursive: true, force: true });
  };
  const repo = await openRepository(fx.dir, { cacheDir: null, chartCacheDir: charts, env: helm.env });
  try {
    const result = await validateEnvironments(
      repo,
      ['dev'],
      createSchemaRegistry({ cacheDir: SCHEMA_CACHE_DIR }),
      ALL_RULES,
      NO_SEVERITY_CONFIG,
    );
    findings = result.findings;
  } finally {
    repo.dispose();
  }
});
afterAll(() => cleanup());

describe('validate checks chart output like any other resource (fake helm on PATH)', () => {
  it('schema and Pod Security findings on a chart’s pods point at the Application’s chart source', () => {
    const onChart = findings.filter((f) => f.resource?.name === 'cache' && f.resource.kind === 'StatefulSet');
    const rules = new Set(onChart.map((f) => f.rule));
    expect(rules).toContain('schema/unknown-field');
    expect(rules).toContain('workload/pod-security-restricted');
    // The chart line of the Application: the fields themselves are in the chart, not in git.
    for (const f of onChart) expect(`${f.file}:${f.line}`).toBe('apps/dev/cache.yaml:12');
    expect(onChart.find((f) => f.rule === 'schema/unknown-field')!.message).toMatch(/portz/);
  });
});
