import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository, type Repository } from '../../scripts/lib/repo/repository.ts';
import type { EnvironmentRender } from '../../scripts/lib/repo/walk.ts';
import { containersOf, podTemplates } from '../../scripts/lib/check/workload/pod-templates.ts';
import { REPO_ROOT, renderCache } from '../helpers/fixture-repo.ts';

let repo: Repository;
const renders: Record<string, EnvironmentRender> = {};
const ENVS = ['dev', 'staging', 'prod'];
const WORKLOAD_NAMESPACES = ['resilient-platform', 'reference-app', 'payments'];

beforeAll(async () => {
  repo = await openRepository(REPO_ROOT, { cacheDir: renderCache() });
  for (const env of ENVS) renders[env] = await repo.render(env);
});
afterAll(() => repo.dispose());

type Obj = Record<string, any>;
const objects = (env: string, kind?: string): Obj[] =>
  renders[env]!.resources.map((r) => r.object as Obj).filter((o) => !kind || o.kind === kind);
const find = (env: string, kind: string, namespace: string, name: string) =>
  objects(env, kind).find((o) => o.metadata?.name === name && o.metadata?.namespace === namespace);

describe('workload pods as rendered', () => {
  it.each(ENVS)('%s: every pod of the workload namespaces is hardened', (env) => {
    const templates = podTemplates(renders[env]!.resources).filter((t) =>
      WORKLOAD_NAMESPACES.includes(t.resource.object.metadata?.namespace ?? ''),
    );
    expect(templates.length).toBeGreaterThanOrEqual(10);
    for (const t of templates) {
      const who = `${t.resource.object.kind} ${t.resource.object.metadata?.namespace}/${t.resource.object.metadata?.name}`;
      const pod = t.spec as Obj;
      expect(pod.securityContext?.runAsNonRoot, who).toBe(true);
      expect(pod.securityContext?.seccompProfile?.type, who).toBe('RuntimeDefault');
      const deployment = t.resource.object as Obj;
      expect(deployment.spec.strategy, who).toEqual({
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
      });
      for (const { container: c } of containersOf(pod)) {
        const where = `${who} container ${c.name}`;
        expect(c.securityContext?.allowPrivilegeEscalation, where).toBe(false);
        expect(c.securityContext?.readOnlyRootFilesystem, where).toBe(true);
        expect(c.securityContext?.capabilities?.drop, where).toEqual(['ALL']);
        for (const r of ['cpu', 'memory']) {
          expect(c.resources?.requests?.[r], `${where} requests.${r}`).toBeDefined();
          expect(c.resources?.limits?.[r], `${where} limits.${r}`).toBeDefined();
        }
        const [image, tag] = String(c.image).split(/:(?=[^/]+$)/);
        expect(image, where).toMatch(/^registry\.example\.com\/platform\//);
        expect(tag, where).toMatch(/^\d+\.\d+\.\d+$/);
      }
      const app = pod.containers.find((c: Obj) => c.name === 'app');
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'])
        expect(app[probe], `${who} ${probe}`).toBeDefined();
      // Writable scratch space only where the read-only root needs it.
      expect(pod.volumes.find((v: Obj) => v.name === 'tmp')?.emptyDir, who).toBeDefined();
    }
  });

  it.each(ENVS)(
    '%s: every pod defined in git, jobs included, is restricted, read-only and bounded',
    (env) => {
      const templates = podTemplates(renders[env]!.resources);
      expect(templates.some((t) => t.resource.object.kind === 'CronJob')).toBe(true);
      for (const t of templates) {
        const who = `${t.resource.object.kind} ${t.resource.object.metadata?.namespace}/${t.resource.object.metadata?.name}`;
        const pod = t.spec as Obj;
        for (const { container: c } of containersOf(pod)) {
          const sc = { ...pod.securityContext, ...c.securityContext };
          expect(sc.runAsNonRoot, `${who} ${c.name}`).toBe(true);
          expect(sc.seccompProfile?.type, `${who} ${c.name}`).toBe('RuntimeDefault');
          expect(c.securityContext?.allowPrivilegeEscalation, `${who} ${c.name}`).toBe(false);
          expect(c.securityContext?.capabilities?.drop, `${who} ${c.name}`).toContain('ALL');
          expect(c.securityContext?.readOnlyRootFilesystem, `${who} ${c.name}`).toBe(true);
          expect(c.resources?.limits?.memory, `${who} ${c.name}`).toBeDefined();
          expect(String(c.image), `${who} ${c.name}`).toMatch(/:[\w.-]+$|@sha256:/);
          expect(String(c.image), `${who} ${c.name}`).not.toMatch(/:latest$/);
        }
      }
    },
  );

  it.each(ENVS)('%s: the API migrates the schema before it starts and the worker waits for it', (env) => {
    const api = find(env, 'Deployment', 'resilient-platform', 'backend-api')!;
    expect(api.spec.template.spec.initContainers.map((c: Obj) => c.command)).toEqual([
      ['alembic', 'upgrade', 'head'],
    ]);
    const worker = find(env, 'Deployment', 'resilient-platform', 'worker')!;
    expect(worker.spec.template.spec.initContainers[0].command.join(' ')).toContain('alembic current');
  });

  it.each(ENVS)('%s: canary Deployments run beside stable ones under one Service', (env) => {
    for (const [ns, name] of [
      ['resilient-platform', 'backend-api'],
      ['payments', 'payment-service'],
    ] as const) {
      const stable = find(env, 'Deployment', ns, name)!;
      const canary = find(env, 'Deployment', ns, `${name}-canary`)!;
      expect(stable.spec.template.metadata.labels).toEqual({ app: name, version: 'stable' });
      expect(canary.spec.template.metadata.labels).toEqual({ app: name, version: 'canary' });
      expect(canary.spec.template.spec.serviceAccountName).toBe(name);
      expect(find(env, 'Service', ns, name)!.spec.selector).toEqual({ app: name });
      expect(find(env, 'Service', ns, `${name}-canary`)).toBeUndefined();
    }
  });

  it.each(ENVS)(
    "%s: image tags come only from the overlay's kustomize images: (a promotion is one line)",
    (env) => {
      for (const ns of WORKLOAD_NAMESPACES) {
        const k = yaml.load(
          readFileSync(
            path.join(REPO_ROOT, `platform/workloads/${ns}/overlays/${env}/kustomization.yaml`),
            'utf8',
          ),
        ) as { images: { name: string; newName: string; newTag: string }[] };
        const pinned = new Set(k.images.map((i) => `${i.newName}:${i.newTag}`));
        const used = podTemplates(renders[env]!.resources)
          .filter((t) => t.resource.object.metadata?.namespace === ns)
          .flatMap((t) => containersOf(t.spec).map(({ container }) => container.image as string));
        expect(used.length).toBeGreaterThan(0);
        for (const image of used) expect(pinned, `${ns}: ${image}`).toContain(image);
      }
    },
  );
});

describe('secrets, namespaces and exposure', () => {
  it.each(ENVS)('%s: no Secret with data anywhere; credentials are SealedSecrets', (env) => {
    const secrets = objects(env, 'Secret').filter((s) => s.data || s.stringData);
    expect(secrets.map((s) => s.metadata.name)).toEqual([]);
    expect(objects(env, 'SealedSecret').length).toBeGreaterThanOrEqual(5);
  });

  it.each(ENVS)(
    '%s: every namespace in git has a default-deny NetworkPolicy and enforces Pod Security',
    (env) => {
      const namespaces = objects(env, 'Namespace');
      expect(namespaces.length).toBeGreaterThanOrEqual(15);
      for (const ns of namespaces) {
        const name = ns.metadata.name;
        const deny = objects(env, 'NetworkPolicy').find(
          (p) =>
            p.metadata.namespace === name &&
            Object.keys(p.spec.podSelector ?? {}).length === 0 &&
            p.spec.policyTypes?.includes('Ingress') &&
            p.spec.policyTypes?.includes('Egress') &&
            !p.spec.ingress &&
            !p.spec.egress,
        );
        expect(deny, `${name} default-deny`).toBeDefined();
        const level = ns.metadata.labels['pod-security.kubernetes.io/enforce'];
        expect(['restricted', 'baseline', 'privileged'], name).toContain(level);
        // Only node agents that need the host run privileged, each in a namespace of its own; only the
        // MySQL operator and its servers (root init container hard-coded upstream) run baseline.
        if (level === 'privileged') expect(['istio-cni', 'logging']).toContain(name);
        if (level === 'baseline') expect(['mysql', 'mysql-operator']).toContain(name);
        expect(ns.metadata.labels['pod-security.kubernetes.io/warn'], name).toBeDefined();
        if (WORKLOAD_NAMESPACES.includes(name)) {
          expect(level).toBe('restricted');
          expect(ns.metadata.labels['istio.io/rev']).toBe('stable');
          expect(ns.metadata.labels['istio-injection']).toBeUndefined();
        }
      }
    },
  );

  it.each(ENVS)('%s: only the public API is reachable through the ingress gateway', (env) => {
    const bound = objects(env, 'VirtualService').filter((vs) => (vs.spec.gateways ?? []).length > 0);
    const destinations = new Set(
      bound.flatMap((vs) =>
        (vs.spec.http ?? []).flatMap((h: Obj) =>
          (h.route ?? []).map((r: Obj) => `${r.destination.host}.${vs.metadata.namespace}`),
        ),
      ),
    );
    expect([...destinations]).toEqual(['backend-api.resilient-platform']);
    const gatewayEgress = find(env, 'NetworkPolicy', 'istio-ingress', 'allow-egress-public-api')!;
    expect(gatewayEgress.spec.egress[0].to[0].podSelector.matchLabels).toEqual({ app: 'backend-api' });
    // Nothing outside the mesh namespaces is exposed: no LoadBalancer or NodePort Service in git.
    expect(objects(env, 'Service').filter((s) => ['LoadBalancer', 'NodePort'].includes(s.spec.type))).toEqual(
      [],
    );
  });
});

describe('high availability per environment', () => {
  const stableMin = (env: string, ns: string, name: string) =>
    find(env, 'HorizontalPodAutoscaler', ns, name)!.spec.minReplicas;

  it.each([
    ['dev', 1, 1, 1, 1],
    ['staging', 2, 2, 3, 3],
    ['prod', 3, 3, 3, 3],
  ])(
    '%s: API %i replicas, PostgreSQL %i instances, Redis %i nodes, Kafka %i brokers',
    (env, api, pg, redis, kafka) => {
      expect(stableMin(env, 'resilient-platform', 'backend-api')).toBe(api);
      expect(stableMin(env, 'reference-app', 'fastapi-app')).toBeGreaterThanOrEqual(2);
      expect(find(env, 'Cluster', 'data', 'postgres')!.spec.instances).toBe(pg);
      expect(find(env, 'RedisReplication', 'data', 'redis')!.spec.clusterSize).toBe(redis);
      const pools = objects(env, 'KafkaNodePool').filter((p) => p.metadata.namespace === 'data');
      const brokers = pools
        .filter((p) => p.spec.roles.includes('broker'))
        .reduce((n, p) => n + p.spec.replicas, 0);
      expect(brokers).toBe(kafka);
      const kafkaCr = find(env, 'Kafka', 'data', 'kafka')!;
      expect(kafkaCr.spec.zookeeper).toBeUndefined();
    },
  );

  it('every database has a scheduled backup to the object store', () => {
    for (const env of ENVS) {
      expect(find(env, 'ScheduledBackup', 'data', 'postgres-daily')!.spec.cluster.name).toBe('postgres');
      expect(
        find(env, 'ObjectStore', 'data', 'postgres-backups')!.spec.configuration.destinationPath,
      ).toMatch(/^s3:\/\/backups\//);
      expect(objects(env, 'CronJob').some((c) => c.metadata.name.startsWith('redis'))).toBe(true);
    }
  });
});
