import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { healthChecksPresent } from '../../scripts/lib/check/rules/mesh-config.ts';
import { syncPolicyPerEnvironment } from '../../scripts/lib/check/rules/argocd.ts';
import type { KubeObject } from '../../scripts/lib/repo/resource.ts';
import { findings } from './rule-harness.ts';

const RUNS = { numRuns: 100 };
const rules = (f: { rule: string }[]) => f.map((x) => x.rule);
const APPLICATION_KEY = 'resource.customizations.health.argoproj.io_Application';

/** Distinct custom kinds: a group like `x.example.io` and a capitalised kind. */
const customKinds = fc.uniqueArray(
  fc.record({
    group: fc.stringMatching(/^[a-z]{2,8}\.example\.io$/),
    kind: fc.stringMatching(/^[A-Z][a-z]{2,10}$/),
  }),
  { minLength: 1, maxLength: 5, selector: (k) => `${k.group}/${k.kind}` },
);

describe('seed property 17: argocd-cm has a health check for Applications and every custom kind', () => {
  const cm = (keys: string[]): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'argocd-cm', namespace: 'argocd' },
    data: Object.fromEntries(keys.map((k) => [k, 'return {status = "Healthy"}'])),
  });
  it('a check per deployed kind passes; dropping one key fails with exactly one finding of this rule', () => {
    fc.assert(
      fc.property(customKinds, fc.nat(), (kinds, pick) => {
        const objects: KubeObject[] = kinds.map((k, i) => ({
          apiVersion: `${k.group}/v1`,
          kind: k.kind,
          metadata: { name: `r${i}`, namespace: 'n' },
        }));
        const keys = [
          APPLICATION_KEY,
          ...kinds.map((k) => `resource.customizations.health.${k.group}_${k.kind}`),
        ];
        expect(findings(healthChecksPresent, [cm(keys), ...objects])).toEqual([]);
        const dropped = keys[pick % keys.length]!;
        const f = findings(healthChecksPresent, [cm(keys.filter((k) => k !== dropped)), ...objects]);
        expect(rules(f)).toEqual(['argocd/health-checks']);
        expect(f[0]!.message).toContain(dropped);
      }),
      RUNS,
    );
  });
});

describe('seed property 18: sync policy per environment', () => {
  const app = (syncPolicy: Record<string, unknown>): KubeObject => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'web', namespace: 'argocd' },
    spec: { project: 'platform', syncPolicy },
  });
  const retry = fc.record({ limit: fc.integer({ min: 1, max: 10 }) });
  it('automated with prune and selfHeal before prod, manual in prod, retry everywhere; one change fails', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('dev', 'staging'),
        retry,
        fc.constantFrom('prune', 'selfHeal', 'retry'),
        fc.constantFrom('automate-prod', 'drop-retry'),
        (early, r, brokenEarly, brokenProd) => {
          const automated = { automated: { prune: true, selfHeal: true }, retry: r };
          const manual = { retry: r };
          expect(findings(syncPolicyPerEnvironment, [app(automated)], early)).toEqual([]);
          expect(findings(syncPolicyPerEnvironment, [app(manual)], 'prod')).toEqual([]);
          const earlyMutated =
            brokenEarly === 'retry'
              ? { automated: automated.automated }
              : { ...automated, automated: { ...automated.automated, [brokenEarly]: false } };
          expect(rules(findings(syncPolicyPerEnvironment, [app(earlyMutated)], early))).toEqual([
            'argocd/sync-policy',
          ]);
          const prodMutated = brokenProd === 'automate-prod' ? automated : {};
          expect(rules(findings(syncPolicyPerEnvironment, [app(prodMutated)], 'prod'))).toEqual([
            'argocd/sync-policy',
          ]);
        },
      ),
      RUNS,
    );
  });
});
