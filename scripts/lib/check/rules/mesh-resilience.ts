import type { Finding } from '../finding.ts';
import { chartNamespaces, chartReleaseAccounts } from '../environment/chart-namespaces.ts';
import type { Rule, RuleContext } from '../rule.ts';
import { meshConfigOf } from '../mesh/mesh-config-values.ts';
import { namespaceOf } from '../mesh/hosts.ts';
import { at, durationMs, ISTIO_NETWORKING, ISTIO_SECURITY, name, ofKind, spec } from './rule-helpers.ts';

/** Checks one trafficPolicy's outlierDetection and connectionPool values (seed property 6). */
function circuitBreakerProblems(tp: Record<string, any> | undefined): { path: string[]; message: string }[] {
  const out: { path: string[]; message: string }[] = [];
  const od = tp?.outlierDetection;
  if (od) {
    for (const k of ['consecutive5xxErrors', 'consecutiveGatewayErrors'])
      if (od[k] !== undefined && !(Number.isInteger(od[k]) && od[k] >= 0))
        out.push({ path: ['outlierDetection', k], message: `${k} must be a whole number ≥ 0` });
    for (const k of ['interval', 'baseEjectionTime'])
      if (od[k] !== undefined && !(durationMs(od[k])! > 0))
        out.push({ path: ['outlierDetection', k], message: `${k} "${od[k]}" must be a positive duration` });
    if (od.maxEjectionPercent !== undefined && !(od.maxEjectionPercent >= 0 && od.maxEjectionPercent <= 100))
      out.push({
        path: ['outlierDetection', 'maxEjectionPercent'],
        message: 'maxEjectionPercent must be within 0–100',
      });
  }
  const cp = tp?.connectionPool;
  for (const [k, v] of Object.entries({ ...(cp?.tcp ?? {}), ...(cp?.http ?? {}) }))
    if (/^(max|http1Max|http2Max)/.test(k) && !(Number.isInteger(v) && (v as number) > 0))
      out.push({
        path: ['connectionPool', cp?.tcp?.[k] !== undefined ? 'tcp' : 'http', k],
        message: `${k} must be a whole number > 0`,
      });
  return out;
}

export const circuitBreakerValid: Rule = {
  id: 'mesh/circuit-breaker',
  severity: 'error',
  title: 'Circuit breaker settings are in range (seed property 6)',
  why: 'A zero pool size blocks all traffic; an ejection percentage over 100 or a non-duration is rejected by istiod.',
  hint: 'consecutive5xxErrors ≥ 0, interval and baseEjectionTime as durations, maxEjectionPercent 0–100, pool sizes > 0',
  check: (ctx) =>
    ofKind(ctx, ISTIO_NETWORKING, 'DestinationRule').flatMap((r) => {
      const s = spec(r.object);
      const policies: [Record<string, any> | undefined, (string | number)[]][] = [
        [s.trafficPolicy, ['spec', 'trafficPolicy']],
      ];
      ((s.subsets ?? []) as Record<string, any>[]).forEach((sub, i) =>
        policies.push([sub.trafficPolicy, ['spec', 'subsets', i, 'trafficPolicy']]),
      );
      return policies.flatMap(([tp, base]) =>
        circuitBreakerProblems(tp).map((p) => at(ctx, r, [...base, ...p.path], `${name(r)}: ${p.message}`)),
      );
    }),
};

