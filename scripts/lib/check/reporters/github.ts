import { followersLine, type ReportInput } from './report.ts';
import { formatText } from './text.ts';

// Workflow-command escaping, as @actions/core does it.
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * GitHub annotations (`::error file=,line=,title=::message`). GitHub shows only the first ten
 * per step, so the full text report follows them.
 */
export function formatGithub(input: ReportInput): string {
  const out: string[] = [];
  for (const f of input.findings) {
    const level = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
    const title = `${f.rule}${f.istioCode ? ` (${f.istioCode})` : ''}`;
    const folded = followersLine(f);
    const msg = [f.message, f.hint ? `fix: ${f.hint}` : '', folded ?? ''].filter(Boolean).join('\n');
    const col = f.column ? `,col=${f.column}` : '';
    out.push(
      `::${level} file=${escapeProperty(f.file)},line=${f.line}${col},title=${escapeProperty(title)}::${escapeData(msg)}`,
    );
  }
  return out.join('\n') + (out.length ? '\n' : '') + formatText(input);
}
