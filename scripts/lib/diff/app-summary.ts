import {
  BOOTSTRAP,
  countChanges,
  type ApplicationDiff,
  type ChartNote,
  type EnvironmentDiff,
} from './result.ts';

/** Words shared by the text and markdown reports, so both say the same thing. */

export function waveLabel(app: ApplicationDiff): string {
  const { old, new: now } = app.wave;
  if (old !== undefined && now !== undefined && old !== now) return `wave ${old} → ${now}`;
  const w = now ?? old;
  return w === undefined ? '' : `wave ${w}`;
}

function moved(app: ApplicationDiff): boolean {
  return app.status === 'changed' && app.wave.old !== app.wave.new;
}

/** What an Application heading says beside its name: its wave and whether it is new, gone or moved. */
export function applicationAbout(app: ApplicationDiff): string {
  if (app.name === BOOTSTRAP) return app.status === 'changed' ? '' : `bootstrap ${app.status}`;
  if (app.status === 'added') return `new Application, ${waveLabel(app)}`;
  if (app.status === 'removed') return `Application removed, ${waveLabel(app)}`;
  return moved(app) ? `moved ${waveLabel(app)}` : waveLabel(app);
}

/** The same for the summary table's Notes column, where only a change of the Application itself counts. */
export function applicationNote(app: ApplicationDiff): string {
  if (app.name === BOOTSTRAP) return app.status === 'changed' ? '' : `bootstrap ${app.status}`;
  if (app.status === 'added') return `new Application (${waveLabel(app)})`;
  if (app.status === 'removed') return 'Application removed';
  return moved(app) ? `moved ${waveLabel(app)}` : '';
}

export function countsLabel(app: ApplicationDiff): string {
  const n = countChanges(app);
  return `${n.added} added, ${n.changed} changed, ${n.removed} removed`;
}

export function chartLabel(c: ChartNote): string {
  return `chart ${c.chart} source changed, not rendered: ${c.changes.join('; ')}`;
}

/** "added cache (wave 2); removed old (wave 3); moved web wave 1 → 2", or '' when none. */
export function applicationMoves(env: EnvironmentDiff): string {
  const parts: string[] = [];
  const apps = env.applications.filter((a) => a.name !== BOOTSTRAP);
  const added = apps.filter((a) => a.status === 'added');
  const removed = apps.filter((a) => a.status === 'removed');
  const movedApps = apps.filter(moved);
  if (added.length) parts.push(`added ${added.map((a) => `${a.name} (${waveLabel(a)})`).join(', ')}`);
  if (removed.length) parts.push(`removed ${removed.map((a) => `${a.name} (${waveLabel(a)})`).join(', ')}`);
  if (movedApps.length) parts.push(`moved ${movedApps.map((a) => `${a.name} ${waveLabel(a)}`).join(', ')}`);
  return parts.join('; ');
}

export function environmentHeadline(env: EnvironmentDiff): string {
  if (env.status === 'unchanged') return 'no change';
  const lead =
    env.status === 'added' ? 'new environment, ' : env.status === 'removed' ? 'environment removed, ' : '';
  const n = env.applications.length;
  return `${lead}${n} Application${n === 1 ? '' : 's'} changed`;
}

/**
 * Which chart Applications' output was not compared, environments with the same list together:
 * `[{ envs: ['staging', 'prod'], apps: ['istiod', …] }]`.
 */
export function notRenderedGroups(envs: readonly EnvironmentDiff[]): { envs: string[]; apps: string[] }[] {
  const byList = new Map<string, { envs: string[]; apps: string[] }>();
  for (const e of envs) {
    if (!e.chartsNotRendered.length) continue;
    const key = e.chartsNotRendered.join('\0');
    const group = byList.get(key) ?? { envs: [], apps: e.chartsNotRendered };
    group.envs.push(e.env);
    byList.set(key, group);
  }
  return [...byList.values()];
}

export const NOT_RENDERED = 'Helm charts not rendered, their output not compared (only their sources are)';
