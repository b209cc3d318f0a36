import yaml from 'js-yaml';

/**
 * Plain scalars resolved the way kubectl and Argo CD resolve them: both read manifests through
 * sigs.k8s.io/yaml, which converts YAML to JSON with go-yaml v2 (YAML 1.1 rules). So `yes`, `on`
 * and `y` are booleans (and a string field holding one is rejected), `0644` is octal 420, `1_000`
 * is 1000, and a date stays a string. js-yaml's default schema follows YAML 1.2 instead.
 */

const TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

/**
 * Every spelling above has at most five letters and starts with y, n, t, f or o. Checked first, it
 * spares nearly every scalar and key the two set lookups, which hash a fresh string each (~2 % of
 * reading a large stream).
 */
function mayBeBool(data: string): boolean {
  if (data.length > 5) return false;
  const c = data.charCodeAt(0) | 0x20;
  return c === 0x79 || c === 0x6e || c === 0x74 || c === 0x66 || c === 0x6f;
}

const bool = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && mayBeBool(data) && (TRUE.has(data) || FALSE.has(data)),
  construct: (data: string) => TRUE.has(data),
  predicate: (o: unknown) => typeof o === 'boolean',
  represent: (o: object) => String(o),
});

/**
 * go-yaml tries a plain scalar as a number only when it starts with a digit, a sign or a dot (its
 * resolve table's hint): `_1` stays a string. Checked first, it also spares every other scalar the
 * underscore removal.
 */
function mayBeNumber(data: string | null): data is string {
  if (data === null || data.length === 0) return false;
  const c = data.charCodeAt(0);
  return (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
}

const withoutUnderscores = (data: string) => (data.includes('_') ? data.replace(/_/g, '') : data);

/** Go's strconv.ParseInt(s, 0, 64) after go-yaml drops underscores: 0x, 0o, 0b and a leading 0 (octal). */
const INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;

function parseInt11(data: string): number {
  const s = data.replace(/_/g, '');
  const sign = s.startsWith('-') ? -1 : 1;
  const digits = s.replace(/^[-+]/, '');
  if (/^0[xX]/.test(digits)) return sign * parseInt(digits.slice(2), 16);
  if (/^0[oO]/.test(digits)) return sign * parseInt(digits.slice(2), 8);
  if (/^0[bB]/.test(digits)) return sign * parseInt(digits.slice(2), 2);
  if (digits.length > 1 && digits.startsWith('0')) return sign * parseInt(digits, 8);
  return sign * parseInt(digits, 10);
}

const int = new yaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string | null) => mayBeNumber(data) && INT.test(withoutUnderscores(data)),
  construct: parseInt11,
  predicate: (o: unknown) => typeof o === 'number' && Number.isInteger(o),
  represent: (o: object) => String(o),
});

/** go-yaml's yamlStyleFloat, plus the .inf and .nan spellings of its resolve table. */
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const SPECIAL: Record<string, number> = {
  '.nan': NaN,
  '.NaN': NaN,
  '.NAN': NaN,
  '.inf': Infinity,
  '.Inf': Infinity,
  '.INF': Infinity,
  '+.inf': Infinity,
  '+.Inf': Infinity,
  '+.INF': Infinity,
  '-.inf': -Infinity,
  '-.Inf': -Infinity,
  '-.INF': -Infinity,
};

const float = new yaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string | null) =>
    mayBeNumber(data) && (data in SPECIAL || FLOAT.test(withoutUnderscores(data))),
  construct: (data: string) => (data in SPECIAL ? SPECIAL[data]! : Number(data.replace(/_/g, ''))),
  predicate: (o: unknown) => typeof o === 'number',
  represent: (o: object) => String(o),
});

/** `!!binary` becomes bytes in Go, which JSON writes back as base64: the text, without line breaks. */
const binary = new yaml.Type('tag:yaml.org,2002:binary', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null,
  construct: (data: string) => data.replace(/\s/g, ''),
});

/** A date or time stays the string it is: go-yaml only makes a time of it for a time field. */
const timestamp = new yaml.Type('tag:yaml.org,2002:timestamp', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null,
  construct: (data: string) => data,
});

// js-yaml's own null (~, null, Null, NULL, empty) and merge key (<<) are go-yaml's too.
const builtin = (yaml as unknown as { types: Record<'null' | 'merge', yaml.Type> }).types;

export const KUBECTL_SCHEMA = yaml.FAILSAFE_SCHEMA.extend({
  implicit: [builtin.null, bool, int, float, builtin.merge],
  explicit: [binary, timestamp],
});
