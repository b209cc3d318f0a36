import type { FieldChange, ResourceDrift } from './diff-resources.ts';
import { appendTo } from '../collections/map-of-lists.ts';

export interface EnvironmentDrift {
  env: string;
  source: string;
  drift: ResourceDrift[];
  forbidden: string[];
}

/** What is drift: not-compared objects are said, never counted. */
export const drifted = (r: EnvironmentDrift) => r.drift.filter((d) => d.state !== 'not-compared');
export const notCompared = (r: EnvironmentDrift) => r.drift.filter((d) => d.state === 'not-compared');

const label = (d: ResourceDrift) =>
  `${d.object.kind} ${d.object.metadata?.namespace ? `${d.object.metadata.namespace}/` : ''}${d.object.metadata?.name}`;
const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function headline(r: EnvironmentDrift): string {
  const n = drifted(r).length;
  const skipped = notCompared(r).length;
  return `${n ? `${plural(n, 'resource')} drifted` : 'no drift'}${skipped ? `; ${skipped} not compared` : ''}`;
}

/** The objects not compared, by reason, in the order the reasons first occur. */
function groupedByReason(r: EnvironmentDrift): Map<string, ResourceDrift[]> {
  const byReason = new Map<string, ResourceDrift[]>();
  for (const d of notCompared(r)) appendTo(byReason, (d as { reason: string }).reason, d);
  return byReason;
}

/** How many objects were not compared, per reason. */
export function notComparedByReason(r: EnvironmentDrift): { reason: string; count: number }[] {
  return [...groupedByReason(r)].map(([reason, list]) => ({ reason, count: list.length }));
}

/**
 * Objects not compared, by reason: a few are named, many (a snapshot without a whole kind) are
 * counted per kind, so the drift that matters is not buried.
 */
function notComparedLines(r: EnvironmentDrift): { reason: string; text: string[] }[] {
  return [...groupedByReason(r)].map(([reason, list]) => {
    if (list.length <= 5) return { reason, text: list.map(label) };
    const kinds = new Map<string, number>();
    for (const d of list) kinds.set(d.object.kind ?? '?', (kinds.get(d.object.kind ?? '?') ?? 0) + 1);
    const counts = [...kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`);
    return { reason, text: [`${plural(list.length, 'resource')} (${counts.join(', ')})`] };
  });
}

/** One field: `path: git X ≠ live Y`, or for multi-line text the path and a compact line diff. */
function fieldLines(f: FieldChange, indent: string): string[] {
  if (!f.lines) return [`${indent}${f.path}: git ${show(f.git)} ≠ live ${show(f.live)}`];
  return [`${indent}${f.path}: git ≠ live`, ...f.lines.map((l) => `${indent}  ${l}`)];
}

export function formatDriftText(reports: readonly EnvironmentDrift[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(`${r.env} (${r.source}): ${headline(r)}`);
    for (const d of r.drift) {
      if (d.state === 'missing') lines.push(`  missing  ${label(d)}: in git, not in the cluster`);
      else if (d.state === 'extra')
        lines.push(`  extra    ${label(d)}: tracked by Argo CD, no longer in git`);
      else if (d.state === 'not-compared') continue;
      else {
        lines.push(`  changed  ${label(d)}`);
        for (const f of d.fields) lines.push(...fieldLines(f, '             '));
      }
    }
    for (const { reason, text } of notComparedLines(r))
      for (const t of text) lines.push(`  not compared  ${t}: ${reason}`);
    for (const k of r.forbidden) lines.push(`  skipped  ${k}: not allowed to list (403)`);
  }
  return lines.join('\n') + '\n';
}

export function formatDriftMarkdown(reports: readonly EnvironmentDrift[]): string {
  const lines: string[] = [];
  const cell = (v: unknown) => `\`${show(v).replace(/\|/g, '\\|')}\``;
  for (const r of reports) {
    const n = drifted(r).length;
    const skipped = notCompared(r).length;
    lines.push(
      `### Drift: ${r.env}`,
      '',
      `${n ? `${plural(n, 'resource')} differ from git` : 'No drift'} (${r.source}).${skipped ? ` ${skipped} not compared.` : ''}`,
      '',
    );
    if (r.drift.length) {
      lines.push('| Resource | State | Field | Git | Live |', '| --- | --- | --- | --- | --- |');
      for (const d of r.drift) {
        if (d.state === 'not-compared') continue;
        else if (d.state !== 'changed') lines.push(`| \`${label(d)}\` | ${d.state} | | | |`);
        else
          for (const f of d.fields)
            lines.push(
              f.lines
                ? `| \`${label(d)}\` | changed | \`${f.path}\` | ${f.lines.map((l) => cell(l)).join('<br>')} | |`
                : `| \`${label(d)}\` | changed | \`${f.path}\` | ${cell(f.git)} | ${cell(f.live)} |`,
            );
      }
      for (const { reason, text } of notComparedLines(r))
        for (const t of text)
          lines.push(`| ${t.includes(' (') ? t : `\`${t}\``} | not compared | ${reason} | | |`);
      lines.push('');
    }
    for (const k of r.forbidden) lines.push(`_Skipped ${k}: not allowed to list (403)._`);
  }
  return lines.join('\n') + '\n';
}

export function formatDriftJson(reports: readonly EnvironmentDrift[]): string {
  return (
    JSON.stringify(
      reports.map((r) => ({
        env: r.env,
        source: r.source,
        forbidden: r.forbidden,
        drift: r.drift.map((d) => ({
          state: d.state,
          resource: {
            apiVersion: d.object.apiVersion,
            kind: d.object.kind,
            namespace: d.object.metadata?.namespace,
            name: d.object.metadata?.name,
          },
          ...(d.state === 'changed' ? { fields: d.fields } : {}),
          ...(d.state === 'not-compared' ? { reason: d.reason } : {}),
        })),
      })),
      null,
      2,
    ) + '\n'
  );
}
