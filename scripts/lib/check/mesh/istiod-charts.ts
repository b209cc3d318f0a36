import type { Finding } from '../finding.ts';
import type { RuleContext } from '../rule.ts';
import type { HelmChartSource } from '../../repo/walk.ts';

/** The istiod charts an environment installs (not rendered offline: rules read their values). */
export const istiodCharts = (ctx: Pick<RuleContext, 'charts'>): HelmChartSource[] =>
  ctx.charts.filter((c) => c.chart === 'istiod');

/** A finding about a chart's values, at `path` in its last value file (the environment's own). */
export function valuesFinding(
  ctx: RuleContext,
  chart: HelmChartSource,
  path: (string | number)[],
  message: string,
): Finding {
  const file = ctx.valueFileSetting(chart, path) ?? '';
  return {
    rule: '',
    severity: undefined as never,
    message,
    file,
    line: file ? ctx.lineInFile(file, path) : 1,
    env: ctx.env,
  };
}
