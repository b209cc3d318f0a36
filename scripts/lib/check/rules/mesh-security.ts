import type { Finding } from '../finding.ts';
import type { Rule } from '../rule.ts';
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

export const injectionLabels: Rule = {
  id: 'mesh/injection-labels',
  severity: 'error',
  istioCode: 'IST0123',
  title: 'A namespace uses one sidecar injection label (seed property 1)',
  why: 'With both istio-injection and istio.io/rev set, istio.io/rev is ignored: the namespace is not injected by the revision you meant.',
  hint: 'keep only istio.io/rev: <revision tag>',
  check: (ctx) =>
    ctx.resources
      .filter((r) => r.object.apiVersion === 'v1' && r.object.kind === 'Namespace')
      .filter(
        (r) =>
          r.object.metadata?.labels?.['istio-injection'] !== undefined &&
          r.object.metadata?.labels?.['istio.io/rev'] !== undefined,
      )
      .map((r) =>
        at(
          ctx,
          r,
          ['metadata', 'labels', 'istio-injection'],
          `${name(r)} has both istio-injection and istio.io/rev`,
        ),
      ),
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

export const gatewayTls: Rule = {
  id: 'mesh/gateway-tls',
  severity: 'error',
  title: 'HTTPS gateway servers terminate TLS with a credential; HTTP servers redirect (seed property 9)',
  why: 'An HTTPS server without a TLS mode and credential cannot serve; plain HTTP without a redirect exposes traffic.',
  hint: 'HTTPS: tls {mode: SIMPLE, credentialName: <secret>}; HTTP: tls {httpsRedirect: true}',
  check: (ctx) =>
    ofKind(ctx, ISTIO_NETWORKING, 'Gateway').flatMap((g) =>
      ((spec(g.object).servers ?? []) as Record<string, any>[]).flatMap((s, i) => {
        const protocol = String(s.port?.protocol ?? '').toUpperCase();
        if (
          protocol === 'HTTPS' &&
          (!s.tls?.mode ||
            (['SIMPLE', 'MUTUAL'].includes(s.tls.mode) && !s.tls.credentialName && !s.tls.serverCertificate))
        )
          return [
            at(
              ctx,
              g,
              ['spec', 'servers', i, 'tls'],
              `${name(g)}: HTTPS server ${s.port?.name ?? i} has no TLS mode and credential`,
            ),
          ];
        if (protocol === 'HTTP' && s.tls?.httpsRedirect !== true)
          return [
            at(
              ctx,
              g,
              ['spec', 'servers', i],
              `${name(g)}: HTTP server ${s.port?.name ?? i} does not redirect to HTTPS`,
              { severity: 'warning' },
            ),
          ];
        if ((s.hosts ?? []).some((h: string) => h === '*' || h.endsWith('/*')))
          return [
            at(
              ctx,
              g,
              ['spec', 'servers', i, 'hosts'],
              `${name(g)}: server ${s.port?.name ?? i} accepts any host (*)`,
              { severity: 'warning' },
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
    for (const r of ofKind(ctx, ISTIO_SECURITY, 'AuthorizationPolicy'))
      ((spec(r.object).rules ?? []) as Record<string, any>[]).forEach((rule, i) =>
        ((rule.from ?? []) as Record<string, any>[]).forEach((from, j) => {
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

export const MESH_SECURITY_RULES: readonly Rule[] = [
  authorizationMatchDirection,
  authorizationNamespacesExist,
  injectionLabels,
  requestAuthenticationJwks,
  gatewayTls,
];
