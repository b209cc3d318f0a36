import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validate } from '../../../scripts/lib/commands/validate.ts';
import { ALL_RULES } from '../../../scripts/lib/check/rules/index.ts';
import { FIXTURES, renderCache } from '../../helpers/fixture-repo.ts';

const DIR = path.join(FIXTURES, 'rules');

async function findingsFor(dir: string) {
  const { findings } = await validate({ cwd: DIR, files: [dir] });
  return findings;
}

/** fixture folder → the one finding it must produce (rule, line, Istio code). */
const CASES: [string, string, number, string?][] = [
  ['mesh-gateway-exists', 'mesh/gateway-exists', 10, 'IST0101'],
  ['mesh-virtualservice-host-in-gateway', 'mesh/virtualservice-host-in-gateway', 29, 'IST0132'],
  ['mesh-destination-exists', 'mesh/destination-exists', 12, 'IST0101'],
  ['mesh-subset-exists', 'mesh/subset-exists', 39, 'IST0101'],
  ['mesh-route-weights', 'mesh/route-weights', 20],
  ['mesh-retries-within-timeout', 'mesh/retries-within-timeout', 21],
  ['mesh-sidecar-scope-covers-config', 'mesh/sidecar-scope-covers-config', 32],
  ['mesh-authz-match-direction', 'mesh/authz-match-direction', 9],
  ['mesh-injection-labels', 'mesh/injection-labels', 6, 'IST0123'],
  ['mesh-request-authentication-jwks', 'mesh/request-authentication-jwks', 9],
  ['mesh-gateway-tls', 'mesh/gateway-tls', 16],
  ['argocd-sync-wave-integer', 'argocd/sync-wave-integer', 6],
  ['argocd-chart-pinned', 'argocd/chart-pinned', 13],
  ['argocd-project-permits', 'argocd/project-permits', 21],
  ['workload-image-pinned', 'workload/image-pinned', 15],
  ['security-no-plain-secret', 'security/no-plain-secret', 6],
  ['mesh-service-port-name', 'mesh/service-port-name', 8, 'IST0118'],
  ['mesh-gateway-conflict', 'mesh/gateway-conflict', 14, 'IST0145'],
  ['mesh-gateway-duplicate-certificate', 'mesh/gateway-duplicate-certificate', 18, 'IST0138'],
  ['mesh-multiple-default-sidecars', 'mesh/multiple-default-sidecars', 6, 'IST0111'],
  ['mesh-destinationrule-host-exists', 'mesh/destinationrule-host-exists', 7, 'IST0174'],
  ['mesh-circuit-breaker', 'mesh/circuit-breaker', 23],
  ['mesh-authz-principals', 'mesh/authz-principals', 19],
  ['mesh-serviceentry-hosts', 'mesh/serviceentry-hosts', 8],
  ['mesh-external-destination', 'mesh/external-destination', 8],
  ['mesh-unreachable-route', 'mesh/unreachable-route', 23, 'IST0130'],
  ['mesh-serviceentry-protocol-conflict', 'mesh/serviceentry-protocol-conflict', 29],
  ['mesh-multiple-default-telemetries', 'mesh/multiple-default-telemetries', 6, 'IST0160'],
  ['mesh-conflicting-mesh-hosts', 'mesh/conflicting-mesh-hosts', 18, 'IST0109'],
  ['mesh-destinationrule-tls-verification', 'mesh/destinationrule-tls-verification', 9, 'IST0128'],
  ['mesh-serviceentry-addresses', 'mesh/serviceentry-addresses', 12, 'IST0134'],
  ['mesh-envoyfilter-relative-operation', 'mesh/envoyfilter-relative-operation', 20, 'IST0151'],
  ['mesh-envoyfilter-replace-context', 'mesh/envoyfilter-replace-context', 17, 'IST0152'],
  ['mesh-envoyfilter-add-ignored', 'mesh/envoyfilter-add-ignored', 14, 'IST0153'],
  ['mesh-envoyfilter-remove-ignored', 'mesh/envoyfilter-remove-ignored', 15, 'IST0154'],
  ['mesh-envoyfilter-relative-proxy-version', 'mesh/envoyfilter-relative-proxy-version', 32, 'IST0155'],
  ['mesh-telemetry-empty-providers', 'mesh/telemetry-empty-providers', 9, 'IST0157'],
  ['mesh-deprecated-fields', 'mesh/deprecated-fields', 23, 'IST0002'],
  ['mesh-authz-namespaces-exist', 'mesh/authz-namespaces-exist', 18, 'IST0101'],
  ['mesh-meshed-workload-coverage', 'mesh/meshed-workload-coverage', 19],
  ['argocd-ignore-differences-kinds', 'argocd/ignore-differences-kinds', 21],
  ['workload-read-only-root-filesystem', 'workload/read-only-root-filesystem', 22],
  ['workload-service-selector-matches', 'workload/service-selector-matches', 35],
  ['workload-references-exist', 'workload/references-exist', 72],
  ['workload-selector-matches-template', 'workload/selector-matches-template', 8],
  ['mesh-internal-gateway-reference', 'mesh/internal-gateway-reference', 10, 'IST0165'],
  ['mesh-ingress-route-subset', 'mesh/ingress-route-subset', 33, 'IST0140'],
  ['mesh-external-name-port-name', 'mesh/external-name-port-name', 10, 'IST0150'],
  ['mesh-destinationrule-tls-identity', 'mesh/destinationrule-tls-identity', 9],
  ['mesh-sidecar-in-ambient-namespace', 'mesh/sidecar-in-ambient-namespace', 11, 'IST0167'],
  ['mesh-namespace-injection', 'mesh/namespace-injection', 4, 'IST0102'],
  ['mesh-jwks-fetch-restricted', 'mesh/jwks-fetch-restricted', 31, 'IST0175'],
  ['mesh-istiod-validation', 'mesh/istiod-validation', 15, 'IST0106'],
  ['mesh-deployment-service-ports', 'mesh/deployment-service-ports', 4, 'IST0137'],
  ['mesh-application-uid', 'mesh/application-uid', 17, 'IST0144'],
  ['mesh-image-auto', 'mesh/image-auto', 46, 'IST0146'],
  ['mesh-injection-webhooks', 'mesh/injection-webhooks', 10, 'IST0139'],
  ['mesh-external-control-plane', 'mesh/external-control-plane', 9, 'IST0163'],
  ['mesh-istio-annotations', 'mesh/istio-annotations', 7, 'IST0107'],
];

