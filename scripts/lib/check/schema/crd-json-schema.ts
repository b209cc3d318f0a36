/**
 * A CRD version's openAPIV3Schema as strict JSON Schema for ajv, the way the API server with
 * `--validate=strict` reads it: an object rejects fields its schema does not declare unless it sets
 * `x-kubernetes-preserve-unknown-fields`. Only what validates is kept (descriptions, defaults,
 * examples, formats and CEL rules go), so the result is small enough to vendor.
 */
export type JsonSchema = Record<string, unknown>;

/** Validation keywords carried over unchanged (OpenAPI v3.0 and JSON Schema agree on them). */
const KEPT = [
  'enum',
  'pattern',
  'minimum',
  'maximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
] as const;

/** ObjectMeta fields a manifest may set: the API server owns metadata, whatever a CRD says of it. */
const OBJECT_META_FIELDS: Record<string, JsonSchema> = {
  name: { type: 'string' },
  generateName: { type: 'string' },
  namespace: { type: 'string' },
  labels: { type: 'object', additionalProperties: { type: 'string' } },
  annotations: { type: 'object', additionalProperties: { type: 'string' } },
  finalizers: { type: 'array', items: { type: 'string' } },
  ownerReferences: { type: 'array', items: { type: 'object' } },
  uid: { type: 'string' },
  resourceVersion: { type: 'string' },
  generation: { type: 'integer' },
  creationTimestamp: { type: ['string', 'null'] },
  deletionTimestamp: { type: ['string', 'null'] },
  deletionGracePeriodSeconds: { type: 'integer' },
  managedFields: { type: 'array', items: { type: 'object' } },
  selfLink: { type: 'string' },
};

export interface ConversionNotes {
  /** Patterns Go's RE2 accepts but JavaScript cannot compile: dropped, so nothing is rejected wrongly. */
  droppedPatterns: string[];
}

/**
 * The JSON Schema of one custom resource: the CRD's `openAPIV3Schema` with apiVersion, kind and
 * ObjectMeta as the API server defines them, and `status` free (the server ignores it on apply).
 */
export function customResourceSchema(openAPIV3Schema: JsonSchema, notes?: ConversionNotes): JsonSchema {
  const root = convert(openAPIV3Schema, notes ?? { droppedPatterns: [] });
  const props = { ...((root.properties as Record<string, JsonSchema>) ?? {}) };
  const crdMeta = (props.metadata ?? {}) as JsonSchema;
  const crdMetaProps = (crdMeta.properties ?? {}) as Record<string, JsonSchema>;
  const metaProps: Record<string, JsonSchema> = { ...OBJECT_META_FIELDS };
  // A CRD may narrow metadata (e.g. a name length limit): keep its rules on top of ObjectMeta's.
  for (const [k, v] of Object.entries(crdMetaProps))
    metaProps[k] = metaProps[k] ? { allOf: [metaProps[k], v] } : v;
  props.apiVersion = { type: 'string' };
  props.kind = { type: 'string' };
  props.metadata = { type: 'object', properties: metaProps, additionalProperties: false };
  if (props.status) props.status = {};
  return factorRepeats({ ...root, type: 'object', properties: props });
}

/** Subschemas shorter than this stay inline: a `$ref` would save little. */
const MIN_FACTORED = 120;

/**
 * Moves every subschema that occurs more than once (pod templates, affinities, probes: operators'
 * CRDs repeat them many times) into `definitions`, referenced by `$ref`. The vendored file shrinks
 * several times and ajv compiles each shared part once.
 */
export function factorRepeats(schema: JsonSchema): JsonSchema {
  const text = new Map<JsonSchema, string>();
  const counts = new Map<string, number>();
  const measure = (s: JsonSchema): string => {
    const t = JSON.stringify(s);
    text.set(s, t);
    counts.set(t, (counts.get(t) ?? 0) + 1);
    forEachChild(s, measure);
    return t;
  };
  measure(schema);
  const definitions: Record<string, JsonSchema> = {};
  const names = new Map<string, string>();
  const rewrite = (s: JsonSchema, isRoot = false): JsonSchema => {
    const t = text.get(s)!;
    if (!isRoot && t.length >= MIN_FACTORED && (counts.get(t) ?? 0) > 1) {
      let name = names.get(t);
      if (!name) {
        name = `d${names.size}`;
        names.set(t, name);
        definitions[name] = mapChildren(s, (c) => rewrite(c));
      }
      return { $ref: `#/definitions/${name}` };
    }
    return mapChildren(s, (c) => rewrite(c));
  };
  const out = rewrite(schema, true);
  return names.size ? { ...out, definitions } : out;
}

