import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findFieldLine } from './field-line.ts';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Document, type Node } from 'yaml';
import type { KubeObject, Origin } from './resource.ts';
import {
  readYamlStream,
  type ParsedDocument,
  type ParsedStream,
  type YamlSyntaxError,
} from './yaml-stream.ts';
import { appendTo } from '../collections/map-of-lists.ts';
import { BoundedMap } from '../collections/bounded-map.ts';

/** Documents whose lines, or positional parse, are kept for further lookups: the most recent. */
const DOCUMENTS_KEPT = 256;

interface IndexedFile {
  text: string;
  docs: ParsedDocument[];
  errors: YamlSyntaxError[];
  /** Documents by kind, built on the first lookup by kind and name. */
  byKind?: Map<string, ParsedDocument[]>;
  /**
   * The lines of documents a field was looked up in, by index, the most recent only. Not the whole
   * text split in lines: on a 26 MB stream that was 1.1 million strings and ~45 MB kept for the
   * run; kept for every document with a finding it was still 12 MB.
   */
  documentLines: BoundedMap<number, string[]>;
  /** Documents parsed with positions, by index: only those a finding points into, the most recent. */
  positional: BoundedMap<number, { doc: Document; lineAt: (offset: number) => number }>;
}

/**
 * Maps rendered resources back to the files in the repo that define them, and fields to lines.
 * Every path it returns is relative to the repo root, with `/` separators. Positions come from
 * re-parsing one document with the `yaml` package (slow, but keeps them), and only the documents a
 * finding points into: a large stream is parsed once, by js-yaml.
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

  /** The documents of a file that do not parse. */
  syntaxErrors(file: string): YamlSyntaxError[] {
    return this.load(file).errors;
  }

  /** Remember a file's text parsed elsewhere (stdin as `-`), so later lookups do not read it again. */
  remember(file: string, text: string, stream: ParsedStream): void {
    this.files.set(this.key(file), { text, ...stream, ...documentCaches() });
  }

  /**
   * Where a rendered object came from: `file`, at the line of its document there, found when first
   * read. Most origins never are (only findings and notes read lines), and finding one parses the
   * whole file; the kind and name it matches on are taken now.
   */
  originOf(file: string, object: KubeObject): Origin {
    const seen: KubeObject = { kind: object.kind, metadata: { name: object.metadata?.name ?? '' } };
    let line: number | undefined;
    return Object.defineProperty({ file: this.relative(file) } as Origin, 'line', {
      enumerable: true,
      get: () => (line ??= this.documentLine(file, seen)),
      set: (value: number) => {
        line = value;
      },
    });
  }

  /**
   * The line of the document in `file` that most likely produced `object`: same kind and name,
   * else a name the rendered one contains (kustomize prefixes and suffixes), else the only
   * document of that kind; falls back to line 1.
   */
  documentLine(file: string, object: KubeObject): number {
    let entry: IndexedFile;
    try {
      entry = this.load(file);
    } catch {
      return 1;
    }
    if (!entry.byKind) {
      entry.byKind = new Map();
      for (const d of entry.docs) appendTo(entry.byKind, String((d.value as KubeObject)?.kind ?? ''), d);
    }
    const sameKind = entry.byKind.get(String(object.kind ?? '')) ?? [];
    const name = object.metadata?.name ?? '';
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
    return entry.docs[0]?.line ?? 1;
  }

  /**
   * The line of a field inside the document starting at `origin.line`, following `fieldPath` as far
   * as the source has it (a field added by a kustomize patch is not in the base file: the deepest
   * ancestor that is, or the document start, is the best place to point at).
   */
  lineOf(origin: Origin, fieldPath: readonly (string | number)[]): number {
    return this.fieldPosition(origin, fieldPath).line;
  }

  /** The line of the deepest segment of `fieldPath` the document has, and how deep that is. */
  fieldPosition(origin: Origin, fieldPath: readonly (string | number)[]): { line: number; depth: number } {
    const none = { line: origin.line, depth: 0 };
    if (fieldPath.length === 0) return none;
    let entry: IndexedFile;
    try {
      entry = this.load(origin.file);
    } catch {
      return none;
    }
    const found = documentAt(entry.docs, origin.line);
    if (!found) return none;
    // Line indexes relative to the document's first line: its lines are all the reader is given.
    const first = found.startLine - 1;
    const lines = this.documentLines(entry, found);
    const fast = findFieldLine(lines, 0, found.endLine - found.startLine, fieldPath, found.line - first);
    if (fast) return { line: fast.line + first, depth: fast.depth };
    const parsed = this.positionalDocument(entry, found);
    let node: unknown = parsed.doc.contents;
    let line = origin.line;
    let depth = 0;
    for (const segment of fieldPath) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        const key = pair.key as Node;
        if (key.range) line = parsed.lineAt(key.range[0]);
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as Node | undefined;
        if (!item) break;
        if (item.range) line = parsed.lineAt(item.range[0]);
        node = item;
      } else {
        break;
      }
      depth++;
    }
    return { line, depth };
  }

  private documentLines(entry: IndexedFile, found: ParsedDocument): string[] {
    let lines = entry.documentLines.get(found.index);
    if (!lines) {
      lines = entry.text.slice(found.startOffset, found.endOffset).split('\n');
      entry.documentLines.set(found.index, lines);
    }
    return lines;
  }

  /** A document parsed alone with positions, for what the fast reader does not follow. */
  private positionalDocument(entry: IndexedFile, found: ParsedDocument) {
    const cached = entry.positional.get(found.index);
    if (cached) return cached;
    const counter = new LineCounter();
    const doc = parseDocument(entry.text.slice(found.startOffset, found.endOffset), {
      lineCounter: counter,
      uniqueKeys: false,
    });
    const offset = found.startLine - 1;
    const parsed = { doc, lineAt: (pos: number) => counter.linePos(pos).line + offset };
    entry.positional.set(found.index, parsed);
    return parsed;
  }

  private key(file: string): string {
    return file === '-' ? '-' : this.relative(path.resolve(this.root, file));
  }

  private load(file: string): IndexedFile {
    const rel = this.key(file);
    let entry = this.files.get(rel);
    if (!entry) {
      const text = readFileSync(path.join(this.root, rel), 'utf8');
      entry = { text, ...readYamlStream(text, rel), ...documentCaches() };
      this.files.set(rel, entry);
    }
    return entry;
  }
}

/** The document holding `line`, by binary search over the documents in file order. */
function documentAt(docs: readonly ParsedDocument[], line: number): ParsedDocument | undefined {
  let lo = 0;
  let hi = docs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const d = docs[mid]!;
    if (line < d.startLine) hi = mid - 1;
    else if (line >= d.endLine) lo = mid + 1;
    else return d;
  }
  return undefined;
}

function documentCaches(): Pick<IndexedFile, 'documentLines' | 'positional'> {
  return { documentLines: new BoundedMap(DOCUMENTS_KEPT), positional: new BoundedMap(DOCUMENTS_KEPT) };
}
