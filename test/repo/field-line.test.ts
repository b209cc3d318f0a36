import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, stringify, type Node } from 'yaml';
import { findFieldLine } from '../../scripts/lib/repo/field-line.ts';
import { readYamlStream } from '../../scripts/lib/repo/yaml-stream.ts';
import { REPO_ROOT } from '../helpers/fixture-repo.ts';

type Path = (string | number)[];

/** The reference: the `yaml` package's own positions for the deepest segment of `p` present. */
function parsed(text: string) {
  const lines = new LineCounter();
  return { doc: parseDocument(text, { lineCounter: lines, uniqueKeys: false }), lines };
}

function reference(
  { doc, lines }: ReturnType<typeof parsed>,
  p: Path,
  firstLine: number,
): { line: number; depth: number } {
  let node: unknown = doc.contents;
  let line = firstLine;
  let depth = 0;
  for (const seg of p) {
    let next: Node | undefined;
    if (isMap(node)) {
      const pair = node.items.find((x) => isScalar(x.key) && String(x.key.value) === String(seg));
      if (!pair) break;
      line = lines.linePos((pair.key as Node).range![0]).line;
      next = pair.value as Node;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      line = lines.linePos(item.range![0]).line;
      next = item;
    } else break;
    node = next;
    depth++;
  }
  return { line, depth };
}

/** Every path to every node of a parsed value, plus one step past each leaf. */
function paths(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [[...prefix, 'nope']];
  if (Array.isArray(value)) value.forEach((v, i) => out.push([...prefix, i], ...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push([...prefix, k], ...paths(v, [...prefix, k]));
  return out;
}

function check(text: string) {
  const stream = readYamlStream(text, 'x.yaml');
  const lines = text.split('\n');
  for (const d of stream.docs) {
    const doc = parsed(lines.slice(d.startLine - 1, d.endLine - 1).join('\n'));
    for (const p of paths(d.value)) {
      const fast = findFieldLine(lines, d.startLine - 1, d.endLine - 1, p, d.line);
      if (!fast) continue;
      const ref = reference(doc, p, d.line - d.startLine + 1);
      expect({ path: p, ...fast }).toEqual({ path: p, line: ref.line + d.startLine - 1, depth: ref.depth });
    }
  }
}

const key = fc.stringMatching(/^[a-z][a-zA-Z0-9./-]{0,8}$/);
const scalar = fc.oneof(fc.integer(), fc.boolean(), fc.string({ maxLength: 12 }), fc.constant(null));
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('seq')),
  map: fc.dictionary(key, tie('node'), { minKeys: 1, maxKeys: 4 }),
  seq: fc.array(tie('node'), { minLength: 1, maxLength: 3 }),
}));

describe('findFieldLine: the line of a field without parsing, as the yaml package finds it', () => {
  it('agrees with the yaml package on documents written by js-yaml and by yaml, in either sequence style', () => {
    fc.assert(
      fc.property(tree.map, (doc) => {
        check(yaml.dump(doc));
        check(yaml.dump(doc, { noArrayIndent: true }));
        check(stringify(doc));
        check(stringify(doc, { indentSeq: false }));
        check(`# a comment\n---\n${stringify(doc)}---\n${yaml.dump(doc)}`);
      }),
      { numRuns: 100 },
    );
  });

  it('agrees with the yaml package on every manifest of this repository', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') walk(full);
        else if (/\.ya?ml$/.test(e.name)) files.push(full);
      }
    };
    for (const top of ['apps', 'clusters', 'istio', 'platform']) walk(path.join(REPO_ROOT, top));
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) check(readFileSync(f, 'utf8'));
  });

  it('leaves what it cannot follow to the parser', () => {
    const text = 'a:\n  b: {c: 1}\n  d: |\n    x\n';
    expect(findFieldLine(text.split('\n'), 0, 4, ['a', 'b', 'c'], 1)).toBeUndefined();
    expect(findFieldLine(text.split('\n'), 0, 4, ['a', 'd'], 1)).toBeUndefined();
    expect(findFieldLine('a:\n\tb: 1\n'.split('\n'), 0, 2, ['a', 'b'], 1)).toBeUndefined();
  });
});