/**
 * Rules that need the app-of-apps walk (which Application renders what, Helm chart values, a whole
 * environment): each fixture is a one-environment repository; fixture → rule, file, line.
 */
const REPO_CASES: [string, string, string, number][] = [
  ['argocd-crd-wave-order', 'argocd/crd-wave-order', 'apps/dev/widgets.yaml', 7],
  [
    'security-default-deny-network-policy',
    'security/default-deny-network-policy',
    'namespaces/namespaces.yaml',
    10,
  ],
  ['mesh-telemetry-providers-known', 'mesh/telemetry-providers-known', 'mesh/telemetry.yaml', 13],
  [
    'argocd-project-permits-resources',
    'argocd/project-permits-resources',
    'widgets/configmap-gadgets.yaml',
    7,
  ],
];

describe('rules on broken fixtures', () => {
  it.each(CASES)('%s → %s at line %d', async (dir, rule, line, istioCode) => {
    const findings = (await findingsFor(dir)).filter(
      (f) => !f.rule.startsWith('workload/resources') && !f.rule.startsWith('workload/probes'),
    );
    const hits = findings.filter((f) => f.rule === rule);
    expect(hits.length, JSON.stringify(findings, null, 1)).toBeGreaterThanOrEqual(1);
    expect(hits[0]).toMatchObject({ rule, file: `${dir}/broken.yaml`, line });
    if (istioCode) expect(hits[0]!.istioCode).toBe(istioCode);
    expect(
      findings.filter((f) => f.severity === 'error' && f.rule !== rule && !f.rule.startsWith('argocd/')),
      'no other errors',
    ).toEqual([]);
  });

  it.each(REPO_CASES)('%s (repository) → %s in %s at line %d', async (dir, rule, file, line) => {
    const { findings } = await validate({ cwd: path.join(DIR, dir), cacheDir: renderCache() });
    // istioctl's IST0102 (info: a Namespace without injection label) is no problem these fixtures model.
    const problems = findings.filter((f) => f.rule !== 'mesh/namespace-injection');
    expect(problems.map((f) => ({ rule: f.rule, file: f.file, line: f.line, env: f.env }))).toEqual([
      { rule, file, line, env: 'dev' },
    ]);
  });

  it('EnvoyFilter patches follow istioctl: one verdict per patch, REPLACE on a filter is relative', async () => {
    const hits = (await findingsFor('mesh-envoyfilter-relative-proxy-version')).map((f) => f.rule);
    expect(hits).toEqual(['mesh/envoyfilter-relative-proxy-version']);
  });

  it('references resolve through SealedSecret templates, Certificates and optional: true', async () => {
    const hits = (await findingsFor('workload-references-exist')).filter(
      (f) => f.rule === 'workload/references-exist',
    );
    expect(hits.map((h) => h.message)).toEqual([expect.stringContaining('ConfigMap web/web-setings')]);
  });

  it('data operators’ Secret references: the missing ones at their line, not optional or unread ones', async () => {
    const findings = await findingsFor('workload-operator-references');
    expect(findings.map((f) => [f.rule, f.line, f.message.split(' does not')[0]])).toEqual([
      ['workload/references-exist', 41, 'KafkaUser data/app: Secret data/kafka-user-ap'],
      ['workload/references-exist', 80, 'Cluster data/postgres: Secret data/postgres-role-web'],
      ['workload/references-exist', 117, 'InnoDBCluster data/mysql: Secret data/mysql-root'],
    ]);
  });

  it('AuthorizationPolicy namespaces: the existing one passes, only the typo is reported', async () => {
    const hits = (await findingsFor('mesh-authz-namespaces-exist')).filter(
      (f) => f.rule === 'mesh/authz-namespaces-exist',
    );
    expect(hits.map((h) => h.message)).toEqual([expect.stringContaining('"fronted"')]);
  });

  it('the project-permits fixture reports both the source and the destination', async () => {
    const hits = (await findingsFor('argocd-project-permits')).filter(
      (f) => f.rule === 'argocd/project-permits',
    );
    expect(hits.map((h) => h.line)).toEqual([21, 23]);
  });

  it('Pod Security restricted: an added capability other than NET_BIND_SERVICE', async () => {
    const hits = (await findingsFor('workload-pod-security-restricted')).filter(
      (f) => f.rule === 'workload/pod-security-restricted',
    );
    expect(hits).toEqual([
      expect.objectContaining({ line: 25, message: expect.stringContaining('must not include "NET_ADMIN"') }),
    ]);
  });

  it('a suppression without a reason is itself a finding and suppresses nothing', async () => {
    const rules = (await findingsFor('suppress-missing-reason')).map((f) => `${f.rule}:${f.line}`);
    expect(rules).toEqual(expect.arrayContaining(['suppress/missing-reason:8', 'mesh/injection-labels:6']));
  });

  it('a suppression with a reason silences exactly that rule', async () => {
    expect(await findingsFor('suppressed')).toEqual([]);
  });

  it('every rule has an id, title, why and hint, and a broken fixture exercises it', () => {
    const ids = ALL_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of ALL_RULES) {
      expect(r.id).toMatch(/^[a-z]+\/[a-z0-9-]+$/);
      expect(r.title && r.why && r.hint, r.id).toBeTruthy();
    }
    const fixtures = readdirSync(DIR);
    // The environment-policy rules are exercised on this repository in mesh-config.test.ts.
    const covered = new Set([
      ...CASES.map((c) => c[1]),
      ...REPO_CASES.map((c) => c[1]),
      'workload/pod-security-restricted',
      // Megabyte-sized objects are generated in test/check/validate-trust.test.ts, not committed.
      'limits/object-size',
      'limits/last-applied-size',
      // Exercised per apiVersion and target version in test/check/api-versions.test.ts.
      'schema/api-version-removed',
      'schema/api-version-deprecated',
      'suppress/missing-reason',
      'mesh/istiod-resources',
      'mesh/access-log-json',
      'mesh/egress-registry-only',
      'mesh/mtls-strict',
      'mesh/tracing-sampling',
      'argocd/health-checks',
      'promotion/version-order',
    ]);
    for (const id of ids.filter(
      (i) => !['workload/resources', 'workload/probes', 'argocd/finalizer', 'argocd/sync-policy'].includes(i),
    ))
      expect(covered.has(id), id).toBe(true);
    expect(fixtures.length).toBeGreaterThanOrEqual(CASES.length);
  });
});
