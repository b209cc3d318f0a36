/** Above this many line pairs the diff only trims the common start and end (still correct, less minimal). */
const MAX_CELLS = 250_000;

/**
 * A compact line diff of two multi-line values, no context lines: each hunk opens with
 * `@@ line N @@` (N: its first line in `before`, 1-based), then `- old` and `+ new` lines.
 */
export function lineDiff(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops = editScript(a.slice(start, endA), b.slice(start, endB));
  const out: string[] = [];
  let lineA = start + 1;
  let open = false;
  for (const op of ops) {
    if (op.kind === 'same') {
      lineA++;
      open = false;
      continue;
    }
    if (!open) out.push(`@@ line ${lineA} @@`);
    open = true;
    if (op.kind === 'del') {
      out.push(`- ${op.text}`);
      lineA++;
    } else out.push(`+ ${op.text}`);
  }
  return out;
}

type Op = { kind: 'same' | 'del' | 'add'; text: string };

/** Longest-common-subsequence edit script; deletions before additions within a hunk. */
function editScript(a: string[], b: string[]): Op[] {
  if (a.length * b.length > MAX_CELLS)
    return [
      ...a.map((text) => ({ kind: 'del' as const, text })),
      ...b.map((text) => ({ kind: 'add' as const, text })),
    ];
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: 'same', text: a[i]! });
      i++;
      j++;
    } else if (j >= m || (i < n && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      ops.push({ kind: 'del', text: a[i++]! });
    } else {
      ops.push({ kind: 'add', text: b[j++]! });
    }
  }
  return ops;
}
