import { describe, expect, it } from 'vitest';
import type { Finding } from '../../scripts/lib/check/finding.ts';
import { formatReport } from '../../scripts/lib/check/reporters/index.ts';
import type { ReportInput } from '../../scripts/lib/check/reporters/report.ts';

const findings: Finding[] = [
  {
    rule: 'schema/unknown-field',
    severity: 'error',
    message: 'VirtualService api: unknown field "hostz" at spec.hostz',
    file: 'istio/base/vs.yaml',
    line: 7,
    env: 'dev,prod',
    resource: {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      namespace: 'backend',
      name: 'api',
    },
    hint: 'remove the field',
  },
  {
    rule: 'mesh/gateway-exists',
    severity: 'warning',
    message: 'gateway "a,b: c" not found\nsecond line',
    file: 'istio/base/vs.yaml',
    line: 12,
    env: 'dev',
    istioCode: 'IST0101',
  },
];
const input: ReportInput = {
  findings,
  environments: ['dev', 'prod'],
  resources: 42,
  rules: [
    {
      id: 'mesh/gateway-exists',
      severity: 'error',
      title: 'Referenced Gateway exists',
      istioCode: 'IST0101',
    },
  ],
};

describe('reporters', () => {
  it('text groups by file with file:line, rule, hint and a tally', () => {
    const out = formatReport('text', input);
    expect(out).toContain(
      'istio/base/vs.yaml\n  istio/base/vs.yaml:7  error  schema/unknown-field [dev,prod]',
    );
    expect(out).toContain('      fix: remove the field');
    expect(out).toContain('mesh/gateway-exists IST0101');
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      '1 error, 1 warning, 0 info — 42 resources checked in dev, prod',
    );
  });

  it('json has findings and a summary', () => {
    const out = JSON.parse(formatReport('json', input));
    expect(out.summary).toEqual({
      error: 1,
      warning: 1,
      info: 0,
      resources: 42,
      environments: ['dev', 'prod'],
    });
    expect(out.findings[1]).toMatchObject({ istioCode: 'IST0101', rule: 'mesh/gateway-exists' });
    expect(out.findings[0].resource).toEqual(findings[0]!.resource);
  });

  it('github escapes workflow-command properties and data, then prints the text report', () => {
    const out = formatReport('github', input);
    const lines = out.split('\n');
    expect(lines[0]).toBe(
      '::error file=istio/base/vs.yaml,line=7,title=schema/unknown-field::VirtualService api: unknown field "hostz" at spec.hostz%0Afix: remove the field',
    );
    expect(lines[1]).toBe(
      '::warning file=istio/base/vs.yaml,line=12,title=mesh/gateway-exists (IST0101)::gateway "a,b: c" not found%0Asecond line',
    );
    expect(out).toContain('1 error, 1 warning');
  });

  it('sarif 2.1.0 has stable rule ids, levels and regions', () => {
    const log = JSON.parse(formatReport('sarif', input));
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual([
      'mesh/gateway-exists',
      'schema/unknown-field',
    ]);
    expect(run.results[0]).toMatchObject({
      ruleId: 'schema/unknown-field',
      ruleIndex: 1,
      level: 'error',
      locations: [
        { physicalLocation: { artifactLocation: { uri: 'istio/base/vs.yaml' }, region: { startLine: 7 } } },
      ],
    });
    expect(run.results[1]).toMatchObject({ level: 'warning', properties: { istioCode: 'IST0101' } });
  });
});
