import { formatGithub } from './github.ts';
import { formatJson } from './json.ts';
import type { ReportFormat, ReportInput } from './report.ts';
import { formatSarif } from './sarif.ts';
import { formatText } from './text.ts';

export function formatReport(format: ReportFormat, input: ReportInput): string {
  switch (format) {
    case 'json':
      return formatJson(input);
    case 'github':
      return formatGithub(input);
    case 'sarif':
      return formatSarif(input);
    default:
      return formatText(input);
  }
}
