import yaml from 'js-yaml';
import { InputError } from '../errors.ts';
import { KUBECTL_SCHEMA } from './kubectl-yaml-schema.ts';

/** One YAML document of a stream: its parsed value and where it sits in the text. */
export interface ParsedDocument {
  value: unknown;
  /** Line of the document's first content line (after `---`, comments and blank lines), 1-based. */
  line: number;
  /** 0-based index among the stream's documents, empty ones included. */
  index: number;
  /** The document's text spans lines `startLine` up to, not including, `endLine` (1-based). */
  startLine: number;
  endLine: number;
  /** The same span as offsets of the text: where line `startLine` and line `endLine` begin. */
  startOffset: number;
  endOffset: number;
}

/** A document that does not parse, at the line and column the parser stopped (1-based). */
export interface YamlSyntaxError {
  message: string;
  line: number;
  column: number;
}

export interface ParsedStream {
  docs: ParsedDocument[];
  errors: YamlSyntaxError[];
}

const SEPARATOR = /^---(\s|$)/;
const END = /^\.\.\.\s*$/;
const CONTENT = /^\s*[^\s#]/;

/**
 * Splits a multi-document stream by `---` lines and parses each document with js-yaml, which is
 * about seven times faster than the `yaml` package here. A document that does not parse is an
 * error of its own and the others still parse, so one run reports every broken document.
 * Positions inside a document are recovered later, for documents with findings only
 * (source-index.ts).
 */
export function readYamlStream(text: string, file: string): ParsedStream {
  const docs: ParsedDocument[] = [];
  const errors: YamlSyntaxError[] = [];
  let index = 0;
  // The document being read: from offset `docStart`, which is on line `docStartLine` (that line
  // begins at `docLineStart`); `carried` is content written on its `---` line itself (`--- value`),
  // put back in front with the marker blanked.
  let docStart = 0;
  let docStartLine = 1;
  let docLineStart = 0;
  let carried = '';
  // Offsets, not a split into lines: a large stream is never copied line by line.
  const flush = (endOffset: number, endLine: number) => {
    const body = carried + text.slice(docStart, endOffset);
    const first = contentLine(body, 'first');
    if (first >= 0) {
      const parsed = loadDocument(body, file);
      if ('error' in parsed) {
        // "unexpected end of the stream" sits past the document: point at its last content line.
        const last = contentLine(body, 'last');
        const line = docStartLine - 1 + parsed.error.line;
        const lastLine = docStartLine + last;
        errors.push(
          line > lastLine
            ? { ...parsed.error, line: lastLine, column: lineText(body, last).trimEnd().length + 1 }
            : { ...parsed.error, line },
        );
      } else if (parsed.value !== null && parsed.value !== undefined) {
        docs.push({
          value: parsed.value,
          line: docStartLine + first,
          index,
          startLine: docStartLine,
          endLine,
          startOffset: docLineStart,
          endOffset,
        });
      }
    }
    index++;
    carried = '';
  };
  let pos = 0;
  let lineNo = 1;
  for (;;) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    const next = nl < 0 ? text.length : nl + 1;
    const c = text.charCodeAt(pos);
    if (c === 45 && SEPARATOR.test(text.slice(pos, Math.min(end, pos + 4)))) {
      if (pos > docStart || index > 0) flush(pos, lineNo);
      docStart = next;
      docStartLine = lineNo + 1;
      docLineStart = next;
      const rest = text.slice(pos + 3, end);
      if (CONTENT.test(rest)) {
        carried = `   ${rest}\n`;
        docStartLine = lineNo;
        docLineStart = pos;
      }
    } else if (c === 46 && END.test(text.slice(pos, end))) {
      flush(pos, lineNo);
      docStart = next;
      docStartLine = lineNo + 1;
      docLineStart = next;
    }
    if (nl < 0) break;
    pos = next;
    lineNo++;
  }
  flush(text.length, lineNo + 1);
  return { docs, errors };
}

/** The 0-based index of the first (or last) line of `body` with content, or -1. */
function contentLine(body: string, which: 'first' | 'last'): number {
  let found = -1;
  let line = 0;
  for (let pos = 0; pos <= body.length; line++) {
    const nl = body.indexOf('\n', pos);
    const end = nl < 0 ? body.length : nl;
    if (CONTENT.test(body.slice(pos, end))) {
      found = line;
      if (which === 'first') return found;
    }
    if (nl < 0) break;
    pos = nl + 1;
  }
  return found;
}

function lineText(body: string, line: number): string {
  let pos = 0;
  for (let i = 0; i < line; i++) pos = body.indexOf('\n', pos) + 1;
  const nl = body.indexOf('\n', pos);
  return body.slice(pos, nl < 0 ? body.length : nl);
}

/** The strict form, for files that must parse whole (settings, snapshots): the first error throws. */
export function parseYamlStream(text: string, file: string): ParsedDocument[] {
  const { docs, errors } = readYamlStream(text, file);
  const first = errors[0];
  if (first)
    throw new InputError(
      `invalid YAML: ${first.message}`,
      file,
      first.line,
      'fix the YAML syntax at that line',
    );
  return docs;
}

/**
 * One document as kubectl reads it. kubectl's YAML reader (go-yaml) accepts `\'` inside double
 * quotes, which YAML 1.2 and js-yaml do not: such an escape is read as a plain quote. Scalars
 * resolve by go-yaml's YAML 1.1 rules (kubectl-yaml-schema.ts). Duplicate keys are rejected, as
 * kubectl rejects them (js-yaml's `json` mode would silently keep the last).
 * Error lines are relative to the document (1-based).
 */
function loadDocument(body: string, file: string): { value: unknown } | { error: YamlSyntaxError } {
  let text = body;
  for (;;) {
    try {
      return { value: compact(yaml.load(text, { filename: file, schema: KUBECTL_SCHEMA })) };
    } catch (err) {
      const e = err as {
        reason?: string;
        mark?: { line: number; column: number; position: number };
        message: string;
      };
      const p = e.mark?.position ?? -1;
      if (e.reason === 'unknown escape sequence' && text[p] === "'" && text[p - 1] === '\\') {
        text = text.slice(0, p - 1) + text.slice(p);
        continue;
      }
      return {
        error: {
          message: e.reason ?? e.message.split('\n')[0]!,
          line: (e.mark?.line ?? 0) + 1,
          column: (e.mark?.column ?? 0) + 1,
        },
      };
    }
  }
}

/**
 * The same value, as JSON.parse builds it. js-yaml's objects take about 2.5 times the memory (26 MB
 * of manifests: 97 MB against 39 MB of heap, measured), partly because their strings are slices that
 * keep each document's whole text alive; a stream's documents all stay loaded for the rules, so a
 * large one's memory was mostly these (26 MB stream: peak RSS 333 → 288 MB). The copy costs ~3 % of
 * reading a 5 MB stream and nothing on the 26 MB one: js-yaml's objects now die young, where the
 * garbage collector is cheap, instead of being copied into the old generation. An alias becomes a
 * copy, as in the JSON kubectl converts YAML to. Numbers JSON cannot write (NaN, ±Infinity, -0,
 * from .nan, .inf or -0) keep the original value, as does a value too large to write as one string.
 */
function compact(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || hasNonJsonNumber(value)) return value;
  try {
    return JSON.parse(JSON.stringify(value));
  } catch {
    return value;
  }
}

function hasNonJsonNumber(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value) || Object.is(value, -0);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(hasNonJsonNumber);
  for (const key in value) if (hasNonJsonNumber((value as Record<string, unknown>)[key])) return true;
  return false;
}
