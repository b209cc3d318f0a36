/** A path into an object: keys, list indexes, and `[name]` keys standing for named list items. */
export type Segments = (string | number)[];

export interface OrderChange {
  segments: Segments;
  old: string[];
  new: string[];
}

export interface Aligned {
  before: unknown;
  after: unknown;
  orderChanges: OrderChange[];
}

/**
 * Lists of named items (containers, env, ports, volumes, routes) are compared item by name, the way
 * Kubernetes merges them, instead of by position: adding one env variable is one added item, not a
 * shifted list. Where both sides hold such a list, both become maps keyed `[name]` (copies; the
 * inputs are not changed) and a change in the order of the common names is reported on its own,
 * since order matters to some of them (Istio routes, env references). Every other value is kept.
 */
export function alignNamedLists(before: unknown, after: unknown): Aligned {
  const orderChanges: OrderChange[] = [];
  const [b, a] = align(before, after, [], orderChanges);
  return { before: b, after: a, orderChanges };
}

function align(x: unknown, y: unknown, at: Segments, orders: OrderChange[]): [unknown, unknown] {
  if (Array.isArray(x) && Array.isArray(y)) {
    const nx = itemNames(x);
    const ny = itemNames(y);
    if (nx && ny && nx.length + ny.length > 0) {
      const common = new Set(nx.filter((n) => ny.includes(n)));
      const ox = nx.filter((n) => common.has(n));
      const oy = ny.filter((n) => common.has(n));
      if (ox.join('\0') !== oy.join('\0')) orders.push({ segments: at, old: nx, new: ny });
      const mx: Record<string, unknown> = {};
      const my: Record<string, unknown> = {};
      x.forEach((item, i) => (mx[`[${nx[i]}]`] = item));
      y.forEach((item, i) => (my[`[${ny[i]}]`] = item));
      for (const n of common) {
        const key = `[${n}]`;
        [mx[key], my[key]] = align(mx[key], my[key], [...at, key], orders);
      }
      return [mx, my];
    }
    const cx = [...x];
    const cy = [...y];
    for (let i = 0; i < Math.min(x.length, y.length); i++)
      [cx[i], cy[i]] = align(x[i], y[i], [...at, i], orders);
    return [cx, cy];
  }
  if (isMap(x) && isMap(y)) {
    const cx = { ...x };
    const cy = { ...y };
    for (const k of Object.keys(x)) if (k in y) [cx[k], cy[k]] = align(x[k], y[k], [...at, k], orders);
    return [cx, cy];
  }
  return [x, y];
}

/** The items' names when every item is a map with a unique string `name`, else undefined. */
function itemNames(list: unknown[]): string[] | undefined {
  const names: string[] = [];
  for (const item of list) {
    const name = isMap(item) ? item.name : undefined;
    if (typeof name !== 'string' || name === '' || names.includes(name)) return undefined;
    names.push(name);
  }
  return names;
}

export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
