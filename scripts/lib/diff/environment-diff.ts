import { syncWave } from '../check/argocd/sync-waves.ts';
import { objectId } from '../cluster/diff-resources.ts';
import type { IgnoreDifference } from '../cluster/ignore-differences.ts';
import type { KubeObject, Resource } from '../repo/resource.ts';
import type { ApplicationNode, HelmChartSource } from '../repo/walk.ts';
import { chartNotes, chartRendered, type ReadFile } from './chart-notes.ts';
import { fieldChanges } from './field-changes.ts';
import {
  BOOTSTRAP,
  type ApplicationDiff,
  type EnvironmentDiff,
  type ResourceChange,
  type ResourceRef,
} from './result.ts';
import { appendTo } from '../collections/map-of-lists.ts';

/** One environment as the walk rendered it at one revision. */
export interface RenderedSide {
  applications: readonly ApplicationNode[];
  resources: readonly Resource[];
  charts: readonly HelmChartSource[];
  readFile: ReadFile;
}

const EMPTY: RenderedSide = { applications: [], resources: [], charts: [], readFile: () => undefined };

/**
 * Pure: what changes in one environment between two renders, per Application (and the bootstrap
 * resources of clusters/<env>/): resources added, removed and changed field by field, the
 * Application itself added, removed or moved to another sync wave, and chart sources whose inputs
 * changed where the chart was not rendered. `only` limits the report to some Applications.
 */
export function diffEnvironment(
  env: string,
  base: RenderedSide | undefined,
  head: RenderedSide | undefined,
  only?: ReadonlySet<string>,
): EnvironmentDiff {
  const b = base ?? EMPTY;
  const h = head ?? EMPTY;
  const appsB = new Map(b.applications.map((a) => [a.name, a]));
  const appsH = new Map(h.applications.map((a) => [a.name, a]));
  const resB = groupByApp(b.resources);
  const resH = groupByApp(h.resources);
  const applications: ApplicationDiff[] = [];
  for (const name of new Set([BOOTSTRAP, ...appsB.keys(), ...appsH.keys()])) {
    if (only && !only.has(name)) continue;
    const ab = appsB.get(name);
    const ah = appsH.get(name);
    const exists = (side: RenderedSide | undefined, node: ApplicationNode | undefined) =>
      name === BOOTSTRAP ? side !== undefined : node !== undefined;
    const inBase = exists(base, ab);
    const inHead = exists(head, ah);
    const resources = diffResourceSets(resB.get(name) ?? [], resH.get(name) ?? [], ignoreOf(ah ?? ab));
    const wave = {
      ...(ab ? { old: syncWave(ab.resource.object) } : {}),
      ...(ah ? { new: syncWave(ah.resource.object) } : {}),
    };
    const charts = chartNotes(ab, ah, b.readFile, h.readFile);
    const status = !inBase ? 'added' : !inHead ? 'removed' : 'changed';
    const moved = inBase && inHead && wave.old !== wave.new;
    if (status === 'changed' && resources.length === 0 && !moved && charts.length === 0) continue;
    applications.push({ name, status, wave, resources, charts });
  }
  applications.sort(
    (x, y) =>
      Number(x.name !== BOOTSTRAP) - Number(y.name !== BOOTSTRAP) ||
      (x.wave.new ?? x.wave.old ?? 0) - (y.wave.new ?? y.wave.old ?? 0) ||
      x.name.localeCompare(y.name),
  );
  const status = !base ? 'added' : !head ? 'removed' : applications.length ? 'changed' : 'unchanged';
  const chartsNotRendered = [
    ...new Set(
      [...b.charts, ...h.charts]
        .filter((c) => !chartRendered(c) && (!only || only.has(c.app)))
        .map((c) => c.app),
    ),
  ].sort();
  return { env, status, applications, chartsNotRendered };
}

function groupByApp(resources: readonly Resource[]): Map<string, KubeObject[]> {
  const out = new Map<string, KubeObject[]>();
  for (const r of resources) appendTo(out, r.app, r.object);
  return out;
}

function ignoreOf(node: ApplicationNode | undefined): IgnoreDifference[] {
  const spec = node?.resource.object.spec as { ignoreDifferences?: IgnoreDifference[] } | undefined;
  return Array.isArray(spec?.ignoreDifferences) ? spec.ignoreDifferences : [];
}

/** Resources of one Application at two revisions: added, removed, changed (by drift's comparison). */
export function diffResourceSets(
  before: readonly KubeObject[],
  after: readonly KubeObject[],
  ignore: readonly IgnoreDifference[] = [],
): ResourceChange[] {
  const b = new Map(before.map((o) => [objectId(o), o]));
  const a = new Map(after.map((o) => [objectId(o), o]));
  const out: ResourceChange[] = [];
  const added = [...a.keys()].filter((id) => !b.has(id));
  const removed = new Set([...b.keys()].filter((id) => !a.has(id)));
  for (const id of added) {
    const o = a.get(id)!;
    const old = renamedGenerated(
      o,
      [...removed].map((r) => b.get(r)!),
    );
    if (old) {
      removed.delete(objectId(old));
      const sameName = { ...old, metadata: { ...old.metadata, name: o.metadata?.name } } as KubeObject;
      out.push({
        change: 'changed',
        resource: refOf(o),
        renamedFrom: old.metadata?.name ?? '',
        fields: fieldChanges(sameName, o, ignore),
      });
    } else out.push({ change: 'added', resource: refOf(o) });
  }
  for (const id of removed) out.push({ change: 'removed', resource: refOf(b.get(id)!) });
  for (const [id, o] of a) {
    const old = b.get(id);
    if (!old) continue;
    const fields = fieldChanges(old, o, ignore);
    if (fields.length) out.push({ change: 'changed', resource: refOf(o), fields });
  }
  return out.sort((x, y) => refKey(x.resource).localeCompare(refKey(y.resource)));
}

/**
 * kustomize's configMapGenerator and secretGenerator append a hash of the content to the name, so a
 * changed value renames the object: pair the new name with the one old name of the same stem.
 */
const GENERATED = /^(.+)-[a-z0-9]{10}$/;

function renamedGenerated(o: KubeObject, removed: KubeObject[]): KubeObject | undefined {
  if (o.kind !== 'ConfigMap' && o.kind !== 'Secret') return undefined;
  const stem = GENERATED.exec(o.metadata?.name ?? '')?.[1];
  if (!stem) return undefined;
  const candidates = removed.filter(
    (r) =>
      r.kind === o.kind &&
      r.apiVersion === o.apiVersion &&
      r.metadata?.namespace === o.metadata?.namespace &&
      GENERATED.exec(r.metadata?.name ?? '')?.[1] === stem,
  );
  return candidates.length === 1 ? candidates[0] : undefined;
}

function refOf(o: KubeObject): ResourceRef {
  return {
    apiVersion: o.apiVersion ?? '',
    kind: o.kind ?? '',
    ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}),
    name: o.metadata?.name ?? '',
  };
}

function refKey(r: ResourceRef): string {
  return `${r.kind}\0${r.namespace ?? ''}\0${r.name}`;
}
