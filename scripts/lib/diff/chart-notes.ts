import { sourcesOf, type ApplicationSource } from '../repo/application.ts';
import type { ApplicationNode, HelmChartSource } from '../repo/walk.ts';
import type { ChartNote } from './result.ts';

/** Reads a repository file of one side (a Helm value file); undefined when it does not exist. */
export type ReadFile = (repoRelative: string) => string | undefined;

/**
 * Whether the walk rendered a chart's output into resources. Charts are recorded, not rendered,
 * where helm is not available; a walk that renders them marks the chart `rendered: true`, and then
 * its resources are compared like any other and no note is needed.
 */
export function chartRendered(chart: HelmChartSource): boolean {
  return (chart as HelmChartSource & { rendered?: unknown }).rendered === true;
}

/**
 * For each chart source of an Application that was not rendered on both sides: what changed in
 * its inputs (version, repository, value files and their content, inline Helm settings, the
 * destination namespace), so a reviewer sees that its output may change although no resource
 * could be compared.
 */
export function chartNotes(
  before: ApplicationNode | undefined,
  after: ApplicationNode | undefined,
  readBefore: ReadFile,
  readAfter: ReadFile,
): ChartNote[] {
  const b = new Map((before?.charts ?? []).map((c) => [c.chart, c]));
  const a = new Map((after?.charts ?? []).map((c) => [c.chart, c]));
  const notes: ChartNote[] = [];
  for (const name of [...new Set([...b.keys(), ...a.keys()])].sort()) {
    const ob = b.get(name);
    const oa = a.get(name);
    if ((!ob || chartRendered(ob)) && (!oa || chartRendered(oa))) continue;
    const changes: string[] = [];
    if (!ob) changes.push('new chart source, not rendered');
    else if (!oa) changes.push('chart source removed, not rendered');
    else {
      if (ob.version !== oa.version) changes.push(`version ${ob.version} → ${oa.version}`);
      if (ob.repoURL !== oa.repoURL) changes.push(`repository ${ob.repoURL} → ${oa.repoURL}`);
      const refs = (c: HelmChartSource) => c.valueFiles.map((v) => v.ref).join(', ');
      if (refs(ob) !== refs(oa)) changes.push(`value files [${refs(ob)}] → [${refs(oa)}]`);
      for (const v of oa.valueFiles)
        if (v.file && readBefore(v.file) !== readAfter(v.file)) changes.push(`values ${v.file} changed`);
      const settings = (node: ApplicationNode) => canonical(helmSettings(chartSource(node, name)));
      if (settings(before!) !== settings(after!)) changes.push('Helm settings in the Application changed');
      const ns = (node: ApplicationNode) =>
        (node.resource.object.spec as { destination?: { namespace?: string } } | undefined)?.destination
          ?.namespace ?? '';
      if (ns(before!) !== ns(after!)) changes.push(`destination namespace ${ns(before!)} → ${ns(after!)}`);
    }
    if (changes.length === 0) continue;
    const any = (oa ?? ob)!;
    notes.push({
      chart: name,
      repoURL: any.repoURL,
      ...(ob ? { oldVersion: ob.version } : {}),
      ...(oa ? { newVersion: oa.version } : {}),
      changes,
    });
  }
  return notes;
}

function chartSource(node: ApplicationNode, chart: string): ApplicationSource | undefined {
  return sourcesOf(node.resource.object).find((s) => s.source.chart === chart)?.source;
}

/** Everything of a chart source that shapes its output, beyond version, repository and value files. */
function helmSettings(source: ApplicationSource | undefined): unknown {
  if (!source) return undefined;
  const { targetRevision: _t, repoURL: _r, chart: _c, helm, ...rest } = source;
  const { valueFiles: _v, ...helmRest } = helm ?? {};
  return { ...rest, helm: helmRest };
}

/** JSON with sorted keys: a reordered map is no change. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'undefined';
}
