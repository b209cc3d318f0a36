import yaml from 'js-yaml';
import type { KubeObject } from '../repo/resource.ts';
import type { HelmChartSource } from '../repo/walk.ts';
import { applicationLabel, BOOTSTRAP } from './result.ts';

/** What one Application (or the bootstrap group) makes Argo CD apply. */
export interface ApplicationManifests {
  /** '' for the resources of clusters/<env>/ applied by hand at bootstrap. */
  name: string;
  wave: number;
  objects: KubeObject[];
  /** Chart sources whose output the walk did not render: not in `objects`. */
  chartsNotRendered: HelmChartSource[];
}

/** Argo CD's UI masks Secret values the same way. */
export const MASK = '++++++++';

/** Pure: a Secret with every value masked; any other object as it is. */
export function maskSecret(o: KubeObject): KubeObject {
  if (o.kind !== 'Secret' || o.apiVersion !== 'v1') return o;
  const out = { ...o } as KubeObject & { data?: unknown; stringData?: unknown };
  for (const key of ['data', 'stringData'] as const) {
    const v = out[key];
    if (v && typeof v === 'object') out[key] = Object.fromEntries(Object.keys(v).map((k) => [k, MASK]));
  }
  return out;
}

/** Pure: one Application's manifests as a YAML stream, headed by a comment naming it. */
export function formatApplicationManifests(env: string, app: ApplicationManifests): string {
  const head =
    app.name === BOOTSTRAP
      ? `# ${applicationLabel(env, app.name)}: kubectl apply -k clusters/${env}\n`
      : `# Application ${app.name} (wave ${app.wave})\n`;
  const charts = app.chartsNotRendered.map(
    (c) => `# Helm chart ${c.chart} ${c.version} (${c.repoURL}) not rendered: its resources are not listed\n`,
  );
  const docs = app.objects.map((o) => `---\n${yaml.dump(maskSecret(o), { lineWidth: -1, noRefs: true })}`);
  return head + charts.join('') + docs.join('');
}

/** Pure: the file each Application's manifests go to with --output. */
export function manifestFileName(name: string): string {
  return name === BOOTSTRAP ? '_bootstrap.yaml' : `${name.replace(/[^A-Za-z0-9.-]/g, '-')}.yaml`;
}
