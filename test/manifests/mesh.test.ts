import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository, type Repository } from '../../scripts/lib/repo/repository.ts';
import type { EnvironmentRender } from '../../scripts/lib/repo/walk.ts';
import { REPO_ROOT, renderCache } from '../helpers/fixture-repo.ts';

let repo: Repository;
const renders: Record<string, EnvironmentRender> = {};
const ENVS = ['dev', 'staging', 'prod'];

beforeAll(async () => {
  repo = await openRepository(REPO_ROOT, { cacheDir: renderCache() });
  for (const env of ENVS) renders[env] = await repo.render(env);
});
afterAll(() => repo.dispose());

const find = (env: string, kind: string, name: string) =>
  renders[env]!.resources.find((r) => r.object.kind === kind && r.object.metadata?.name === name)
    ?.object as Record<string, any>;
const apps = (env: string) => renders[env]!.applications;
const values = (file: string) =>
  yaml.load(readFileSync(path.join(REPO_ROOT, file), 'utf8')) as Record<string, any>;

describe('environments as rendered', () => {
  it('walks every environment without findings', () => {
    for (const env of ENVS) expect(renders[env]!.findings).toEqual([]);
  });

  it.each([
    ['dev', 'PERMISSIVE'],
    ['staging', 'STRICT'],
    ['prod', 'STRICT'],
  ])('%s mesh-wide mTLS is %s', (env, mode) => {
    expect(find(env, 'PeerAuthentication', 'default').spec.mtls.mode).toBe(mode);
    expect(find(env, 'PeerAuthentication', 'default').metadata.namespace).toBe('istio-system');
  });

  it.each([
    ['dev', 10],
    ['staging', 1],
    ['prod', 1],
  ])('%s samples %d%% of traces', (env, pct) => {
    expect(find(env, 'Telemetry', 'mesh-default').spec.tracing[0].randomSamplingPercentage).toBe(pct);
  });

  it.each([
    ['dev', 'ALLOW_ANY'],
    ['staging', 'REGISTRY_ONLY'],
    ['prod', 'REGISTRY_ONLY'],
  ])('%s egress mode is %s (last istiod value file wins)', (env, mode) => {
    const istiod = renders[env]!.charts.find((c) => c.chart === 'istiod')!;
    const files = istiod.valueFiles.map((v) => v.file!);
    expect(files).toEqual([
      'istio/control-plane/values/istiod.yaml',
      `istio/control-plane/values/${env}/istiod.yaml`,
    ]);
    const last = files
      .map(values)
      .reduce((acc, v) => v.meshConfig?.outboundTrafficPolicy?.mode ?? acc, undefined as string | undefined);
    expect(last).toBe(mode);
  });

  it('prod has no automated sync; dev and staging prune and self-heal; all retry with backoff', () => {
    for (const env of ENVS) {
      for (const app of apps(env)) {
        const policy = (app.resource.object.spec as any).syncPolicy;
        expect(policy.retry, `${env}/${app.name}`).toMatchObject({
          limit: 5,
          backoff: { duration: '5s', factor: 2 },
        });
        if (env === 'prod') expect(policy.automated, app.name).toBeUndefined();
        else expect(policy.automated, `${env}/${app.name}`).toEqual({ prune: true, selfHeal: true });
      }
    }
  });

  it('sync waves are quoted integers, strictly ordered CRDs → istiod → gateway → mesh config → platform → workloads', () => {
    for (const env of ENVS) {
      const wave = (name: string) => {
        const w = apps(env).find((a) => a.name === name)!.resource.object.metadata!.annotations![
          'argocd.argoproj.io/sync-wave'
        ]!;
        expect(w).toMatch(/^-?\d+$/);
        return Number(w);
      };
      expect(wave('istio-base')).toBeLessThan(wave('istiod'));
      expect(wave('istiod')).toBeLessThan(wave('istio-ingress'));
      expect(wave('istio-ingress')).toBeLessThan(wave('mesh-config'));
      for (const platform of [
        'postgres',
        'redis',
        'kafka',
        'kube-prometheus-stack',
        'opentelemetry-collector',
      ])
        expect(wave('mesh-config'), platform).toBeLessThan(wave(platform));
      for (const workload of ['resilient-platform', 'reference-app', 'payments'])
        expect(wave('postgres'), workload).toBeLessThan(wave(workload));
      expect(wave('namespaces')).toBeLessThan(wave('istio-base'));
    }
  });

  it('every child Application carries the resources finalizer and names project platform', () => {
    for (const env of ENVS)
      for (const app of apps(env)) {
        expect(app.resource.object.metadata!.finalizers, app.name).toContain(
          'resources-finalizer.argocd.argoproj.io',
        );
        expect((app.resource.object.spec as any).project).toBe('platform');
      }
  });

  it('one Istio version is pinned per environment across base, istiod and gateway, exact and ≥ 1.30.0', () => {
    for (const env of ENVS) {
      const versions = new Set(
        renders[env]!.charts.filter((c) => c.repoURL.includes('istio-release')).map((c) => c.version),
      );
      expect(versions.size, env).toBe(1);
      const [v] = [...versions];
      expect(v).toMatch(/^1\.(3\d|[4-9]\d)\.\d+$/);
    }
  });

  it('uses only v1 Istio APIs (EnvoyFilter excepted)', () => {
    for (const env of ENVS)
      for (const r of renders[env]!.resources) {
        const av = r.object.apiVersion ?? '';
        if (/istio\.io\//.test(av) && r.object.kind !== 'EnvoyFilter')
          expect(av, `${r.object.kind} ${r.origin.file}`).toMatch(/\/v1$/);
      }
  });

  it('the public gateway serves a per-environment host over HTTPS and redirects HTTP', () => {
    const hosts = {
      dev: 'api.dev.example.com',
      staging: 'api.staging.example.com',
      prod: 'api.example.com',
    } as const;
    for (const env of ENVS) {
      const gw = find(env, 'Gateway', 'public-gateway');
      const https = gw.spec.servers.find((s: any) => s.port.protocol === 'HTTPS');
      const http = gw.spec.servers.find((s: any) => s.port.protocol === 'HTTP');
      expect(https.hosts).toEqual([hosts[env as keyof typeof hosts]]);
      expect(https.tls).toEqual({ mode: 'SIMPLE', credentialName: 'public-gateway-tls' });
      expect(http.tls.httpsRedirect).toBe(true);
      expect(http.hosts).toEqual(https.hosts);
    }
  });

  it('argocd-cm carries a health check for Applications and every Istio kind the repo deploys', () => {
    for (const env of ENVS) {
      const cm = find(env, 'ConfigMap', 'argocd-cm');
      const keys = Object.keys(cm.data);
      expect(keys).toContain('resource.customizations.health.argoproj.io_Application');
      const istioKinds = new Set(
        renders[env]!.resources.filter((r) => /istio\.io\//.test(r.object.apiVersion ?? '')).map(
          (r) => `${r.object.apiVersion!.split('/')[0]}_${r.object.kind}`,
        ),
      );
      for (const k of istioKinds) expect(keys, k).toContain(`resource.customizations.health.${k}`);
    }
  });

  it('istiod resources stay within seed 002 bounds and access logs are JSON', () => {
    const v = values('istio/control-plane/values/istiod.yaml');
    expect(v.resources).toEqual({
      requests: { cpu: '500m', memory: '512Mi' },
      limits: { cpu: '2000m', memory: '2Gi' },
    });
    expect(v.meshConfig.accessLogEncoding).toBe('JSON');
    expect(() => JSON.parse(v.meshConfig.accessLogFormat)).not.toThrow();
    expect(v.base.validationFailurePolicy).toBe('Fail');
    expect(values('istio/control-plane/values/base.yaml').base.validationFailurePolicy).toBe('Fail');
  });

  it('control plane and gateway pods pass Pod Security "restricted" (their namespaces enforce it)', () => {
    expect(values('istio/control-plane/values/istiod.yaml').seccompProfile).toEqual({
      type: 'RuntimeDefault',
    });
    expect(values('istio/control-plane/values/istiod.yaml').pilot.cni.enabled).toBe(true);
    const gateway = values('istio/control-plane/values/gateway.yaml').securityContext;
    expect(gateway.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    // Replacing the chart's pod securityContext must keep the sysctl that lets Envoy bind 80/443.
    expect(gateway.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]);
    for (const env of ENVS) {
      expect(
        find(env, 'Namespace', 'istio-system').metadata.labels['pod-security.kubernetes.io/enforce'],
      ).toBe('restricted');
      const ingress = find(env, 'NetworkPolicy', 'allow-public-ingress').spec.ingress[0].ports.map(
        (p: any) => p.port,
      );
      expect(ingress).toEqual([80, 443, 15021]);
    }
  });

  it.each(ENVS)('%s: tenants are routed to their pool and rate limited per x-tenant-id (seed 004)', (env) => {
    const vs = renders[env]!.resources.find(
      (r) => r.object.kind === 'VirtualService' && r.object.metadata?.name === 'payment-service',
    )!.object as Record<string, any>;
    expect(vs.spec.http[0].match[0].headers['x-tenant-id']).toEqual({ exact: 'STD-001' });
    expect(vs.spec.http[0].route).toEqual([
      { destination: { host: 'payment-service', subset: 'dedicated' } },
    ]);
    expect(vs.spec.http[1].route.map((r: any) => [r.destination.subset, r.weight])).toEqual([
      ['stable', 90],
      ['canary', 10],
    ]);
    const ef = renders[env]!.resources.find((r) => r.object.kind === 'EnvoyFilter')!.object as Record<
      string,
      any
    >;
    expect(ef.metadata.namespace).toBe('payments');
    expect(ef.spec.workloadSelector.labels).toEqual({ app: 'payment-service' });
    expect(ef.spec.priority).toBeGreaterThan(0);
    const limiter = ef.spec.configPatches[0].patch.value.typed_config.value;
    expect(limiter.descriptors.map((d: any) => d.entries[0].value)).toEqual(['STD-001', 'NED-001']);
    expect(ef.spec.configPatches[1].patch.value.route.rate_limits[0].actions[0].request_headers).toEqual({
      header_name: 'x-tenant-id',
      descriptor_key: 'tenant',
    });
  });

  it.each(ENVS)("%s: a browser's CORS preflight gets past the gateway without a token", (env) => {
    // The gateway's RBAC filter runs before its CORS filter, and a preflight never carries the JWT.
    const policy = find(env, 'AuthorizationPolicy', 'require-jwt');
    expect(policy.spec.action).toBe('ALLOW');
    expect(policy.spec.rules).toContainEqual({ to: [{ operation: { methods: ['OPTIONS'] } }] });
    const cors = renders[env]!.resources.filter((r) => r.object.kind === 'VirtualService').flatMap((r) =>
      ((r.object as Record<string, any>).spec.http ?? []).flatMap((h: Record<string, any>) =>
        h.corsPolicy ? [h.corsPolicy] : [],
      ),
    );
    expect(cors.length).toBeGreaterThan(0);
    // Preflights from origins it does not allow are answered at the gateway, not sent on unauthenticated.
    for (const c of cors) expect(c.unmatchedPreflights).toBe('IGNORE');
  });

  it.each(ENVS)('%s: fault injection exists in dev only', (env) => {
    const vs = renders[env]!.resources.find(
      (r) => r.object.kind === 'VirtualService' && r.object.metadata?.name === 'validation-service',
    )!.object as Record<string, any>;
    const faulty = vs.spec.http.filter((h: any) => h.fault);
    expect(faulty.length).toBe(env === 'dev' ? 1 : 0);
    // A faulty route has its own header match: Istio drops timeout and retries on a route with a fault.
    for (const h of faulty) expect(h.match[0].headers['x-chaos']).toBeDefined();
  });
});
