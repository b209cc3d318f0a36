import type { KubeObject, Resource } from '../repo/resource.ts';

export interface ResourceChange {
  id: string;
  change: 'added' | 'removed' | 'changed';
  fields: number;
}

const idOf = (o: KubeObject) =>
  `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

/** Pure: which rendered resources differ between two renders of an environment, with a count of changed leaf fields. */
export function diffRenders(before: readonly Resource[], after: readonly Resource[]): ResourceChange[] {
  const a = new Map(before.map((r) => [idOf(r.object), r.object]));
  const b = new Map(after.map((r) => [idOf(r.object), r.object]));
  const out: ResourceChange[] = [];
  for (const [id, o] of b) {
    const old = a.get(id);
    if (!old) out.push({ id, change: 'added', fields: 0 });
    else {
      const n = countDiff(old, o);
      if (n) out.push({ id, change: 'changed', fields: n });
    }
  }
  for (const id of a.keys()) if (!b.has(id)) out.push({ id, change: 'removed', fields: 0 });
  return out.sort((x, y) => x.id.localeCompare(y.id));
}

function countDiff(x: unknown, y: unknown): number {
  if (x === y) return 0;
  if (x && y && typeof x === 'object' && typeof y === 'object') {
    const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
    let n = 0;
    for (const k of keys)
      n += countDiff((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]);
    return n;
  }
  return 1;
}
