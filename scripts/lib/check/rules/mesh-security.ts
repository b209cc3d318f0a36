import type { Finding } from '../finding.ts';
import type { Rule, RuleContext } from '../rule.ts';
import { analysisScope, SECURITY } from '../mesh/analysis-scope.ts';
import { istiodCharts, valuesFinding } from '../mesh/istiod-charts.ts';
import { isHttpProtocol, isTlsProtocol, parseProtocol } from '../mesh/protocol.ts';
import { at, ISTIO_NETWORKING, ISTIO_SECURITY, name, ofKind, spec } from './rule-helpers.ts';
import { knownNamespaces, namespaceMatches } from '../environment/namespaces.ts';

const NEGATIVE = /^not[A-Z]/;

/** Keys of an AuthorizationPolicy rule's from/to/when that match positively and negatively. */
function matchKeys(rule: Record<string, any>): { positive: string[]; negative: string[] } {
  const keys: string[] = [];
  for (const f of rule.from ?? []) keys.push(...Object.keys(f.source ?? {}));
  for (const t of rule.to ?? []) keys.push(...Object.keys(t.operation ?? {}));
  for (const w of rule.when ?? []) {
    if (w.values) keys.push('values');
    if (w.notValues) keys.push('notValues');
  }
  return { positive: keys.filter((k) => !NEGATIVE.test(k)), negative: keys.filter((k) => NEGATIVE.test(k)) };
}

export const authorizationMatchDirection: Rule = {
  id: 'mesh/authz-match-direction',
  severity: 'warning',
  title: 'ALLOW policies match positively, DENY policies negatively',
  why: "Istio's security best practice: a negative match in ALLOW (or a positive one in DENY) lets unexpected requests through when paths or principals are spelled differently.",
  hint: 'rewrite ALLOW rules with principals/paths/methods, DENY rules with notPrincipals/notPaths/notMethods',
  check: (ctx) =>
    ofKind(ctx, ISTIO_SECURITY, 'AuthorizationPolicy').flatMap((r) => {
      const s = spec(r.object);
      const action = s.action ?? 'ALLOW';
      return ((s.rules ?? []) as Record<string, any>[]).flatMap((rule, i) => {
        const { positive, negative } = matchKeys(rule);
        if (action === 'ALLOW' && negative.length)
          return [
            at(
              ctx,
              r,
              ['spec', 'rules', i],
              `${name(r)}: ALLOW rule uses negative matches (${negative.join(', ')})`,
            ),
          ];
        if (action === 'DENY' && positive.length)
          return [
            at(
              ctx,
              r,
              ['spec', 'rules', i],
              `${name(r)}: DENY rule uses positive matches (${positive.join(', ')})`,
            ),
          ];
        return [];
      });
    }),
};

const INJECTION = 'istio-injection';
const REVISION = 'istio.io/rev';
const DATAPLANE_MODE = 'istio.io/dataplane-mode';

/** Namespaces istioctl's injection.Analyzer looks at: all but the control plane's own. */
const injectionNamespaces = (ctx: RuleContext) =>
  analysisScope(ctx)
    .of('', 'Namespace')
    .filter((r) => r.object.metadata?.name !== 'istio-system');

export const injectionLabels: Rule = {
  id: 'mesh/injection-labels',
  severity: 'error',
  istioCode: 'IST0123',
  title: 'A namespace opts into the data plane with one label (seed property 1)',
  why: 'With istio-injection=enabled and istio.io/rev (or istio.io/dataplane-mode) together, Istio honours only one of them: the namespace is not meshed the way its other label says.',
  hint: 'keep one: istio.io/rev: <revision tag> for sidecars, or istio.io/dataplane-mode: ambient',
  // istioctl's injection.Analyzer: istio-injection plus istio.io/rev or istio.io/dataplane-mode, the
  // latter two counting only when istio-injection is absent or "enabled".
  check: (ctx) =>
    injectionNamespaces(ctx).flatMap((r) => {
      const labels = r.object.metadata?.labels ?? {};
      const injection = labels[INJECTION];
      const set = [
        ...(injection !== undefined ? [`${INJECTION}=${injection}`] : []),
        ...[REVISION, DATAPLANE_MODE]
          .filter((l) => labels[l] !== undefined && (injection === undefined || injection === 'enabled'))
          .map((l) => `${l}=${labels[l]}`),
      ];
      if (set.length < 2) return [];
      const field = injection !== undefined ? INJECTION : REVISION;
      return [
        at(
          ctx,
          r,
          ['metadata', 'labels', field],
          `${name(r)} has several data plane labels: ${set.join(', ')}`,
        ),
      ];
    }),
};

