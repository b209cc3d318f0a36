/**
 * The line of a field inside one block-style YAML document, found by reading indentation instead
 * of parsing: manifests are nearly always plain block mappings and sequences, and a stream with
 * thousands of findings would otherwise be parsed twice. Anything this reader does not follow for
 * certain (flow collections, block scalars on the way, anchors, tags, complex keys, tabs) returns
 * undefined, and the caller parses the document properly.
 */
export interface FieldLine {
  /** 1-based line of the deepest segment of the path the document has. */
  line: number;
  /** How many segments of the path were found. */
  depth: number;
}

const KEY =
  /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"{[&*!|>%@`?-][^:#]*?|-[^\s:#][^:#]*?))\s*:(?:\s|$)/;

interface Block {
  /** Index of the first line of the block's content (the key line for a mapping entry's value). */
  from: number;
  to: number;
  /** Column of the block's own keys or dashes; -1 when not yet known. */
  indent: number;
  /** For the first entry written on a dash line: the column after `- `. */
  inlineFrom?: { line: number; col: number };
}

export function findFieldLine(
  lines: readonly string[],
  from: number,
  to: number,
  path: readonly (string | number)[],
  firstLine: number,
): FieldLine | undefined {
  let block: Block = { from, to, indent: -1 };
  let line = firstLine;
  let depth = 0;
  for (const segment of path) {
    const found =
      typeof segment === 'number' ? seqItem(lines, block, segment) : mapKey(lines, block, segment);
    if (found === 'unsure') return undefined;
    if (!found) break;
    line = found.at + 1;
    depth++;
    block = found.value;
  }
  return { line, depth };
}

interface Found {
  /** Line index of the key or dash. */
  at: number;
  value: Block;
}

function firstContent(lines: readonly string[], block: Block): { index: number; col: number } | undefined {
  if (block.inlineFrom) return { index: block.inlineFrom.line, col: block.inlineFrom.col };
  for (let i = block.from; i < block.to; i++) {
    const l = lines[i]!;
    const col = l.search(/\S/);
    if (col < 0 || l[col] === '#') continue;
    return { index: i, col };
  }
  return undefined;
}

/**
 * The end (exclusive) of the lines indented deeper than `indent`, from `start`. A mapping value may
 * also be a sequence whose dashes sit at the key's own indentation (`key:\n- item`).
 */
function blockEnd(
  lines: readonly string[],
  start: number,
  to: number,
  indent: number,
  dashesAtIndent = false,
): number {
  for (let i = start; i < to; i++) {
    const l = lines[i]!;
    const col = l.search(/\S/);
    if (col < 0 || l[col] === '#') continue;
    if (col === indent && dashesAtIndent && /^-(\s|$)/.test(l.slice(col))) continue;
    if (col <= indent) return i;
  }
  return to;
}

function mapKey(lines: readonly string[], block: Block, key: string): Found | undefined | 'unsure' {
  const first = firstContent(lines, block);
  if (!first) return undefined;
  const indent = first.col;
  for (let i = first.index; i < block.to; i++) {
    const l = lines[i]!;
    let col = l.search(/\S/);
    if (i === first.index) col = first.col;
    if (col < 0 || l[col] === '#') continue;
    if (l.includes('\t')) return 'unsure';
    if (col < indent) break;
    if (col > indent) continue;
    const text = l.slice(col);
    // A sequence at the key's indentation belongs to the key above.
    if (text.startsWith('- ') || text === '-') continue;
    const m = KEY.exec(text);
    if (!m) return 'unsure';
    const name = m[1] ?? m[2]?.replace(/''/g, "'") ?? m[3]!.trimEnd();
    if (m[1] !== undefined && m[1].includes('\\')) return 'unsure';
    if (name !== key) continue;
    const rest = text
      .slice(m[0].length)
      .replace(/\s+#.*$/, '')
      .trim();
    if (rest !== '' && /^[[{|>&*!]/.test(rest)) return 'unsure';
    if (rest !== '') return { at: i, value: { from: i, to: i, indent: -1 } };
    return { at: i, value: { from: i + 1, to: blockEnd(lines, i + 1, block.to, indent, true), indent: -1 } };
  }
  return undefined;
}

function seqItem(lines: readonly string[], block: Block, index: number): Found | undefined | 'unsure' {
  const first = firstContent(lines, block);
  if (!first) return undefined;
  const indent = first.col;
  let n = -1;
  for (let i = first.index; i < block.to; i++) {
    const l = lines[i]!;
    let col = l.search(/\S/);
    if (i === first.index) col = first.col;
    if (col < 0 || l[col] === '#') continue;
    if (l.includes('\t')) return 'unsure';
    if (col < indent) break;
    if (col > indent) continue;
    const text = l.slice(col);
    if (!(text.startsWith('- ') || text === '-')) return 'unsure';
    n++;
    if (n !== index) continue;
    const after = text.slice(1);
    const inner = after.search(/\S/);
    const end = blockEnd(lines, i + 1, block.to, indent);
    if (inner < 0 || after[inner] === '#') return { at: i, value: { from: i + 1, to: end, indent: -1 } };
    if (/^[[{|>&*!]/.test(after.slice(inner)) || after.slice(inner).startsWith('- ')) return 'unsure';
    // `- key: value` starts a mapping on the dash line itself.
    return { at: i, value: { from: i, to: end, indent: -1, inlineFrom: { line: i, col: col + 1 + inner } } };
  }
  return undefined;
}
