/**
 * The known-field tree of a kind, as a graph of shapes referenced by index (kinds are recursive,
 * e.g. JSONSchemaProps). Only what decides "is this field known?" is kept; types and required
 * fields are the compiled validators' job.
 */
export type Shape =
  /** An object: its known properties, and the value shape of a map (index signature). */
  | { o: Record<string, number>; m?: number }
  /** An array of items of one shape. */
  | { a: number }
  /** Free-form: anything goes (any/unknown, x-kubernetes-preserve-unknown-fields). */
  | { any: true }
  /** A scalar. */
  | { leaf: true };

export const LEAF = 0;
export const ANY = 1;

export function emptyGraph(): Shape[] {
  return [{ leaf: true }, { any: true }];
}

export interface UnknownField {
  path: (string | number)[];
  key: string;
}

/** Every key in `data` that its shape does not declare, with the path to it. */
export function findUnknownFields(data: unknown, root: number, shapes: readonly Shape[]): UnknownField[] {
  const out: UnknownField[] = [];
  // One path stack, copied only for a finding: a copy per visited node was most of this walk's cost.
  const path: (string | number)[] = [];
  const walk = (value: unknown, id: number) => {
    const s = shapes[id];
    if (!s || 'any' in s || 'leaf' in s || value === null || typeof value !== 'object') return;
    if ('a' in s) {
      if (!Array.isArray(value)) return;
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        walk(value[i], s.a);
        path.pop();
      }
      return;
    }
    if (Array.isArray(value)) return;
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      // hasOwn: a field named like an Object.prototype member ("constructor") is not thereby known.
      const known = Object.hasOwn(s.o, key) ? s.o[key] : s.m;
      if (known === undefined) {
        out.push({ path: [...path, key], key });
        continue;
      }
      path.push(key);
      walk((value as Record<string, unknown>)[key], known);
      path.pop();
    }
  };
  walk(data, root);
  return out;
}
