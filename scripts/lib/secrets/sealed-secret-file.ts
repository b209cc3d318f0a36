import { isMap, isScalar, parseAllDocuments, type Pair, type YAMLMap } from 'yaml';
import { InputError } from '../errors.ts';
import { replaceScalar } from '../release/yaml-scalar-edit.ts';
import { sealScope, type SealScope } from './seal-scope.ts';

export interface SealedSecretTarget {
  name: string;
  namespace: string;
  scope: SealScope;
  /** Keys already sealed in spec.encryptedData, in file order. */
  keys: string[];
}

const KIND = 'bitnami.com/v1alpha1 SealedSecret';

/** Reads the one SealedSecret a file holds; anything else is refused with the file and line. */
export function readSealedSecret(text: string, file: string): SealedSecretTarget {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.length !== 1)
    throw new InputError(
      `expected exactly one ${KIND} document`,
      file,
      1,
      'seal one SealedSecret file at a time',
    );
  const doc = docs[0]!;
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new InputError(`YAML: ${e.message.split('\n')[0]}`, file, e.linePos?.[0]?.line);
  }
  const o = (doc.toJS() ?? {}) as Record<string, any>;
  if (o.apiVersion !== 'bitnami.com/v1alpha1' || o.kind !== 'SealedSecret')
    throw new InputError(`not a ${KIND} (${o.apiVersion ?? '?'} ${o.kind ?? '?'})`, file, 1);
  const name = o.metadata?.name;
  const namespace = o.metadata?.namespace;
  const scope = sealScope(o.metadata?.annotations);
  if (typeof name !== 'string' || !name) throw new InputError('metadata.name is missing', file, 1);
  if (scope !== 'cluster-wide' && (typeof namespace !== 'string' || !namespace))
    throw new InputError(
      'metadata.namespace is missing: a strict or namespace-wide seal is bound to it',
      file,
      1,
      'set metadata.namespace (and spec.template.metadata.namespace) to the Secret namespace',
    );
  const encrypted = o.spec?.encryptedData;
  if (!encrypted || typeof encrypted !== 'object' || Object.keys(encrypted).length === 0)
    throw new InputError(
      'spec.encryptedData has no keys',
      file,
      1,
      'list the keys under spec.encryptedData (any placeholder value), then seal them',
    );
  return { name, namespace: namespace ?? '', scope, keys: Object.keys(encrypted) };
}

/**
 * Writes sealed values into spec.encryptedData: an existing key's value is replaced in place, a new
 * key goes after the last one with the same indentation. Every other byte of the file stays.
 */
export function writeEncryptedData(text: string, values: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [key, value] of values) {
    const map = encryptedDataMap(out);
    if (map.items.some((p) => isScalar(p.key) && String(p.key.value) === key)) {
      out = replaceScalar(out, ['spec', 'encryptedData', key], value);
      continue;
    }
    const last = map.items.at(-1) as Pair;
    const keyStart = (last.key as { range: [number, number, number] }).range[0];
    const indent = keyStart - out.lastIndexOf('\n', keyStart - 1) - 1;
    // After the whole line of the last key, so a comment at its end stays with it.
    const valueEnd = (last.value as { range: [number, number, number] }).range[1];
    const lineEnd = out.indexOf('\n', valueEnd) < 0 ? out.length : out.indexOf('\n', valueEnd);
    out = `${out.slice(0, lineEnd)}\n${' '.repeat(indent)}${key}: ${value}${out.slice(lineEnd)}`;
  }
  return out;
}

function encryptedDataMap(text: string): YAMLMap {
  const doc = parseAllDocuments(text, { keepSourceTokens: true });
  const contents = (Array.isArray(doc) ? doc[0] : doc)!.contents;
  const spec = isMap(contents) ? contents.get('spec', true) : undefined;
  const map = isMap(spec) ? spec.get('encryptedData', true) : undefined;
  if (!isMap(map)) throw new Error('spec.encryptedData is not a map');
  return map;
}

export interface NewSealedSecret {
  name: string;
  namespace: string;
  scope: SealScope;
  /** The Secret type the controller creates (default Opaque). */
  type?: string;
}

/**
 * The text of a new SealedSecret with the given keys as placeholders, the shape kubeseal writes:
 * the template names the Secret the controller creates; a wider scope is an annotation on both.
 */
export function newSealedSecretText(s: NewSealedSecret, keys: readonly string[]): string {
  const scopeAnnotation =
    s.scope === 'strict' ? '' : `  annotations:\n    sealedsecrets.bitnami.com/${s.scope}: 'true'\n`;
  const namespace = s.scope === 'cluster-wide' && !s.namespace ? '' : `  namespace: ${s.namespace}\n`;
  return (
    `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: ${s.name}\n${namespace}${scopeAnnotation}` +
    `spec:\n  encryptedData:\n${keys.map((k) => `    ${k}: ''\n`).join('')}` +
    `  template:\n    metadata:\n      name: ${s.name}\n${namespace ? `    ${namespace}` : ''}` +
    `${scopeAnnotation.replace(/^ {2}/gm, '      ')}    type: ${s.type ?? 'Opaque'}\n`
  );
}
