import { countBySeverity } from '../finding.ts';
import { followersLine, position, type ReportInput } from './report.ts';

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
    lines.push(`  ${position(f)}  ${f.severity}  ${f.rule}${code}${envs}  ${f.message}`);
    if (f.hint) lines.push(`      fix: ${f.hint}`);
    const folded = followersLine(f);
    if (folded) {
      lines.push(`      ${folded}:`);
      for (const x of f.followers!) lines.push(`        ${position(x)}  ${x.rule}  ${x.message}`);
    }
  }
  for (const note of input.notes ?? []) {
    if (lines.length) lines.push('');
    lines.push(`note: ${note}`);
  }
  const c = countBySeverity(input.findings);
  if (lines.length) lines.push('');
  const envs = input.environments.length ? ` in ${input.environments.join(', ')}` : '';
  const following = input.findings.reduce((n, f) => n + (f.followers?.length ?? 0), 0);
  const folded = following ? ` (and ${following} that follow from them)` : '';
  lines.push(
    `${c.error} error${c.error === 1 ? '' : 's'}, ${c.warning} warning${c.warning === 1 ? '' : 's'}, ${c.info} info${folded} — ${input.resources} resources checked${envs}`,
  );
  return lines.join('\n') + '\n';
}
