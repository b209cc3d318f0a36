import { applicationLabel, resourceLabel, type DiffResult } from './result.ts';
import { viewField, type FieldView } from './field-view.ts';
import {
  applicationMoves,
  applicationAbout,
  chartLabel,
  countsLabel,
  environmentHeadline,
  NOT_RENDERED,
  notRenderedGroups,
} from './app-summary.ts';

/** Pure: the terminal report, every change in full. */
export function formatDiffText(result: DiffResult): string {
  const lines = [`Rendered diff: base ${result.base.label} → head ${result.head.label}`];
  for (const env of result.environments) {
    lines.push(`${env.env}: ${environmentHeadline(env)}`);
    const moves = applicationMoves(env);
    if (moves) lines.push(`  Applications: ${moves}`);
    for (const app of env.applications) {
      const about = applicationAbout(app);
      lines.push(
        `  ${applicationLabel(env.env, app.name)}${about ? ` (${about})` : ''}: ${countsLabel(app)}`,
      );
      for (const c of app.charts) lines.push(`    ${chartLabel(c)}`);
      for (const r of app.resources) {
        const rename = r.change === 'changed' && r.renamedFrom ? ` (was ${r.renamedFrom})` : '';
        lines.push(`    ${r.change.padEnd(8)} ${resourceLabel(r.resource)}${rename}`);
        if (r.change === 'changed')
          for (const f of r.fields) lines.push(...fieldLines(viewField(f), '      '));
      }
    }
  }
  for (const g of notRenderedGroups(result.environments))
    lines.push(`${NOT_RENDERED} in ${g.envs.join(', ')}: ${g.apps.join(', ')}`);
  return lines.join('\n') + '\n';
}

export function fieldLines(v: FieldView, indent: string): string[] {
  if (v.kind === 'note') return [`${indent}${v.path}: ${v.note}`];
  if (v.kind === 'inline') return [`${indent}${v.path}: ${v.old} → ${v.new}`];
  return [
    `${indent}${v.path}:`,
    ...v.lines.map((l) =>
      l.op === 'skip'
        ? `${indent}  … ${l.count} unchanged line${l.count === 1 ? '' : 's'}`
        : `${indent}  ${l.op === '=' ? ' ' : l.op} ${l.text}`,
    ),
  ];
}
