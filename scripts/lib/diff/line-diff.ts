export type LineOp =
  | { op: '=' | '-' | '+'; text: string }
  /** Unchanged lines left out of a compact diff. */
  | { op: 'skip'; count: number };

/** Above this many cells the table would cost too much memory: the middle is shown as replaced. */
const MAX_CELLS = 4_000_000;

/**
 * Pure: a line diff of two texts given as lines (longest common subsequence after trimming the
 * common start and end), compacted to the changed lines and `context` unchanged lines around each.
 */
export function lineDiff(a: readonly string[], b: readonly string[], context = 1): LineOp[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: LineOp[] = a.slice(0, start).map((text) => ({ op: '=', text }));
  ops.push(...middle(a.slice(start, endA), b.slice(start, endB)));
  ops.push(...a.slice(endA).map((text) => ({ op: '=' as const, text })));
  return compact(ops, context);
}

function middle(a: readonly string[], b: readonly string[]): LineOp[] {
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_CELLS)
    return [
      ...a.map((text) => ({ op: '-' as const, text })),
      ...b.map((text) => ({ op: '+' as const, text })),
    ];
  // lcs[i * (m + 1) + j]: length of the longest common subsequence of a[i..] and b[j..].
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i * w + j] =
        a[i] === b[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
  const out: LineOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: '=', text: a[i]! });
      i++;
      j++;
    } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) out.push({ op: '-', text: a[i++]! });
    else out.push({ op: '+', text: b[j++]! });
  }
  while (i < n) out.push({ op: '-', text: a[i++]! });
  while (j < m) out.push({ op: '+', text: b[j++]! });
  return out;
}

function compact(ops: LineOp[], context: number): LineOp[] {
  const near = new Array<boolean>(ops.length).fill(false);
  ops.forEach((o, i) => {
    if (o.op === '=') return;
    for (let k = Math.max(0, i - context); k <= Math.min(ops.length - 1, i + context); k++) near[k] = true;
  });
  const out: LineOp[] = [];
  ops.forEach((o, i) => {
    if (near[i]) out.push(o);
    else {
      const last = out.at(-1);
      if (last?.op === 'skip') last.count++;
      else out.push({ op: 'skip', count: 1 });
    }
  });
  return out;
}
