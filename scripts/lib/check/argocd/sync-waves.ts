import type { KubeObject } from '../../repo/resource.ts';

export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/** The wave Argo CD syncs a resource in: its integer annotation, else 0 (also for a non-integer). */
export function syncWave(o: KubeObject): number {
  const v = String(o.metadata?.annotations?.[SYNC_WAVE] ?? '0').trim();
  return /^-?\d+$/.test(v) ? Number(v) : 0;
}
