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
 * How a person names a pin: a chart pin by its release-pins key (`istio`), an image by its last
 * path segment (`registry.example.com/shop/payment-service` → `payment-service`).
 */
export function pinLabel(p: Pick<Pin, 'kind' | 'name'>): string {
  return p.kind === 'chart' ? p.name : (p.name.split('/').at(-1) ?? p.name);
}

/** Does an `--only` entry select this pin: an Application it feeds, its image (full or short) or its key? */
export function selects(entry: string, p: Pin): boolean {
  return p.apps.includes(entry) || p.name === entry || p.key === entry || pinLabel(p) === entry;
}

/** `--only` entries that select no pin of either environment: each is a mistake to name, not an empty plan. */
export function unmatchedOnly(
  only: readonly string[],
  source: readonly Pin[],
  target: readonly Pin[],
): string[] {
  return only.filter((o) => ![...source, ...target].some((p) => selects(o, p)));
}

/**
 * Pure: which target pins take which source values. Pins match by key; `only` limits to pins feeding
 * those Applications (or named by key, image or label).
 */
export function planPromotion(
  source: readonly Pin[],
  target: readonly Pin[],
  only: readonly string[] = [],
): PromotionPlan {
  const wanted = (p: Pin) => only.length === 0 || only.some((o) => selects(o, p));
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

/** Each distinct move once, in plan order: `payment-service 2.3.1→2.4.0`. */
export function changeLabels(changes: readonly PinChange[]): string[] {
  return [...new Set(changes.map((c) => `${pinLabel(c)} ${short(c.from)}→${short(c.to)}`))];
}

/** Git's customary subject length: longer subjects are cut in most views. */
export const SUBJECT_LIMIT = 72;

/**
 * `promote(dev→staging): payment-service 2.3.1→2.4.0, istio 1.30.0→1.30.1`, with as many pins as
 * fit in SUBJECT_LIMIT characters and `+N more` for the rest (always at least one pin).
 */
export function commitSubject(prefix: string, changes: readonly PinChange[]): string {
  const items = changeLabels(changes);
  for (let k = items.length; k >= 1; k--) {
    const rest = items.length - k;
    const subject = `${prefix}: ${items.slice(0, k).join(', ')}${rest ? `, +${rest} more` : ''}`;
    if (subject.length <= SUBJECT_LIMIT || k === 1) return subject;
  }
  return prefix;
}

function short(v: string): string {
  return v.startsWith('sha256:') ? v.slice(0, 19) : v;
}
