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

const isMap = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

export function chartAccess(
  index: SourceIndex,
  charts: readonly HelmChartSource[],
): Pick<RuleContext, 'charts' | 'chartValues' | 'lineInFile'> {
  return {
    charts,
    chartValues: (chart) =>
      chart.valueFiles.reduce<Record<string, unknown>>((acc, v) => {
        if (!v.file) return acc;
        try {
          const doc = index.documents(v.file)[0]?.value;
          return isMap(doc) ? mergeValues(acc, doc) : acc;
        } catch {
          return acc;
        }
      }, {}),
    lineInFile: (file, path) => {
      try {
        return index.lineOf({ file, line: index.documents(file)[0]?.line ?? 1 }, path);
      } catch {
        return 1;
      }
    },
  };
}
