import { HELM_NOT_ON_PATH } from './helm-binary.ts';
import type { EnvironmentRender } from './walk.ts';

/** Applications of these renders whose charts were not looked inside because helm is missing. */
export function appsWithChartsNotRendered(renders: readonly EnvironmentRender[]): string[] {
  const names = new Set<string>();
  for (const r of renders) for (const c of r.charts) if (c.notRendered === HELM_NOT_ON_PATH) names.add(c.app);
  return [...names].sort();
}

/**
 * The one line a tool prints (to stderr, as information) when it could not look inside charts:
 * which Applications, and what that means for this tool's result (`consequence`).
 */
export function chartsNotRenderedNotice(apps: readonly string[], consequence: string): string | undefined {
  if (apps.length === 0) return undefined;
  return `info: ${HELM_NOT_ON_PATH}: did not look inside the Helm charts of ${apps.length} Application${apps.length === 1 ? '' : 's'} (${apps.join(', ')}); ${consequence}. Install helm to render them as Argo CD does.\n`;
}
