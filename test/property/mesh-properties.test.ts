import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  gatewayTls,
  injectionLabels,
  requestAuthenticationJwks,
} from '../../scripts/lib/check/rules/mesh-security.ts';
import {
  destinationExists,
  retriesWithinTimeout,
  routeWeights,
} from '../../scripts/lib/check/rules/mesh-routing.ts';
import { istiodValidation } from '../../scripts/lib/check/rules/mesh-validation.ts';
import { IGNORED_NAMESPACES } from '../../scripts/lib/check/mesh/analysis-scope.ts';
import type { KubeObject } from '../../scripts/lib/repo/resource.ts';
import { findings } from './rule-harness.ts';

const RUNS = { numRuns: 100 };
const dns = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);

/** Weights that add up to exactly 100 over 1–5 destinations. */
const weights = fc.integer({ min: 1, max: 5 }).chain((n) =>
  fc.array(fc.integer({ min: 0, max: 100 }), { minLength: n - 1, maxLength: n - 1 }).map((cuts) => {
    const sorted = [0, ...cuts.sort((a, b) => a - b), 100];
    return sorted.slice(1).map((v, i) => v - sorted[i]!);
  }),
);
const vs = (http: unknown[]): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'vs', namespace: 'n' },
  spec: { hosts: ['api'], http },
});
const route = (ws: number[]) => ({
  route: ws.map((weight, i) => ({ destination: { host: 'api', subset: `s${i}` }, weight })),
});

describe('seed property 5: route weights sum to 100', () => {
  it('valid splits produce no finding; one changed weight produces exactly this rule', () => {
    fc.assert(
      fc.property(weights, fc.integer({ min: 1, max: 50 }), (ws, delta) => {
        expect(findings(routeWeights, [vs([route(ws)])])).toEqual([]);
        if (ws.length < 2) return;
        const broken = [...ws];
        broken[0] = broken[0]! + delta;
        const f = findings(routeWeights, [vs([route(broken)])]);
        expect(f.map((x) => x.rule)).toEqual(['mesh/route-weights']);
      }),
      RUNS,
    );
  });
});

describe('seed properties 7 and 8: retries fit the timeout', () => {
  it('(attempts + 1) × perTryTimeout ≤ timeout passes (the first try and each retry); exceeding it or a bad duration fails', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 30 }),
        (attempts, per, slack) => {
          const ok = {
            timeout: `${(attempts + 1) * per + slack}s`,
            retries: { attempts, perTryTimeout: `${per}s`, retryOn: '5xx' },
          };
          expect(findings(retriesWithinTimeout, [vs([ok])])).toEqual([]);
          const tooLong = { ...ok, timeout: `${(attempts + 1) * per - 1}s` };
          expect(findings(retriesWithinTimeout, [vs([tooLong])]).map((x) => x.rule)).toEqual([
            'mesh/retries-within-timeout',
          ]);
          const badDuration = { ...ok, timeout: `${per} seconds` };
          expect(findings(retriesWithinTimeout, [vs([badDuration])]).map((x) => x.rule)).toEqual([
            'mesh/retries-within-timeout',
          ]);
        },
      ),
      RUNS,
    );
  });
});

describe('seed property 9: gateway TLS', () => {
  const gateway = (servers: unknown[]): KubeObject => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: 'gw', namespace: 'istio-ingress' },
    spec: { selector: { istio: 'ingress' }, servers },
  });
  it('HTTPS terminated with a credential, HTTP redirecting, passes; dropping the credential, passing TLS through or the redirect fails', () => {
    fc.assert(
      fc.property(dns, dns, fc.constantFrom('SIMPLE', 'MUTUAL'), (host, secret, mode) => {
        const https = {
          port: { number: 443, name: 'https', protocol: 'HTTPS' },
          hosts: [`${host}.example.com`],
          tls: { mode, credentialName: secret },
        };
        const http = {
          port: { number: 80, name: 'http', protocol: 'HTTP' },
          hosts: [`${host}.example.com`],
          tls: { httpsRedirect: true },
        };
        // istiod rejects what it cannot serve (mesh/istiod-validation); the repository also wants TLS
        // terminated and HTTP redirected (mesh/gateway-tls): together they hold property 9.
        const both = (g: KubeObject) =>
          [...findings(gatewayTls, [g]), ...findings(istiodValidation, [g])].map(
            (f) => `${f.rule}:${f.severity}`,
          );
        expect(both(gateway([https, http]))).toEqual([]);
        const noCredential = both(gateway([{ ...https, tls: { mode } }, http]));
        expect(noCredential.length).toBeGreaterThan(0);
        expect(new Set(noCredential)).toEqual(new Set(['mesh/istiod-validation:error']));
        expect(both(gateway([{ ...https, tls: { mode: 'PASSTHROUGH' } }, http]))).toEqual([
          'mesh/gateway-tls:error',
        ]);
        expect(both(gateway([https, { ...http, tls: undefined }]))).toEqual(['mesh/gateway-tls:warning']);
      }),
      RUNS,
    );
  });
});

