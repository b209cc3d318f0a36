import { ANY, LEAF, type Shape } from './field-shape.ts';

interface OpenApiSchema {
  type?: string;
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: boolean | OpenApiSchema;
  items?: OpenApiSchema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  allOf?: OpenApiSchema[];
  anyOf?: OpenApiSchema[];
  oneOf?: OpenApiSchema[];
}

/** Known-field shape of a CRD version's openAPIV3Schema, as the API server prunes: unknown fields are rejected unless preserved. */
export function shapeFromOpenApi(schema: OpenApiSchema | undefined, shapes: Shape[]): number {
  if (!schema || schema['x-kubernetes-preserve-unknown-fields']) return ANY;
  if (schema.type === 'array') {
    shapes.push({ a: shapeFromOpenApi(schema.items, shapes) });
    return shapes.length - 1;
  }
  const props = { ...(schema.properties ?? {}) };
  for (const sub of [...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])])
    Object.assign(props, sub.properties ?? {});
  const additional = schema.additionalProperties;
  if (schema.type === 'object' || Object.keys(props).length > 0 || additional !== undefined) {
    if (Object.keys(props).length === 0 && (additional === undefined || additional === true)) return ANY;
    const shape: { o: Record<string, number>; m?: number } = { o: {} };
    shapes.push(shape);
    const id = shapes.length - 1;
    for (const [k, v] of Object.entries(props)) shape.o[k] = shapeFromOpenApi(v, shapes);
    if (additional && typeof additional === 'object') shape.m = shapeFromOpenApi(additional, shapes);
    else if (additional === true) shape.m = ANY;
    return id;
  }
  return LEAF;
}

/** The openAPIV3Schema as plain JSON Schema for ajv: Kubernetes' `x-kubernetes-*` extensions removed. */
export function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  const s = schema as Record<string, unknown>;
  for (const [k, v] of Object.entries(s)) {
    if (k.startsWith('x-kubernetes-')) continue;
    out[k] =
      k === 'properties' && v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>).map(([pk, pv]) => [pk, toJsonSchema(pv)]),
          )
        : toJsonSchema(v);
  }
  // int-or-string fields carry no `type`; give ajv nothing to reject.
  if (s['x-kubernetes-int-or-string']) delete out.type;
  // An object metadata has its own validation in the API server.
  return out;
}
