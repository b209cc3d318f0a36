import type { Severity } from '../finding.ts';
import { followersLine, type ReportInput } from './report.ts';

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

/** SARIF 2.1.0 for code scanning: stable rule ids, one result per finding with its region. */
export function formatSarif(input: ReportInput): string {
  const ruleIds = new Set(input.findings.map((f) => f.rule));
  const known = new Map(input.rules.map((r) => [r.id, r]));
  const rules = [...new Set([...input.rules.map((r) => r.id), ...ruleIds])].sort().map((id) => {
    const r = known.get(id);
    return {
      id,
      name: id.replace(/[^A-Za-z0-9]+(.)/g, (_, c: string) => c.toUpperCase()),
      shortDescription: { text: r?.title ?? id },
      ...(r?.why ? { fullDescription: { text: r.why } } : {}),
      ...(r?.hint ? { help: { text: r.hint } } : {}),
      defaultConfiguration: { level: LEVEL[r?.severity ?? 'error'] },
      ...(r?.istioCode ? { properties: { istioCode: r.istioCode } } : {}),
    };
  });
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = input.findings.map((f) => ({
    ruleId: f.rule,
    ruleIndex: index.get(f.rule),
    level: LEVEL[f.severity],
    message: {
      text: [f.message, f.hint ? `Fix: ${f.hint}` : '', followersLine(f) ?? ''].filter(Boolean).join(' '),
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: f.file, uriBaseId: '%SRCROOT%' },
          region: { startLine: Math.max(1, f.line), ...(f.column ? { startColumn: f.column } : {}) },
        },
      },
    ],
    properties: {
      environments: f.env ? f.env.split(',') : [],
      ...(f.istioCode ? { istioCode: f.istioCode } : {}),
    },
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gitops-validate',
            informationUri: 'https://github.com/example-org/istio-gitops-platform',
            rules,
          },
        },
        results,
        ...(input.notes?.length
          ? {
              invocations: [
                {
                  executionSuccessful: true,
                  toolExecutionNotifications: input.notes.map((text) => ({
                    level: 'note',
                    message: { text },
                  })),
                },
              ],
            }
          : {}),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
