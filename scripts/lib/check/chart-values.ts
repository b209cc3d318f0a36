import type { SourceIndex } from '../repo/source-index.ts';
import type { HelmChartSource } from '../repo/walk.ts';
import type { RuleContext } from './rule.ts';

/** Helm's merge of value files: maps merge key by key, everything else (lists included) is replaced. */
export function mergeValues(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isMap(b) && isMap(v) ? mergeValues(b, v) : v;
  }
  return out;
}

export const isMap = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** A value file's mapping, or undefined when it is no mapping or cannot be read. */
export function valueFile(index: SourceIndex, file: string): Record<string, unknown> | undefined {
  try {
    const doc = index.documents(file)[0]?.value;
    return isMap(doc) ? doc : undefined;
  } catch {
    return undefined;
  }
}

/** The line of a field of a value file (1 when the file cannot be read). */
export function lineInFile(index: SourceIndex, file: string, path: readonly (string | number)[]): number {
  try {
    return index.lineOf({ file, line: index.documents(file)[0]?.line ?? 1 }, path);
  } catch {
    return 1;
  }
}

export function chartAccess(
  index: SourceIndex,
  charts: readonly HelmChartSource[],
): Pick<RuleContext, 'charts' | 'chartValues' | 'lineInFile' | 'valueFileSetting'> {
  return {
    charts,
    chartValues: (chart) =>
      chart.valueFiles.reduce<Record<string, unknown>>((acc, v) => {
        const values = v.file ? valueFile(index, v.file) : undefined;
        return values ? mergeValues(acc, values) : acc;
      }, {}),
    lineInFile: (file, path) => lineInFile(index, file, path),
    valueFileSetting: (chart, path) => {
      let best: { file: string; depth: number } | undefined;
      for (const v of chart.valueFiles) {
        if (!v.file) continue;
        let node: unknown = valueFile(index, v.file);
        let depth = 0;
        for (const key of path) {
          if (!isMap(node) && !Array.isArray(node)) break;
          node = (node as Record<string | number, unknown>)[key];
          if (node === undefined) break;
          depth++;
        }
        // `>=`: a later file at the same depth overrides the earlier one.
        if (!best || depth >= best.depth) best = { file: v.file, depth };
      }
      return best?.file;
    },
  };
}
