import type { RuleContext } from '../rule.ts';
import { istiodCharts } from './istiod-charts.ts';

/** Providers every mesh config has unless it redefines them (istiod's default extensionProviders). */
export const BUILTIN_PROVIDERS: readonly string[] = ['envoy', 'prometheus', 'stackdriver'];

/**
 * The mesh config istiod runs with, from the `meshConfig` values of the environment's istiod chart(s);
 * undefined when the environment installs no istiod chart (loose files, or a mesh managed elsewhere).
 */
export function meshConfigOf(ctx: RuleContext): Record<string, any> | undefined {
  const charts = istiodCharts(ctx);
  if (charts.length === 0) return undefined;
  return Object.assign(
    {},
    ...charts.map((c) => (ctx.chartValues(c).meshConfig ?? {}) as Record<string, any>),
  ) as Record<string, any>;
}

/** Names of the providers a Telemetry may reference: the built-in ones and the extensionProviders. */
export function providerNames(mesh: Record<string, any>): Set<string> {
  return new Set([
    ...BUILTIN_PROVIDERS,
    ...((mesh.extensionProviders ?? []) as { name?: string }[]).map((p) => String(p.name ?? '')),
  ]);
}
