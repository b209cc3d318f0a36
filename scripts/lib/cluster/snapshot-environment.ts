import { isApplication, sourcesOf } from '../repo/application.ts';
import { CLUSTERS_DIR } from '../repo/walk.ts';
import { overlayEnvironment } from '../repo/overlay-environment.ts';
import type { KubeObject } from '../repo/resource.ts';
import { TRACKING_ID, INSTANCE_LABEL } from './tracking.ts';

export type SnapshotEnvironment = { env: string } | { candidates: string[] };

/**
 * Which environment a snapshot was taken from, when nobody said: first from the Applications in
 * it (their sources point at `clusters/<env>` or `…/overlays/<env>` folders), else from the
 * Application names it holds and its objects' tracking (the environments whose app tree has all
 * of them). One answer or the candidates; never a guess.
 */
export async function environmentOfSnapshot(
  objects: readonly KubeObject[],
  environments: readonly string[],
  appNamesOf: (env: string) => Promise<ReadonlySet<string>>,
): Promise<SnapshotEnvironment> {
  const known = new Set(environments);
  const byPath = new Set<string>();
  const apps = new Set<string>();
  for (const o of objects) {
    if (isApplication(o)) {
      apps.add(o.metadata?.name ?? '');
      for (const { source } of sourcesOf(o)) {
        const p = String(source.path ?? '').replace(/^\/+/, '');
        const segments = p.split('/');
        const env = segments[0] === CLUSTERS_DIR ? segments[1] : overlayEnvironment(p);
        if (env && known.has(env)) byPath.add(env);
      }
    }
    const tracking = o.metadata?.annotations?.[TRACKING_ID];
    const instance = o.metadata?.labels?.[INSTANCE_LABEL];
    if (tracking) apps.add(tracking.split(':')[0]!.split('_').at(-1)!);
    else if (instance && !isApplication(o)) apps.add(instance);
  }
  if (byPath.size === 1) return { env: [...byPath][0]! };
  apps.delete('');
  if (apps.size === 0) return { candidates: byPath.size ? [...byPath] : [...environments] };
  const pool = byPath.size ? [...byPath] : [...environments];
  const matching: string[] = [];
  for (const env of pool) {
    const names = await appNamesOf(env);
    if ([...apps].every((a) => names.has(a))) matching.push(env);
  }
  return matching.length === 1 ? { env: matching[0]! } : { candidates: matching.length ? matching : pool };
}