/** Does the injector inject namespaces without a label (sidecarInjectorWebhook.enableNamespacesByDefault)? */
function injectsByDefault(ctx: RuleContext): boolean {
  const configMap = analysisScope(ctx)
    .of('', 'ConfigMap')
    .find((r) => r.object.metadata?.name === 'istio-sidecar-injector');
  if (configMap) {
    try {
      const values = JSON.parse(
        String((configMap.object.data as Record<string, unknown> | undefined)?.values ?? ''),
      );
      return values?.sidecarInjectorWebhook?.enableNamespacesByDefault === true;
    } catch {
      return false;
    }
  }
  // The chart renders that ConfigMap from its values; only the default revision's is consulted.
  return istiodCharts(ctx)
    .map((c) => ctx.chartValues(c))
    .filter((v) => !v.revision || v.revision === 'default')
    .some(
      (v) =>
        (v.sidecarInjectorWebhook as Record<string, unknown> | undefined)?.enableNamespacesByDefault === true,
    );
}

export const namespaceInjection: Rule = {
  id: 'mesh/namespace-injection',
  severity: 'info',
  istioCode: 'IST0102',
  title: 'Namespaces say whether they join the mesh',
  why: 'A namespace without istio-injection, istio.io/rev or istio.io/dataplane-mode gets no sidecars (or, when the injector injects by default, gets them without saying so).',
  hint: 'label the namespace istio.io/rev: <revision tag> (or istio-injection: disabled to stay out)',
  // istioctl's injection.Analyzer: IST0102 (IST0148 when the injector injects namespaces by default).
  check: (ctx) => {
    const byDefault = injectsByDefault(ctx);
    return injectionNamespaces(ctx).flatMap((r) => {
      const labels = r.object.metadata?.labels ?? {};
      if (labels[DATAPLANE_MODE] === 'ambient' || labels[INJECTION] || labels[REVISION] !== undefined)
        return [];
      const ns = r.object.metadata?.name ?? '';
      return [
        at(
          ctx,
          r,
          ['metadata', 'name'],
          byDefault
            ? `${name(r)}: the injector injects sidecars here because it injects every unlabelled namespace`
            : `${name(r)}: namespace ${ns} is not enabled for Istio injection`,
          byDefault ? { istioCode: 'IST0148' } : {},
        ),
      ];
    });
  },
};

export const requestAuthenticationJwks: Rule = {
  id: 'mesh/request-authentication-jwks',
  severity: 'error',
  title: 'JWT rules name an issuer and an https jwksUri or inline jwks (seed property 16)',
  why: 'Without an issuer or keys every token is rejected; keys fetched over plain http can be spoofed.',
  hint: 'set issuer and jwksUri: https://…/.well-known/jwks.json (or jwks)',
  check: (ctx) =>
    ofKind(ctx, ISTIO_SECURITY, 'RequestAuthentication').flatMap((r) =>
      ((spec(r.object).jwtRules ?? []) as Record<string, any>[]).flatMap((j, i) => {
        const out: Finding[] = [];
        if (!j.issuer)
          out.push(at(ctx, r, ['spec', 'jwtRules', i], `${name(r)}: jwtRules[${i}] has no issuer`));
        if (!j.jwks && !(typeof j.jwksUri === 'string' && j.jwksUri.startsWith('https://')))
          out.push(
            at(
              ctx,
              r,
              ['spec', 'jwtRules', i, 'jwksUri'],
              `${name(r)}: jwtRules[${i}] needs an https jwksUri or inline jwks`,
            ),
          );
        return out;
      }),
    ),
};

/** TLS modes in which the gateway presents no certificate of its own: istiod accepts them on HTTPS. */
const NOT_TERMINATING = new Set([undefined, 'PASSTHROUGH', 'AUTO_PASSTHROUGH']);

export const gatewayTls: Rule = {
  id: 'mesh/gateway-tls',
  severity: 'error',
  title:
    'HTTPS gateway servers terminate TLS; HTTP servers redirect; HTTP and TLS servers name their hosts (seed property 9; no istioctl counterpart)',
  why: 'An HTTPS server that passes TLS through never applies the routes, authentication and policy written for it; plain HTTP without a redirect exposes traffic; a `*` host on an HTTP or TLS server accepts any Host or SNI.',
  hint: 'HTTPS: tls {mode: SIMPLE, credentialName (or credentialNames): <secret>}; HTTP: tls {httpsRedirect: true}; name the hosts served',
  // What istiod itself rejects (an HTTPS server without TLS settings, SIMPLE without a certificate) is
  // mesh/istiod-validation's; this is the repository's policy beyond it.
  check: (ctx) =>
    ofKind(ctx, ISTIO_NETWORKING, 'Gateway').flatMap((g) =>
      ((spec(g.object).servers ?? []) as Record<string, any>[]).flatMap((s, i) => {
        const protocol = parseProtocol(String(s?.port?.protocol ?? ''));
        const tls = s?.tls as Record<string, any> | undefined;
        if (protocol === 'HTTPS' && tls && NOT_TERMINATING.has(tls.mode))
          return [
            at(
              ctx,
              g,
              ['spec', 'servers', i, 'tls'],
              `${name(g)}: HTTPS server ${s.port?.name ?? i} passes TLS through (mode ${tls.mode ?? 'unset, PASSTHROUGH'}) instead of terminating it`,
            ),
          ];
        if (protocol === 'HTTP' && tls?.httpsRedirect !== true)
          return [
            at(
              ctx,
              g,
              ['spec', 'servers', i],
              `${name(g)}: HTTP server ${s.port?.name ?? i} does not redirect to HTTPS`,
              {
                severity: 'warning',
              },
            ),
          ];
        // Hosts select traffic by Host header or SNI only; a plain TCP server ignores them.
        const selectsByHost = isHttpProtocol(protocol) || isTlsProtocol(protocol);
        if (selectsByHost && ((s.hosts ?? []) as string[]).some((h) => h === '*' || h.endsWith('/*')))
          return [
            at(
              ctx,
              g,
              ['spec', 'servers', i, 'hosts'],
              `${name(g)}: server ${s.port?.name ?? i} accepts any host (*)`,
              {
                severity: 'warning',
              },
            ),
          ];
        return [];
      }),
    ),
};

