import type { Finding, Severity } from '../finding.ts';

export type ReportFormat = 'text' | 'json' | 'github' | 'sarif';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'github', 'sarif'];

/** What a report needs besides the findings. */
export interface ReportInput {
  findings: Finding[];
  environments: string[];
  resources: number;
  /** Rule metadata for SARIF's rule table and help texts. */
  rules: readonly {
    id: string;
    severity: Severity;
    title: string;
    why?: string;
    hint?: string;
    istioCode?: string;
  }[];
}
