import type { ResourceDrift } from './diff-resources.ts';

export interface EnvironmentDrift {
  env: string;
  source: string;
  drift: ResourceDrift[];
  forbidden: string[];
}

const label = (d: ResourceDrift) =>
  `${d.object.kind} ${d.object.metadata?.namespace ? `${d.object.metadata.namespace}/` : ''}${d.object.metadata?.name}`;
const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export function formatDriftText(reports: readonly EnvironmentDrift[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(
      `${r.env} (${r.source}): ${r.drift.length ? `${r.drift.length} resource${r.drift.length === 1 ? '' : 's'} drifted` : 'no drift'}`,
    );
    for (const d of r.drift) {
      if (d.state === 'missing') lines.push(`  missing  ${label(d)}: in git, not in the cluster`);
      else if (d.state === 'extra')
        lines.push(`  extra    ${label(d)}: tracked by Argo CD, no longer in git`);
      else {
        lines.push(`  changed  ${label(d)}`);
        for (const f of d.fields)
          lines.push(`             ${f.path}: git ${show(f.git)} ≠ live ${show(f.live)}`);
      }
    }
    for (const k of r.forbidden) lines.push(`  skipped  ${k}: not allowed to list (403)`);
  }
  return lines.join('\n') + '\n';
}

export function formatDriftMarkdown(reports: readonly EnvironmentDrift[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(
      `### Drift: ${r.env}`,
      '',
      r.drift.length
        ? `${r.drift.length} resource(s) differ from git (${r.source}).`
        : `No drift (${r.source}).`,
      '',
    );
    if (r.drift.length) {
      lines.push('| Resource | State | Field | Git | Live |', '| --- | --- | --- | --- | --- |');
      for (const d of r.drift) {
        if (d.state !== 'changed') lines.push(`| \`${label(d)}\` | ${d.state} | | | |`);
        else
          for (const f of d.fields)
            lines.push(
              `| \`${label(d)}\` | changed | \`${f.path}\` | \`${show(f.git)}\` | \`${show(f.live)}\` |`,
            );
      }
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
        })),
      })),
      null,
      2,
    ) + '\n'
  );
}
