/** A shell command shown in a ```bash block of a doc, and the exit code the doc gives it. */
export interface DocumentedCommand {
  line: string;
  /** `file:line`, for the failure message. */
  where: string;
  exit: number;
}

/**
 * The commands of every ```bash block, in order: a line ending in `\` continues on the next, a
 * comment line is skipped, and a trailing `# exit N` comment is the exit code the doc promises (0
 * when it says none).
 */
export function documentedCommands(file: string, text: string): DocumentedCommand[] {
  const out: DocumentedCommand[] = [];
  const lines = text.split('\n');
  let inBash = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^```bash\s*$/.test(l)) {
      inBash = true;
      continue;
    }
    if (/^```/.test(l)) {
      inBash = false;
      continue;
    }
    if (!inBash || !l.trim() || /^\s*#/.test(l)) continue;
    const start = i;
    let line = l;
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]!.trim()}`;
    const exit = /\s#\s*exit (\d+)\b[^#]*$/.exec(line);
    out.push({
      line: stripComment(line).trim(),
      where: `${file}:${start + 1}`,
      exit: exit ? Number(exit[1]) : 0,
    });
  }
  return out;
}

/** The line without a trailing `# comment` (a `#` inside quotes stays). */
function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

/** Shell words: whitespace-separated, with '…' and "…" quoting (no expansions: callers refuse those). */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote = '';
  let inWord = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = '';
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}