const SINGLE = ['items', 'additionalProperties', 'not'] as const;
const LISTS = ['allOf', 'anyOf', 'oneOf'] as const;

function forEachChild(s: JsonSchema, f: (c: JsonSchema) => void): void {
  for (const v of Object.values((s.properties as Record<string, JsonSchema>) ?? {})) f(v);
  for (const k of SINGLE) if (s[k] && typeof s[k] === 'object') f(s[k] as JsonSchema);
  for (const k of LISTS) if (Array.isArray(s[k])) (s[k] as JsonSchema[]).forEach(f);
}

function mapChildren(s: JsonSchema, f: (c: JsonSchema) => JsonSchema): JsonSchema {
  const out: JsonSchema = { ...s };
  if (s.properties)
    out.properties = Object.fromEntries(
      Object.entries(s.properties as Record<string, JsonSchema>).map(([k, v]) => [k, f(v)]),
    );
  for (const k of SINGLE) if (s[k] && typeof s[k] === 'object') out[k] = f(s[k] as JsonSchema);
  for (const k of LISTS) if (Array.isArray(s[k])) out[k] = (s[k] as JsonSchema[]).map(f);
  return out;
}

function convert(s: JsonSchema, notes: ConversionNotes, inBranch = false): JsonSchema {
  const out: JsonSchema = {};
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (s['x-kubernetes-int-or-string'] === true) {
    // An int-or-string carries no `type` of its own (anyOf, if present, says the same).
    if (!s.anyOf) out.type = ['integer', 'string'];
  } else if (typeof s.type === 'string') {
    out.type = s.nullable === true ? [s.type, 'null'] : s.type;
  }
  for (const k of KEPT) if (s[k] !== undefined) out[k] = s[k];
  // OpenAPI 3.0's boolean exclusive bounds are JSON Schema's numeric ones.
  if (s.exclusiveMinimum === true && typeof s.minimum === 'number') {
    out.exclusiveMinimum = s.minimum;
    delete out.minimum;
  }
  if (s.exclusiveMaximum === true && typeof s.maximum === 'number') {
    out.exclusiveMaximum = s.maximum;
    delete out.maximum;
  }
  if (typeof out.pattern === 'string' && !compiles(out.pattern)) {
    notes.droppedPatterns.push(out.pattern);
    delete out.pattern;
  }
  if (Array.isArray(s.required) && s.required.length > 0) out.required = s.required;
  if (s.items && typeof s.items === 'object' && !Array.isArray(s.items))
    out.items = convert(s.items as JsonSchema, notes, inBranch);
  const props = s.properties as Record<string, JsonSchema> | undefined;
  if (props) {
    out.properties = Object.fromEntries(
      Object.entries(props).map(([k, v]) => [k, convert(v, notes, inBranch)]),
    );
  }
  if (s['x-kubernetes-embedded-resource'] === true && !preserve) {
    out.properties = {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      ...((out.properties as Record<string, JsonSchema>) ?? {}),
    };
  }
  const additional = s.additionalProperties;
  if (additional && typeof additional === 'object')
    out.additionalProperties = convert(additional as JsonSchema, notes, inBranch);
  else if (additional === true) out.additionalProperties = true;
  else if (!preserve && !inBranch && isObject(s)) out.additionalProperties = false;
  // Branches of a structural schema only restrict values the parent already declares; a branch
  // rejecting unknown fields would reject the parent's own.
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const)
    if (Array.isArray(s[k])) out[k] = (s[k] as JsonSchema[]).map((b) => convert(b, notes, true));
  if (s.not && typeof s.not === 'object') out.not = convert(s.not as JsonSchema, notes, true);
  return out;
}

function isObject(s: JsonSchema): boolean {
  return s.type === 'object' || (s.type === undefined && s.properties !== undefined);
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
