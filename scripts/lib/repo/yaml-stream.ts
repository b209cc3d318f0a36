import yaml from 'js-yaml';
import { InputError } from '../errors.ts';

/** One YAML document of a stream: its parsed value and the 1-based line its content starts on. */
export interface ParsedDocument {
  value: unknown;
  /** Line of the document's first content line (after `---`, comments and blank lines). */
  line: number;
  /** 0-based index among the stream's documents, empty ones included. */
  index: number;
}

const SEPARATOR = /^---(\s|$)/;
const END = /^\.\.\.\s*$/;
const CONTENT = /^\s*[^\s#]/;

/**
 * Splits a multi-document stream by `---` lines and parses each document with js-yaml, which is
 * about seven times faster than the `yaml` package here. Positions inside a document are
 * recovered later with `yaml` only for the documents that have findings (see source-map.ts).
 */
export function parseYamlStream(text: string, file: string): ParsedDocument[] {
  const lines = text.split('\n');
  const docs: ParsedDocument[] = [];
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
      const body = lines.slice(start, endExclusive).join('\n');
      let value: unknown;
      try {
        value = yaml.load(body, { filename: file, json: true });
      } catch (err) {
        const e = err as { reason?: string; mark?: { line: number }; message: string };
        const line = e.mark ? start + e.mark.line + 1 : first + 1;
        throw new InputError(
          `invalid YAML: ${e.reason ?? e.message.split('\n')[0]}`,
          file,
          line,
          'fix the YAML syntax at that line',
        );
      }
      if (value !== null && value !== undefined) docs.push({ value, line: first + 1, index });
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
  return docs;
}
