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
  const walk = (value: unknown, id: number, path: (string | number)[]) => {
    const s = shapes[id];
    if (!s || 'any' in s || 'leaf' in s || value === null || typeof value !== 'object') return;
    if ('a' in s) {
      if (Array.isArray(value)) value.forEach((item, i) => walk(item, s.a, [...path, i]));
      return;
    }
    if (Array.isArray(value)) return;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const known = s.o[key];
      if (known !== undefined) walk(v, known, [...path, key]);
      else if (s.m !== undefined) walk(v, s.m, [...path, key]);
      else out.push({ path: [...path, key], key });
    }
  };
  walk(data, root, []);
  return out;
}
