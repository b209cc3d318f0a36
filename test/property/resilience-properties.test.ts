import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  circuitBreakerValid,
  externalDestinationComplete,
  principalsValid,
  serviceEntryHosts,
} from '../../scripts/lib/check/rules/mesh-resilience.ts';
import type { KubeObject } from '../../scripts/lib/repo/resource.ts';
import { findings } from './rule-harness.ts';

const RUNS = { numRuns: 100 };
const label = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);

describe('seed property 6: circuit breakers in range', () => {
  const dr = (outlierDetection: Record<string, unknown>, http: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: 'd', namespace: 'n' },
    spec: { host: 'api', trafficPolicy: { outlierDetection, connectionPool: { http } } },
  });
  it('valid settings pass; one value out of range fails with exactly this rule', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.constantFrom('maxEjectionPercent', 'interval', 'consecutive5xxErrors', 'http1MaxPendingRequests'),
        (errors, seconds, pct, pending, broken) => {
          const od = {
            consecutive5xxErrors: errors,
            interval: `${seconds}s`,
            baseEjectionTime: `${seconds * 3}s`,
            maxEjectionPercent: pct,
          };
          const pool = { http1MaxPendingRequests: pending };
          expect(findings(circuitBreakerValid, [dr(od, pool)])).toEqual([]);
          const mutated = { ...od };
          const mutatedPool = { ...pool };
          if (broken === 'maxEjectionPercent') mutated.maxEjectionPercent = 101 + pct;
          if (broken === 'interval') (mutated as Record<string, unknown>).interval = `${seconds} s`;
          if (broken === 'consecutive5xxErrors') mutated.consecutive5xxErrors = -1 - errors;
          if (broken === 'http1MaxPendingRequests') mutatedPool.http1MaxPendingRequests = 0;
          expect(findings(circuitBreakerValid, [dr(mutated, mutatedPool)]).map((f) => f.rule)).toEqual([
            'mesh/circuit-breaker',
          ]);
        },
      ),
      RUNS,
    );
  });
});

describe('seed property 15: principals well formed and deployed', () => {
  const sa = (ns: string, name: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace: ns },
  });
  const policy = (principals: string[]): KubeObject => ({
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: 'p', namespace: 'n' },
    spec: { rules: [{ from: [{ source: { principals } }] }] },
  });
  it('principals of deployed ServiceAccounts pass; a malformed or unknown one fails', () => {
    fc.assert(
      fc.property(label, label, fc.boolean(), (ns, name, malformed) => {
        const accounts = [sa(ns, name)];
        expect(
          findings(principalsValid, [...accounts, policy([`cluster.local/ns/${ns}/sa/${name}`])]),
        ).toEqual([]);
        const bad = malformed
          ? `spiffe://cluster.local/ns/${ns}/sa/${name}`
          : `cluster.local/ns/${ns}/sa/${name}x`;
        expect(findings(principalsValid, [...accounts, policy([bad])]).map((f) => f.rule)).toEqual([
          'mesh/authz-principals',
        ]);
      }),
      RUNS,
    );
  });
});

describe('seed property 19: ServiceEntry hosts', () => {
  const se = (host: string, resolution: string): KubeObject => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: { name: 's', namespace: 'n' },
    spec: {
      hosts: [host],
      location: 'MESH_EXTERNAL',
      resolution,
      ports: [{ number: 443, name: 'tls', protocol: 'TLS' }],
    },
  });
  it('DNS names pass; wildcards with DNS resolution or invalid names fail', () => {
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 3 }), (parts) => {
        const host = `${parts.join('.')}.example.com`;
        expect(findings(serviceEntryHosts, [se(host, 'DNS')])).toEqual([]);
        expect(findings(serviceEntryHosts, [se(`*.${host}`, 'NONE')])).toEqual([]);
        expect(findings(serviceEntryHosts, [se(`*.${host}`, 'DNS')]).map((f) => f.rule)).toEqual([
          'mesh/serviceentry-hosts',
        ]);
        expect(findings(serviceEntryHosts, [se(`${host}_bad`, 'DNS')]).map((f) => f.rule)).toEqual([
          'mesh/serviceentry-hosts',
        ]);
      }),
      RUNS,
    );
  });
});

describe('seed property 21: external DestinationRules originate TLS and break circuits', () => {
  const se = (host: string): KubeObject => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: { name: 'ext', namespace: 'n' },
    spec: {
      hosts: [host],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      ports: [{ number: 443, name: 'http-tls', protocol: 'HTTP' }],
    },
  });
  const dr = (host: string, trafficPolicy: Record<string, unknown>): KubeObject => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: 'ext', namespace: 'n' },
    spec: { host, trafficPolicy },
  });
  it('TLS SIMPLE/MUTUAL with outlierDetection passes; dropping either, or the rule, fails', () => {
    fc.assert(
      fc.property(
        label,
        fc.constantFrom('SIMPLE', 'MUTUAL'),
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom('tls', 'outlierDetection', 'rule'),
        (name, mode, errors, broken) => {
          const host = `${name}.example.com`;
          const policy = {
            tls: { mode, sni: host },
            outlierDetection: { consecutive5xxErrors: errors, interval: '10s', baseEjectionTime: '30s' },
          };
          expect(findings(externalDestinationComplete, [se(host), dr(host, policy)])).toEqual([]);
          const { [broken as 'tls']: _dropped, ...rest } = policy;
          const objects = broken === 'rule' ? [se(host)] : [se(host), dr(host, rest)];
          expect(findings(externalDestinationComplete, objects).map((f) => f.rule)).toEqual([
            'mesh/external-destination',
          ]);
        },
      ),
      RUNS,
    );
  });
});