export const authorizationNamespacesExist: Rule = {
  id: 'mesh/authz-namespaces-exist',
  severity: 'error',
  istioCode: 'IST0101',
  title: 'AuthorizationPolicy source namespaces and notNamespaces exist in the environment',
  why: 'A misspelt namespace matches no caller: an ALLOW policy then denies the callers it was written for, a DENY policy stops nobody.',
  hint: 'name a namespace this environment creates (a Namespace, or a namespace resources or Applications deploy to)',
  // istioctl's AuthorizationPoliciesAnalyzer (analyzers/authz): every from.source namespaces and
  // notNamespaces entry must match an existing namespace, `*` prefix/suffix wildcards allowed.
  check: (ctx) => {
    const namespaces = [...knownNamespaces(ctx.resources)];
    const out: Finding[] = [];
    for (const r of analysisScope(ctx).of(SECURITY, 'AuthorizationPolicy'))
      ((spec(r.object).rules ?? []) as Record<string, any>[]).forEach((rule, i) =>
        ((rule?.from ?? []) as Record<string, any>[]).forEach((from, j) => {
          for (const field of ['namespaces', 'notNamespaces'])
            ((from.source?.[field] ?? []) as string[]).forEach((ns, k) => {
              if (!namespaces.some((n) => namespaceMatches(ns, n)))
                out.push(
                  at(
                    ctx,
                    r,
                    ['spec', 'rules', i, 'from', j, 'source', field, k],
                    `${name(r)}: referenced namespace not found: "${ns}" (${field})`,
                  ),
                );
            });
        }),
      );
    return out;
  },
};

const BLOCKED_CIDRS = 'BLOCKED_CIDRS_IN_JWKS_URIS';

export const jwksFetchRestricted: Rule = {
  id: 'mesh/jwks-fetch-restricted',
  severity: 'warning',
  istioCode: 'IST0175',
  title: 'istiod restricts the addresses it fetches JWKS from when RequestAuthentications exist',
  why: 'istiod fetches every jwksUri itself: without BLOCKED_CIDRS_IN_JWKS_URIS a RequestAuthentication can make it call internal addresses (cloud metadata, cluster services).',
  hint: 'set env.BLOCKED_CIDRS_IN_JWKS_URIS in the istiod values (e.g. 169.254.0.0/16,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16)',
  // istioctl's authn.BlockedCIDRsAnalyzer looks at the istiod Deployment (label app: istiod); an
  // environment installs istiod from its chart, whose env values become that Deployment's env.
  check: (ctx) => {
    const scope = analysisScope(ctx);
    const requestAuthentications = scope.of(SECURITY, 'RequestAuthentication');
    if (requestAuthentications.length === 0) return [];
    const names = requestAuthentications.map(
      (r) => `${r.object.metadata?.namespace ?? ''}/${r.object.metadata?.name}`,
    );
    const listed =
      names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')}, and ${names.length - 5} more`;
    const text = `istiod fetches JWKS for ${names.length} RequestAuthentication(s) (${listed}) from any address`;
    const out: Finding[] = [];
    for (const d of scope.of('apps', 'Deployment')) {
      if (d.object.metadata?.labels?.app !== 'istiod') continue;
      const containers = (spec(d.object).template?.spec?.containers ?? []) as Record<string, any>[];
      const restricted = containers.some((c) =>
        ((c?.env ?? []) as Record<string, any>[]).some((e) => e?.name === BLOCKED_CIDRS && e?.value),
      );
      if (!restricted)
        out.push(at(ctx, d, ['spec', 'template', 'spec', 'containers'], `${name(d)}: ${text}`));
    }
    for (const chart of istiodCharts(ctx)) {
      const values = ctx.chartValues(chart) as Record<string, any>;
      if (values.env?.[BLOCKED_CIDRS] || values.pilot?.env?.[BLOCKED_CIDRS]) continue;
      out.push(
        valuesFinding(
          ctx,
          chart,
          ['env'],
          `istiod (chart ${chart.chart}, Application ${chart.app}): ${text}`,
        ),
      );
    }
    return out;
  },
};

export const MESH_SECURITY_RULES: readonly Rule[] = [
  authorizationMatchDirection,
  authorizationNamespacesExist,
  injectionLabels,
  namespaceInjection,
  jwksFetchRestricted,
  requestAuthenticationJwks,
  gatewayTls,
];