const PRINCIPAL = /^([^/]+)\/ns\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/sa\/([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/;

/** The trust domains istiod accepts principals in: meshConfig.trustDomain (cluster.local by default) and its aliases. */
function trustDomains(ctx: RuleContext): Set<string> {
  const mesh = meshConfigOf(ctx);
  return new Set([
    String(mesh?.trustDomain ?? 'cluster.local'),
    ...((mesh?.trustDomainAliases ?? []) as unknown[]).map(String),
  ]);
}

export const principalsValid: Rule = {
  id: 'mesh/authz-principals',
  severity: 'error',
  title:
    'AuthorizationPolicy principals are <trust domain>/ns/<ns>/sa/<sa> of a ServiceAccount that exists (seed property 15; no istioctl counterpart)',
  why: 'A misspelt principal, or one in a trust domain the mesh does not accept, matches nobody: an ALLOW policy then denies the caller it was written for.',
  hint: 'write principals as <trust domain>/ns/<namespace>/sa/<serviceaccount> (the trust domain is meshConfig.trustDomain, cluster.local by default, or one of its trustDomainAliases), for a ServiceAccount deployed in this environment',
  check: (ctx) => {
    const domains = trustDomains(ctx);
    const accounts = new Set(
      ctx.resources
        .filter((r) => r.object.kind === 'ServiceAccount')
        .map((r) => `${namespaceOf(r)}/${r.object.metadata?.name}`),
    );
    for (const account of chartReleaseAccounts(ctx)) accounts.add(account);
    const knowsAccounts = accounts.size > 0;
    const charts = chartNamespaces(ctx);
    const out: Finding[] = [];
    for (const r of ofKind(ctx, ISTIO_SECURITY, 'AuthorizationPolicy'))
      ((spec(r.object).rules ?? []) as Record<string, any>[]).forEach((rule, i) =>
        ((rule.from ?? []) as Record<string, any>[]).forEach((f, j) =>
          ((f.source?.principals ?? []) as string[]).forEach((p, k) => {
            const path = ['spec', 'rules', i, 'from', j, 'source', 'principals', k];
            if (p === '*' || p.includes('*')) return;
            const m = PRINCIPAL.exec(p);
            if (!m)
              out.push(
                at(ctx, r, path, `${name(r)}: principal "${p}" is not <trust domain>/ns/<ns>/sa/<sa>`),
              );
            else if (!domains.has(m[1]!))
              out.push(
                at(
                  ctx,
                  r,
                  path,
                  `${name(r)}: principal "${p}" is in trust domain ${m[1]}, which the mesh does not accept (${[...domains].join(', ')})`,
                ),
              );
            else if (knowsAccounts && !accounts.has(`${m[2]}/${m[4]}`)) {
              // A chart deployed to that namespace (the ingress gateway chart, say) creates its own
              // ServiceAccounts, which offline rendering cannot see: a doubt, not a fact.
              const chart = charts.get(m[2]!);
              out.push(
                at(
                  ctx,
                  r,
                  path,
                  `${name(r)}: ServiceAccount ${m[2]}/${m[4]} of principal "${p}" is not deployed${chart ? ` (chart ${chart} deploys there and may create it)` : ''}`,
                  chart ? { severity: 'warning' } : {},
                ),
              );
            }
          }),
        ),
      );
    return out;
  },
};

const DNS_NAME = /^(\*\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const serviceEntryHosts: Rule = {
  id: 'mesh/serviceentry-hosts',
  severity: 'error',
  title: 'ServiceEntry hosts are valid DNS names, wildcards only without DNS resolution (seed property 19)',
  why: 'istiod cannot resolve a wildcard with resolution DNS, and rejects hosts that are not DNS names.',
  hint: 'use exact hosts with resolution DNS, or resolution NONE for wildcard hosts',
  check: (ctx) =>
    ofKind(ctx, ISTIO_NETWORKING, 'ServiceEntry').flatMap((r) =>
      ((spec(r.object).hosts ?? []) as string[]).flatMap((h, i) => {
        if (!DNS_NAME.test(h))
          return [at(ctx, r, ['spec', 'hosts', i], `${name(r)}: host "${h}" is not a valid DNS name`)];
        if (h.startsWith('*') && ['DNS', 'DNS_ROUND_ROBIN'].includes(spec(r.object).resolution))
          return [
            at(
              ctx,
              r,
              ['spec', 'hosts', i],
              `${name(r)}: wildcard host ${h} with resolution ${spec(r.object).resolution}`,
            ),
          ];
        return [];
      }),
    ),
};

export const externalDestinationComplete: Rule = {
  id: 'mesh/external-destination',
  severity: 'warning',
  title: 'External services get TLS origination and a circuit breaker (seed property 21)',
  why: 'Calls leaving the mesh are neither encrypted by mTLS nor protected from a failing dependency unless a DestinationRule says so.',
  hint: 'add a DestinationRule for each MESH_EXTERNAL host with tls.mode SIMPLE (or MUTUAL) and outlierDetection',
  check: (ctx) => {
    const rules = ofKind(ctx, ISTIO_NETWORKING, 'DestinationRule');
    const out: Finding[] = [];
    for (const se of ofKind(ctx, ISTIO_NETWORKING, 'ServiceEntry')) {
      if (spec(se.object).location !== 'MESH_EXTERNAL') continue;
      const tlsPorts = ((spec(se.object).ports ?? []) as { protocol?: string }[]).every((p) =>
        ['TLS', 'HTTPS'].includes(String(p.protocol).toUpperCase()),
      );
      ((spec(se.object).hosts ?? []) as string[]).forEach((h, i) => {
        const dr = rules.find((r) => spec(r.object).host === h);
        const tp = dr ? (spec(dr.object).trafficPolicy ?? {}) : {};
        const tls =
          tp.tls?.mode ??
          ((tp.portLevelSettings ?? []) as Record<string, any>[]).find((p) => p.tls)?.tls?.mode;
        if (!dr)
          out.push(
            at(ctx, se, ['spec', 'hosts', i], `${name(se)}: external host ${h} has no DestinationRule`),
          );
        else {
          if (!tlsPorts && !['SIMPLE', 'MUTUAL'].includes(tls))
            out.push(
              at(ctx, dr, ['spec', 'trafficPolicy'], `${name(dr)}: external host ${h} is not TLS-originated`),
            );
          if (!tp.outlierDetection)
            out.push(
              at(
                ctx,
                dr,
                ['spec', 'trafficPolicy'],
                `${name(dr)}: external host ${h} has no outlierDetection`,
              ),
            );
        }
      });
    }
    return out;
  },
};

export const MESH_RESILIENCE_RULES: readonly Rule[] = [
  circuitBreakerValid,
  principalsValid,
  serviceEntryHosts,
  externalDestinationComplete,
];
