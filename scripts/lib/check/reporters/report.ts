import type { Finding, Severity } from '../finding.ts';

export type ReportFormat = 'text' | 'json' | 'github' | 'sarif';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'github', 'sarif'];

/** What a report needs besides the findings. */
export interface ReportInput {
  findings: Finding[];
  environments: string[];
  resources: number;
  /** What the run did not check and why. */
  notes?: string[];
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

/** `file:line` or `file:line:column`. */
export function position(f: Finding): string {
  return `${f.file}:${f.line}${f.column ? `:${f.column}` : ''}`;
}

/** The line that says what is folded under a finding. */
export function followersLine(f: Finding): string | undefined {
  const n = f.followers?.length ?? 0;
  if (n === 0) return undefined;
  return `and ${n} finding${n === 1 ? '' : 's'} that follow${n === 1 ? 's' : ''} from it (fix this first)`;
}
