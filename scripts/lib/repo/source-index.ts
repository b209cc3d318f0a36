import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseAllDocuments, isMap, isSeq, isScalar, type Document, type Node } from 'yaml';
import type { KubeObject, Origin } from './resource.ts';
import { parseYamlStream, type ParsedDocument } from './yaml-stream.ts';

interface IndexedFile {
  docs: ParsedDocument[];
  text: string;
  /** Parsed with positions on first field lookup only: the `yaml` package is slow. */
  positional?: { docs: Document[]; lines: LineCounter };
}

/**
 * Maps rendered resources back to the files in the repo that define them, and fields to lines.
 * Every path it returns is relative to the repo root, with `/` separators.
 */
export class SourceIndex {
  private readonly files = new Map<string, IndexedFile>();

  constructor(readonly root: string) {}

  relative(abs: string): string {
    return path.relative(this.root, abs).split(path.sep).join('/');
  }

  /** Parsed documents of a repo file (absolute or repo-relative path), cached. */
  documents(file: string): ParsedDocument[] {
    return this.load(file).docs;
  }

  /** Remember a file's text parsed elsewhere, so later lookups do not read it again. */
  remember(file: string, text: string, docs: ParsedDocument[]): void {
    this.files.set(this.relative(path.resolve(this.root, file)), { text, docs });
  }

  /**
   * The line of the document in `file` that most likely produced `object`: same kind and name,
   * else a name the rendered one contains (kustomize prefixes and suffixes), else the only
   * document of that kind; falls back to line 1.
   */
  documentLine(file: string, object: KubeObject): number {
    let docs: ParsedDocument[];
    try {
      docs = this.documents(file);
    } catch {
      return 1;
    }
    const kind = object.kind;
    const name = object.metadata?.name ?? '';
    const sameKind = docs.filter((d) => (d.value as KubeObject)?.kind === kind);
    const exact = sameKind.find((d) => (d.value as KubeObject).metadata?.name === name);
    if (exact) return exact.line;
    let best: ParsedDocument | undefined;
    let bestLen = 0;
    for (const d of sameKind) {
      const n = (d.value as KubeObject).metadata?.name ?? '';
      if (n && name.includes(n) && n.length > bestLen) {
        best = d;
        bestLen = n.length;
      }
    }
    if (best) return best.line;
    if (sameKind.length === 1) return sameKind[0]!.line;
    return docs[0]?.line ?? 1;
  }

  /**
   * The line of a field inside the document starting at `origin.line`, following `fieldPath` as far
   * as the source has it (a field added by a kustomize patch is not in the base file: the deepest
   * ancestor that is, or the document start, is the best place to point at).
   */
  lineOf(origin: Origin, fieldPath: readonly (string | number)[]): number {
    let entry: IndexedFile;
    try {
      entry = this.load(origin.file);
    } catch {
      return origin.line;
    }
    if (!entry.positional) {
      const lines = new LineCounter();
      const docs = parseAllDocuments(entry.text, { lineCounter: lines });
      entry.positional = { docs: Array.isArray(docs) ? docs : [], lines };
    }
    const { docs, lines } = entry.positional;
    const doc = docs.find((d) => {
      const node = d.contents as Node | null;
      if (!node?.range) return false;
      return (
        lines.linePos(node.range[0]).line <= origin.line && lines.linePos(node.range[1]).line >= origin.line
      );
    });
    if (!doc) return origin.line;
    let node: unknown = doc.contents;
    let line = origin.line;
    for (const segment of fieldPath) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        const key = pair.key as Node;
        if (key.range) line = lines.linePos(key.range[0]).line;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as Node | undefined;
        if (!item) break;
        if (item.range) line = lines.linePos(item.range[0]).line;
        node = item;
      } else {
        break;
      }
    }
    return line;
  }

  private load(file: string): IndexedFile {
    const rel = this.relative(path.resolve(this.root, file));
    let entry = this.files.get(rel);
    if (!entry) {
      const text = readFileSync(path.join(this.root, rel), 'utf8');
      entry = { text, docs: parseYamlStream(text, rel) };
      this.files.set(rel, entry);
    }
    return entry;
  }
}
