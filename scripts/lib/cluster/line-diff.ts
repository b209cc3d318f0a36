import { lineDiff as editScript } from '../diff/line-diff.ts';

/**
 * A compact line diff of two multi-line values, no context lines: each hunk opens with
 * `@@ line N @@` (N: its first line in `before`, 1-based), then `- old` and `+ new` lines. The
 * edit script is the rendered diff's (diff/line-diff.ts); this is drift's way of printing it.
 */
export function lineDiff(before: string, after: string): string[] {
  const out: string[] = [];
  let lineA = 1;
  let open = false;
  for (const op of editScript(before.split('\n'), after.split('\n'), 0)) {
    if (op.op === 'skip' || op.op === '=') {
      lineA += op.op === 'skip' ? op.count : 1;
      open = false;
      continue;
    }
    if (!open) out.push(`@@ line ${lineA} @@`);
    open = true;
    out.push(`${op.op} ${op.text}`);
    if (op.op === '-') lineA++;
  }
  return out;
}
