import { countBySeverity } from '../finding.ts';
import type { ReportInput } from './report.ts';

/** Grouped by file, `file:line  severity  rule  message`, a hint under each, a closing tally. */
export function formatText(input: ReportInput): string {
  const lines: string[] = [];
  let currentFile = '';
  for (const f of input.findings) {
    if (f.file !== currentFile) {
      if (currentFile) lines.push('');
      lines.push(f.file);
      currentFile = f.file;
    }
    const code = f.istioCode ? ` ${f.istioCode}` : '';
    const envs = f.env ? ` [${f.env}]` : '';
    lines.push(`  ${f.file}:${f.line}  ${f.severity}  ${f.rule}${code}${envs}  ${f.message}`);
    if (f.hint) lines.push(`      fix: ${f.hint}`);
  }
  const c = countBySeverity(input.findings);
  if (lines.length) lines.push('');
  const envs = input.environments.length ? ` in ${input.environments.join(', ')}` : '';
  lines.push(
    `${c.error} error${c.error === 1 ? '' : 's'}, ${c.warning} warning${c.warning === 1 ? '' : 's'}, ${c.info} info — ${input.resources} resources checked${envs}`,
  );
  return lines.join('\n') + '\n';
}