describe('seed property 16: JWT rules have an issuer and https keys', () => {
  const ra = (rule: Record<string, unknown>): KubeObject => ({
    apiVersion: 'security.istio.io/v1',
    kind: 'RequestAuthentication',
    metadata: { name: 'jwt', namespace: 'n' },
    spec: { jwtRules: [rule] },
  });
  it('issuer + https jwksUri passes; http or missing issuer fails', () => {
    fc.assert(
      fc.property(dns, dns, (idp, path) => {
        const ok = {
          issuer: `https://${idp}.example.com`,
          jwksUri: `https://${idp}.example.com/${path}/jwks.json`,
        };
        expect(findings(requestAuthenticationJwks, [ra(ok)])).toEqual([]);
        expect(
          findings(requestAuthenticationJwks, [
            ra({ ...ok, jwksUri: ok.jwksUri.replace('https:', 'http:') }),
          ]).map((f) => f.rule),
        ).toEqual(['mesh/request-authentication-jwks']);
        expect(findings(requestAuthenticationJwks, [ra({ jwksUri: ok.jwksUri })]).map((f) => f.rule)).toEqual(
          ['mesh/request-authentication-jwks'],
        );
      }),
      RUNS,
    );
  });
});

describe('seed property 1: one sidecar injection label per namespace', () => {
  const ns = (labels: Record<string, string>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'n', labels },
  });
  it('either label alone passes; both fail with IST0123', () => {
    fc.assert(
      fc.property(dns, fc.boolean(), (rev, useRev) => {
        const labels: Record<string, string> = useRev
          ? { 'istio.io/rev': rev }
          : { 'istio-injection': 'enabled' };
        expect(findings(injectionLabels, [ns(labels)])).toEqual([]);
        const f = findings(injectionLabels, [ns({ 'istio.io/rev': rev, 'istio-injection': 'enabled' })]);
        expect(f.map((x) => `${x.rule}:${x.istioCode}`)).toEqual(['mesh/injection-labels:IST0123']);
      }),
      RUNS,
    );
  });
});

describe('hosts resolve as istioctl resolves them', () => {
  const service = (name: string, ns: string, exportTo?: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: ns,
      ...(exportTo ? { annotations: { 'networking.istio.io/exportTo': exportTo } } : {}),
    },
    spec: { ports: [{ name: 'http', port: 80 }] },
  });
  const route = (ns: string, host: string): KubeObject => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'r', namespace: ns },
    spec: { hosts: ['r'], http: [{ route: [{ destination: { host } }] }] },
  });
  const found = (objects: KubeObject[]) => findings(destinationExists, objects).length === 0;
  it('a short name in its own namespace and a full name anywhere resolve; name.namespace does not', () => {
    fc.assert(
      fc.property(dns, dns, dns, (name, ns, other) => {
        // istioctl reads nothing in kube-system and the like.
        fc.pre(ns !== other && !IGNORED_NAMESPACES.has(ns) && !IGNORED_NAMESPACES.has(other));
        expect(found([service(name, ns), route(ns, name)])).toBe(true);
        expect(found([service(name, ns), route(other, `${name}.${ns}.svc.cluster.local`)])).toBe(true);
        expect(found([service(name, ns), route(other, name)])).toBe(false);
        expect(found([service(name, ns), route(other, `${name}.${ns}`)])).toBe(false);
        expect(found([service(name, ns, '.'), route(other, `${name}.${ns}.svc.cluster.local`)])).toBe(false);
        expect(found([service(name, ns, other), route(other, `${name}.${ns}.svc.cluster.local`)])).toBe(true);
      }),
      RUNS,
    );
  });
});
