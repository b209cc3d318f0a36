import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';

/**
 * Replaces one scalar's text in a YAML file and nothing else: every other byte (comments, key
 * order, quoting, indentation) stays as it was, so a promotion diff is exactly the pin lines.
 * The `yaml` Document API locates the node; the edit is made on the source text by range, because
 * re-stringifying the document would reformat lines that did not change.
 */
export function replaceScalar(text: string, path: readonly (string | number)[], value: string): string {
  const doc = parseDocument(text, { keepSourceTokens: true });
  let node: unknown = doc.contents;
  for (const seg of path) {
    if (isMap(node))
      node = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg))?.value;
    else if (isSeq(node) && typeof seg === 'number') node = node.items[seg];
    else node = undefined;
    if (node === undefined) throw new Error(`no value at ${path.join('.')}`);
  }
  if (!isScalar(node) || !(node as Node).range) throw new Error(`${path.join('.')} is not a scalar`);
  const [start, end] = (node as Node).range!;
  const original = text.slice(start, end);
  return text.slice(0, start) + quoteLike(original, value) + text.slice(end);
}

function quoteLike(original: string, value: string): string {
  if (original.startsWith('"')) return JSON.stringify(value);
  if (original.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  // A plain scalar stays plain while the new value still reads back as the same string.
  return parse(value) === value ? value : JSON.stringify(value);
}

function parse(text: string): unknown {
  try {
    return parseDocument(text).toJS();
  } catch {
    return undefined;
  }
}
