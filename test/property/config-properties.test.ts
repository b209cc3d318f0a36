import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accessLogsJson,
  egressRegistryOnly,
  istiodResources,
  strictMtls,
  tracingSampling,
} from '../../scripts/lib/check/rules/mesh-config.ts';
import type { KubeObject } from '../../scripts/lib/repo/resource.ts';
import { findings } from './rule-harness.ts';

const RUNS = { numRuns: 100 };
const dns = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
const laterEnv = fc.constantFrom('staging', 'prod');
const istiod = (values: Record<string, unknown>) => [{ chart: 'istiod', values }];
const rules = (f: { rule: string }[]) => f.map((x) => x.rule);

describe('seed property 2: istiod resources within 500m–2000m CPU and 512Mi–2Gi memory', () => {
  it('requests and limits inside the bounds pass; one value outside fails with exactly this rule', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 500, max: 2000 }),
        fc.integer({ min: 512, max: 2048 }),
        fc.integer({ min: 0, max: 1500 }),
        fc.integer({ min: 0, max: 1536 }),
        fc.constantFrom('requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'),
        (cpu, mem, cpuHead, memHead, broken) => {
          const limitsCpu = Math.min(2000, cpu + cpuHead);
          const limitsMem = Math.min(2048, mem + memHead);
          const resources = {
            requests: { cpu: `${cpu}m`, memory: `${mem}Mi` },
            limits: { cpu: `${limitsCpu}m`, memory: `${limitsMem}Mi` },
          };
          expect(findings(istiodResources, [], 'prod', istiod({ resources }))).toEqual([]);
          const [section, key] = broken.split('.') as ['requests' | 'limits', 'cpu' | 'memory'];
          const outside = {
            'requests.cpu': `${cpu % 500}m`,
            'requests.memory': `${mem % 512}Mi`,
            'limits.cpu': `${2001 + cpuHead}m`,
            'limits.memory': `${2049 + memHead}Mi`,
          }[broken];
          const mutated = { ...resources, [section]: { ...resources[section], [key]: outside } };
          const f = findings(istiodResources, [], 'prod', istiod({ resources: mutated }));
          expect(rules(f)).toEqual(['mesh/istiod-resources']);
          expect(f[0]!.message).toContain(broken);
        },
      ),
      RUNS,
    );
  });
});

describe('seed property 14: access logs as JSON on stdout', () => {
  it('JSON with a file passes; TEXT, or no file, fails with exactly this rule', () => {
    fc.assert(
      fc.property(fc.constantFrom('/dev/stdout', '/var/log/envoy.log'), fc.boolean(), (file, dropFile) => {
        const ok = { accessLogFile: file, accessLogEncoding: 'JSON' };
        expect(findings(accessLogsJson, [], 'dev', istiod({ meshConfig: ok }))).toEqual([]);
        const broken = dropFile ? { accessLogEncoding: 'JSON' } : { ...ok, accessLogEncoding: 'TEXT' };
        expect(rules(findings(accessLogsJson, [], 'dev', istiod({ meshConfig: broken })))).toEqual([
          'mesh/access-log-json',
        ]);
      }),
      RUNS,
    );
  });
});

describe('seed property 20: egress REGISTRY_ONLY after the first environment', () => {
  it('REGISTRY_ONLY passes in later environments, anything passes in the first; ALLOW_ANY or unset fails', () => {
    fc.assert(
      fc.property(laterEnv, fc.constantFrom('ALLOW_ANY', undefined), (env, loose) => {
        const strict = { meshConfig: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } } };
        const open = { meshConfig: loose ? { outboundTrafficPolicy: { mode: loose } } : {} };
        expect(findings(egressRegistryOnly, [], env, istiod(strict))).toEqual([]);
        expect(findings(egressRegistryOnly, [], 'dev', istiod(open))).toEqual([]);
        expect(rules(findings(egressRegistryOnly, [], env, istiod(open)))).toEqual([
          'mesh/egress-registry-only',
        ]);
      }),
      RUNS,
    );
  });
});

describe('seed property 3: mTLS STRICT after the first environment', () => {
  const pa = (namespace: string, mode: string, selector?: Record<string, string>): KubeObject => ({
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: { name: selector ? 'workload' : 'default', namespace },
    spec: { ...(selector ? { selector: { matchLabels: selector } } : {}), mtls: { mode } },
  });
  it('a STRICT mesh-wide policy and STRICT/UNSET namespaces pass; one PERMISSIVE or DISABLE fails', () => {
    fc.assert(
      fc.property(
        laterEnv,
        fc.uniqueArray(dns, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('STRICT', 'UNSET'),
        fc.constantFrom('PERMISSIVE', 'DISABLE'),
        fc.nat(),
        (env, namespaces, nsMode, loose, pick) => {
          const policies = [pa('istio-system', 'STRICT'), ...namespaces.map((n) => pa(n, nsMode))];
          expect(findings(strictMtls, policies, env, istiod({}))).toEqual([]);
          const i = 1 + (pick % namespaces.length);
          const mutated = policies.map((p, j) => (j === i ? pa(namespaces[i - 1]!, loose, { app: 'x' }) : p));
          expect(rules(findings(strictMtls, mutated, env, istiod({})))).toEqual(['mesh/mtls-strict']);
          expect(rules(findings(strictMtls, policies.slice(1), env, istiod({})))).toEqual([
            'mesh/mtls-strict',
          ]);
        },
      ),
      RUNS,
    );
  });
});

describe('seed property 13: tracing names a configured provider and samples within 0–100', () => {
  const telemetry = (provider: string, pct: number): KubeObject => ({
    apiVersion: 'telemetry.istio.io/v1',
    kind: 'Telemetry',
    metadata: { name: 'mesh-default', namespace: 'istio-system' },
    spec: { tracing: [{ providers: [{ name: provider }], randomSamplingPercentage: pct }] },
  });
  it('a configured provider and 0–100 % pass; an unknown provider or a percentage outside fails', () => {
    fc.assert(
      fc.property(
        dns,
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 100.001, max: 1e6, noNaN: true }),
        fc.boolean(),
        (provider, pct, over, negative) => {
          const values = { meshConfig: { extensionProviders: [{ name: provider, opentelemetry: {} }] } };
          expect(findings(tracingSampling, [telemetry(provider, pct)], 'prod', istiod(values))).toEqual([]);
          const outside = negative ? -over : over;
          expect(
            rules(findings(tracingSampling, [telemetry(provider, outside)], 'prod', istiod(values))),
          ).toEqual(['mesh/tracing-sampling']);
          expect(
            rules(findings(tracingSampling, [telemetry(`${provider}-x`, pct)], 'prod', istiod(values))),
          ).toEqual(['mesh/tracing-sampling']);
        },
      ),
      RUNS,
    );
  });
});
