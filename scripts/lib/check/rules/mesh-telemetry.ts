import type { Finding } from '../finding.ts';
import type { Rule } from '../rule.ts';
import { meshConfigOf, providerNames } from '../mesh/mesh-config-values.ts';
import { analysisScope, TELEMETRY } from '../mesh/analysis-scope.ts';
import { at, name, ofKind, spec } from './rule-helpers.ts';

const TELEMETRY_API = /^telemetry\.istio\.io\//;

export const telemetryEmptyProviders: Rule = {
  id: 'mesh/telemetry-empty-providers',
  severity: 'warning',
  istioCode: 'IST0157',
  title: 'Telemetry access logging names a provider when the mesh has no default one',
  why: 'An accessLogging entry without providers falls back to meshConfig.defaultProviders.accessLogging; when that is empty istiod ignores the entry, so nothing is logged.',
  hint: 'list providers (e.g. - name: envoy) or set meshConfig.defaultProviders.accessLogging in the istiod values',
  // istioctl's telemetry.ProviderAnalyzer (analyzers/telemetry/providers.go): only when the mesh config
  // has no default access-logging provider, an accessLogging entry that is not disabled and names no
  // provider. Its message names only the Telemetry, so istioctl says it once per Telemetry.
  check: (ctx) => {
    const defaults = (meshConfigOf(ctx)?.defaultProviders?.accessLogging ?? []) as unknown[];
    if (defaults.length > 0) return [];
    return analysisScope(ctx)
      .of(TELEMETRY, 'Telemetry')
      .flatMap((t) => {
        const entries = (spec(t.object).accessLogging ?? []) as Record<string, any>[];
        const i = entries.findIndex(
          (e) => e?.disabled !== true && ((e?.providers ?? []) as unknown[]).length === 0,
        );
        return i < 0
          ? []
          : [
              at(
                ctx,
                t,
                ['spec', 'accessLogging', i],
                `${name(t)}: accessLogging[${i}] names no provider and the mesh has no default one: it logs nothing`,
              ),
            ];
      });
  },
};

export const telemetryProvidersKnown: Rule = {
  id: 'mesh/telemetry-providers-known',
  severity: 'error',
  title: 'Telemetry access-logging and metrics providers are named and configured in the mesh',
  why: 'A provider that is unnamed or not an extensionProviders entry of the mesh config is dropped by istiod: that logging or metrics silently stops.',
  hint: 'name a provider from meshConfig.extensionProviders of the istiod values (or envoy / prometheus)',
  check: (ctx) => {
    const mesh = meshConfigOf(ctx);
    // Without the istiod chart the mesh config is not known here: only unnamed providers are certain.
    const known = mesh ? providerNames(mesh) : undefined;
    const out: Finding[] = [];
    for (const t of ofKind(ctx, TELEMETRY_API, 'Telemetry'))
      for (const section of ['accessLogging', 'metrics'])
        ((spec(t.object)[section] ?? []) as Record<string, any>[]).forEach((entry, i) =>
          ((entry.providers ?? []) as { name?: string }[]).forEach((p, j) => {
            const provider = String(p?.name ?? '');
            if (provider === '' || (known && !known.has(provider)))
              out.push(
                at(
                  ctx,
                  t,
                  [`spec`, section, i, 'providers', j],
                  provider === ''
                    ? `${name(t)}: ${section}[${i}].providers[${j}] names no provider`
                    : `${name(t)}: ${section} provider ${provider} is not an istiod extension provider`,
                ),
              );
          }),
        );
    return out;
  },
};

export const MESH_TELEMETRY_RULES: readonly Rule[] = [telemetryEmptyProviders, telemetryProvidersKnown];
