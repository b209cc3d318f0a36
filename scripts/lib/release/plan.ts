import type { Pin } from './pins.ts';

export interface PinChange {
  key: string;
  name: string;
  kind: Pin['kind'];
  apps: string[];
  from: string;
  to: string;
  /** Where the target environment writes it. */
  file: string;
  path: (string | number)[];
}

export interface PromotionPlan {
  changes: PinChange[];
  /** Pins the source has that the target does not: never created by a promotion, only reported. */
  notInTarget: string[];
}

/**
 * Pure: which target pins take which source values. Pins match by key; `only` limits to pins feeding
 * those Applications (or named by key/name).
 */
export function planPromotion(
  source: readonly Pin[],
  target: readonly Pin[],
  only: readonly string[] = [],
): PromotionPlan {
  const wanted = (p: Pin) =>
    only.length === 0 || only.some((o) => p.apps.includes(o) || p.name === o || p.key === o);
  const sourceByKey = new Map(source.map((p) => [p.key, p]));
  const changes: PinChange[] = [];
  for (const t of target) {
    const s = sourceByKey.get(t.key);
    if (!s || !wanted(t) || s.value === t.value) continue;
    changes.push({
      key: t.key,
      name: t.name,
      kind: t.kind,
      apps: t.apps,
      from: t.value,
      to: s.value,
      file: t.file,
      path: t.path,
    });
  }
  const targetKeys = new Set(target.map((p) => p.key));
  const notInTarget = source.filter((p) => wanted(p) && !targetKeys.has(p.key)).map((p) => p.key);
  return { changes, notInTarget };
}

/** `backend-api 1.4.0→1.5.0, istio 1.29.2→1.30.3` */
export function summarizeChanges(changes: readonly PinChange[]): string {
  return changes
    .map((c) => `${c.kind === 'chart' ? c.name : (c.apps[0] ?? c.name)} ${short(c.from)}→${short(c.to)}`)
    .join(', ');
}

function short(v: string): string {
  return v.startsWith('sha256:') ? v.slice(0, 19) : v;
}
