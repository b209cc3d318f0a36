import yaml from 'js-yaml';
import { InputError } from '../errors.ts';

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
  const lines = text.split('\n');
  const docs: ParsedDocument[] = [];
  const errors: YamlSyntaxError[] = [];
  let start = 0;
  let index = 0;
  const flush = (endExclusive: number) => {
    let first = -1;
    for (let i = start; i < endExclusive; i++) {
      if (CONTENT.test(lines[i]!)) {
        first = i;
        break;
      }
    }
    if (first >= 0) {
      const parsed = loadDocument(lines.slice(start, endExclusive).join('\n'), file);
      if ('error' in parsed) {
        // "unexpected end of the stream" sits past the document: point at its last content line.
        let last = endExclusive - 1;
        while (last > first && !CONTENT.test(lines[last]!)) last--;
        const line = start + parsed.error.line;
        errors.push(
          line > last + 1
            ? { ...parsed.error, line: last + 1, column: lines[last]!.trimEnd().length + 1 }
            : { ...parsed.error, line },
        );
      } else if (parsed.value !== null && parsed.value !== undefined) {
        docs.push({
          value: parsed.value,
          line: first + 1,
          index,
          startLine: start + 1,
          endLine: endExclusive + 1,
        });
      }
    }
    index++;
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (SEPARATOR.test(l)) {
      if (i > start || index > 0) flush(i);
      start = i + 1;
      // `--- value` carries content on the separator line itself; keep it.
      if (l.length > 3 && CONTENT.test(l.slice(3))) {
        lines[i] = ' '.repeat(3) + l.slice(3);
        start = i;
      }
    } else if (END.test(l)) {
      flush(i);
      start = i + 1;
    }
  }
  flush(lines.length);
  return { docs, errors };
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
 * quotes, which YAML 1.2 and js-yaml do not: such an escape is read as a plain quote. Duplicate keys
 * are rejected, as kubectl rejects them (js-yaml's `json` mode would silently keep the last).
 * Error lines are relative to the document (1-based).
 */
function loadDocument(body: string, file: string): { value: unknown } | { error: YamlSyntaxError } {
  let text = body;
  for (;;) {
    try {
      return { value: yaml.load(text, { filename: file }) };
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
