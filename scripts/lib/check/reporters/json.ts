import { countBySeverity } from '../finding.ts';
import type { ReportInput } from './report.ts';

export function formatJson(input: ReportInput): string {
  const summary = {
    ...countBySeverity(input.findings),
    resources: input.resources,
    environments: input.environments,
  };
  return JSON.stringify({ findings: input.findings, summary, notes: input.notes ?? [] }, null, 2) + '\n';
}
