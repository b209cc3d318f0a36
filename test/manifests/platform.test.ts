import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository, type Repository } from '../../scripts/lib/repo/repository.ts';
import type { Resource } from '../../scripts/lib/repo/resource.ts';
import type { EnvironmentRender } from '../../scripts/lib/repo/walk.ts';
import { containersOf, podTemplates } from '../../scripts/lib/check/workload/pod-templates.ts';
import { REPO_ROOT, renderCache } from '../helpers/fixture-repo.ts';
import { runWithStandIn } from '../helpers/stand-in.ts';

let repo: Repository;
const renders: Record<string, EnvironmentRender> = {};
const ENVS = ['dev', 'staging', 'prod'] as const;
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
    // One init container, which runs `alembic upgrade head` (what it does per schema state: 'schema migrations
    // while two releases run' below).
    expect(api.spec.template.spec.initContainers.map((c: Obj) => c.name)).toEqual(['migrate']);
    expect(api.spec.template.spec.initContainers[0].command.join(' ')).toContain('exec alembic upgrade head');
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

// Data services as the seeds ask for them (seed 003, issue #17).
const resources = (env: string, kind?: string): Resource[] =>
  renders[env]!.resources.filter((r) => !kind || r.object.kind === kind);
/** Like find(), but a missing object fails the test with its name. */
const get = (env: string, kind: string, namespace: string | undefined, name: string): Obj => {
  const o = find(env, kind, namespace as string, name);
  if (!o) throw new Error(`${env}: no ${kind} ${namespace ?? ''}/${name}`);
  return o;
};
const application = (env: string, name: string) => get(env, 'Application', 'argocd', name);

/** The Certificate in `namespace` that writes Secret `secretName`. */
const certificateFor = (env: string, namespace: string, secretName: string) => {
  const c = objects(env, 'Certificate').find(
    (x) => x.metadata.namespace === namespace && x.spec.secretName === secretName,
  );
  if (!c) throw new Error(`${env}: no Certificate writes Secret ${namespace}/${secretName}`);
  return c;
};
/** A DNS name matched by one of a certificate's names, `*.` matching one label as TLS clients do. */
const covers = (dnsNames: string[], host: string) =>
  dnsNames.some((n) => (n.startsWith('*.') ? host.slice(host.indexOf('.') + 1) === n.slice(2) : n === host));

describe('high availability per environment', () => {
  const stableMin = (env: string, ns: string, name: string) =>
    get(env, 'HorizontalPodAutoscaler', ns, name).spec.minReplicas;

  it.each([
    ['dev', { api: 1, postgres: 1, mysql: 1, router: 1, mongodb: 1, redis: 1, sentinel: 1, kafka: 1 }],
    ['staging', { api: 2, postgres: 2, mysql: 3, router: 2, mongodb: 3, redis: 3, sentinel: 3, kafka: 3 }],
    ['prod', { api: 3, postgres: 3, mysql: 3, router: 2, mongodb: 3, redis: 3, sentinel: 3, kafka: 3 }],
  ])('%s: %j', (env, n) => {
    expect(stableMin(env, 'resilient-platform', 'backend-api')).toBe(n.api);
    expect(stableMin(env, 'reference-app', 'fastapi-app')).toBeGreaterThanOrEqual(2);
    expect(get(env, 'Cluster', 'data', 'postgres').spec.instances).toBe(n.postgres);
    const mysql = get(env, 'InnoDBCluster', 'mysql', 'mysql');
    expect(mysql.spec.instances).toBe(n.mysql);
    expect(mysql.spec.router.instances).toBe(n.router);
    expect(get(env, 'MongoDBCommunity', 'data', 'mongodb').spec.members).toBe(n.mongodb);
    expect(get(env, 'RedisReplication', 'data', 'redis').spec.clusterSize).toBe(n.redis);
    expect(get(env, 'RedisSentinel', 'data', 'redis-sentinel').spec.clusterSize).toBe(n.sentinel);
    const brokers = objects(env, 'KafkaNodePool')
      .filter((p) => p.spec.roles.includes('broker'))
      .reduce((sum, p) => sum + p.spec.replicas, 0);
    expect(brokers).toBe(n.kafka);
    expect(get(env, 'Kafka', 'data', 'kafka').spec.zookeeper).toBeUndefined();
  });

  it.each(ENVS)(
    '%s: MySQL and MongoDB, their operators and pins are deployed like every data service',
    (env) => {
      // The pins file is local-config (never applied), so it is read as written.
      const pins = (
        yaml.load(readFileSync(path.join(REPO_ROOT, `apps/overlays/${env}/release-pins.yaml`), 'utf8')) as Obj
      ).data;
      for (const [operator, instance] of [
        ['mysql-operator', 'mysql'],
        ['mongodb-operator', 'mongodb'],
      ] as const) {
        const op = application(env, operator);
        expect(op.spec.sources[0].targetRevision).toBe(pins[operator]);
        expect(application(env, instance).spec.source.path).toBe(`platform/data/${instance}/overlays/${env}`);
      }
    },
  );

  it.each(ENVS)('%s: Sentinel can fail over: a majority quorum of the Sentinels', (env) => {
    const sentinel = get(env, 'RedisSentinel', 'data', 'redis-sentinel').spec;
    expect(Number(sentinel.redisSentinelConfig.quorum)).toBe(Math.floor(sentinel.clusterSize / 2) + 1);
  });
});

describe('replication guarantees', () => {
  it('prod PostgreSQL replicates synchronously to a quorum of at least one standby', () => {
    const cluster = get('prod', 'Cluster', 'data', 'postgres').spec;
    expect(cluster.postgresql.synchronous).toEqual({
      method: 'any',
      number: 1,
      dataDurability: 'required',
      failoverQuorum: true,
    });
    // Losing one standby must not stop writes: more standbys than the quorum needs.
    expect(cluster.instances - 1).toBeGreaterThan(cluster.postgresql.synchronous.number);
  });

  it.each(['dev', 'staging'])('%s PostgreSQL stays asynchronous (ADR 0003)', (env) => {
    expect(get(env, 'Cluster', 'data', 'postgres').spec.postgresql?.synchronous).toBeUndefined();
  });

  it.each(['staging', 'prod'])('%s: every Kafka topic has 3 replicas and min.insync.replicas 2', (env) => {
    const topics = objects(env, 'KafkaTopic');
    expect(topics.length).toBeGreaterThanOrEqual(2);
    for (const t of topics) {
      expect(t.spec.replicas, t.metadata.name).toBe(3);
      expect(Number(t.spec.config?.['min.insync.replicas']), t.metadata.name).toBe(2);
    }
    const config = get(env, 'Kafka', 'data', 'kafka').spec.kafka.config;
    expect(config['default.replication.factor']).toBe(3);
    expect(config['min.insync.replicas']).toBe(2);
  });

  it('dev: no topic asks for more replicas than there are brokers', () => {
    for (const t of objects('dev', 'KafkaTopic')) expect(t.spec.replicas).toBeLessThanOrEqual(1);
  });
});

describe('TLS on every data connection', () => {
  it.each(ENVS)('%s: an internal CA and its ClusterIssuer `internal`', (env) => {
    const ca = get(env, 'Certificate', 'cert-manager', 'internal-ca').spec;
    expect(ca.isCA).toBe(true);
    expect(ca.issuerRef).toMatchObject({ kind: 'ClusterIssuer', name: 'selfsigned' });
    expect(get(env, 'ClusterIssuer', undefined, 'selfsigned').spec).toEqual({ selfSigned: {} });
    expect(get(env, 'ClusterIssuer', undefined, 'internal').spec).toEqual({
      ca: { secretName: ca.secretName },
    });
  });

  const internal = (cert: Obj) => {
    expect(cert.spec.issuerRef).toEqual({
      group: 'cert-manager.io',
      kind: 'ClusterIssuer',
      name: 'internal',
    });
    return cert.spec;
  };

  it.each(ENVS)('%s: Redis and Sentinel serve a certificate of the internal CA', (env) => {
    const replication = get(env, 'RedisReplication', 'data', 'redis').spec;
    const sentinel = get(env, 'RedisSentinel', 'data', 'redis-sentinel').spec;
    for (const tls of [replication.TLS, sentinel.TLS]) {
      expect(tls).toMatchObject({ ca: 'ca.crt', cert: 'tls.crt', key: 'tls.key' });
      const cert = internal(certificateFor(env, 'data', tls.secret.secretName));
      expect(cert.usages).toEqual(expect.arrayContaining(['server auth', 'client auth']));
      expect(covers(cert.dnsNames, 'redis-sentinel-sentinel.data.svc.cluster.local')).toBe(true);
      expect(covers(cert.dnsNames, 'redis-0.redis-headless.data.svc.cluster.local')).toBe(true);
    }
    // Sentinel reaches the TLS-only Redis over TLS too.
    const extra = get(env, 'ConfigMap', 'data', sentinel.redisSentinelConfig.additionalSentinelConfig);
    expect(extra.data['redis-sentinel-additional.conf']).toMatch(/^tls-replication yes$/m);
  });

  it.each(ENVS)('%s: MongoDB requires TLS with a certificate naming every member', (env) => {
    const mongodb = get(env, 'MongoDBCommunity', 'data', 'mongodb').spec;
    const tls = mongodb.security.tls;
    expect(tls.enabled).toBe(true);
    expect(tls.optional).not.toBe(true);
    expect(tls.caCertificateSecretRef.name).toBe(tls.certificateKeySecretRef.name);
    const cert = internal(certificateFor(env, 'data', tls.certificateKeySecretRef.name));
    for (let i = 0; i < mongodb.members; i++)
      expect(covers(cert.dnsNames, `mongodb-${i}.mongodb-svc.data.svc.cluster.local`), `member ${i}`).toBe(
        true,
      );
  });

  it.each(ENVS)('%s: MySQL servers and routers serve certificates of the internal CA', (env) => {
    const mysql = get(env, 'InnoDBCluster', 'mysql', 'mysql').spec;
    expect(mysql.tlsUseSelfSigned).not.toBe(true);
    const server = internal(certificateFor(env, 'mysql', mysql.tlsSecretName));
    expect(mysql.tlsCASecretName).toBe(mysql.tlsSecretName);
    expect(covers(server.dnsNames, 'mysql-0.mysql-instances.mysql.svc.cluster.local')).toBe(true);
    const router = internal(certificateFor(env, 'mysql', mysql.router.tlsSecretName));
    expect(covers(router.dnsNames, 'mysql.mysql.svc.cluster.local')).toBe(true);
  });

  it.each(ENVS)(
    '%s: PostgreSQL serves a certificate of the internal CA naming the hosts the apps use',
    (env) => {
      const certificates = get(env, 'Cluster', 'data', 'postgres').spec.certificates;
      expect(certificates.serverCASecret).toBe(certificates.serverTLSSecret);
      const cert = internal(certificateFor(env, 'data', certificates.serverTLSSecret));
      expect(cert.usages).toContain('server auth');
      // Instances reload the renewed certificate only when its Secret carries this label.
      expect(cert.secretTemplate.labels).toHaveProperty('cnpg.io/reload');
      for (const service of ['postgres-rw', 'postgres-ro', 'postgres-r'])
        expect(covers(cert.dnsNames, `${service}.data.svc.cluster.local`), service).toBe(true);
      for (const ns of WORKLOAD_NAMESPACES) {
        const config = get(env, 'ConfigMap', ns, 'app-config').data;
        expect(config.POSTGRES_SSLMODE, ns).toBe('verify-full');
        expect(covers(cert.dnsNames, config.POSTGRES_HOST), ns).toBe(true);
        expect(config.PGSSLROOTCERT, ns).toBe('/etc/data-tls/ca.crt');
      }
    },
  );

  it.each(ENVS)(
    '%s: Kafka’s listeners serve a certificate of the internal CA naming bootstrap and brokers',
    (env) => {
      const listeners = get(env, 'Kafka', 'data', 'kafka').spec.kafka.listeners;
      const brokers = objects(env, 'KafkaNodePool').flatMap((pool) =>
        Array.from({ length: pool.spec.replicas }, (_, i) => `kafka-${pool.metadata.name}-${i}`),
      );
      expect(brokers.length).toBeGreaterThan(0);
      for (const listener of listeners) {
        expect(listener.tls, listener.name).toBe(true);
        const chain = listener.configuration.brokerCertChainAndKey;
        expect(chain).toMatchObject({ certificate: 'tls.crt', key: 'tls.key' });
        const cert = internal(certificateFor(env, 'data', chain.secretName));
        expect(cert.usages).toContain('server auth');
        // Kafka reads PEM private keys in PKCS#8 only.
        expect(cert.privateKey.encoding).toBe('PKCS8');
        for (const broker of brokers)
          expect(covers(cert.dnsNames, `${broker}.kafka-kafka-brokers.data.svc`), broker).toBe(true);
        for (const ns of ['payments', 'reference-app']) {
          const config = get(env, 'ConfigMap', ns, 'app-config').data;
          expect(config.KAFKA_SECURITY_PROTOCOL, ns).toBe('SASL_SSL');
          expect(covers(cert.dnsNames, config.KAFKA_BOOTSTRAP_SERVERS.split(':')[0]), ns).toBe(true);
          expect(config.KAFKA_SSL_CA_FILE, ns).toBe('/etc/data-tls/ca.crt');
        }
      }
    },
  );

  it.each(ENVS)('%s: the apps log in to Kafka as KafkaUser app with the password it is given', (env) => {
    const user = get(env, 'KafkaUser', 'data', 'app');
    expect(user.spec.authentication.type).toBe('scram-sha-512');
    // A password the User Operator generated would stay in data, where no workload can read it.
    const ref = user.spec.authentication.password.valueFrom.secretKeyRef;
    const sealed = get(env, 'SealedSecret', 'data', ref.name);
    expect(Object.keys(sealed.spec.encryptedData)).toContain(ref.key);
    for (const ns of ['payments', 'reference-app']) {
      expect(get(env, 'ConfigMap', ns, 'app-config').data.KAFKA_SASL_USERNAME, ns).toBe(user.metadata.name);
      const credentials = get(env, 'SealedSecret', ns, 'app-credentials');
      expect(Object.keys(credentials.spec.encryptedData), ns).toContain('KAFKA_SASL_PASSWORD');
    }
  });

  it.each(ENVS)(
    '%s: the reference app logs in to MongoDB as a declared user with the password it is given',
    (env) => {
      const config = get(env, 'ConfigMap', 'reference-app', 'app-config').data;
      const authSource = new URL(config.MONGODB_URI).searchParams.get('authSource');
      const user = get(env, 'MongoDBCommunity', 'data', 'mongodb').spec.users.find(
        (u: Obj) => u.name === config.MONGODB_USER,
      );
      expect(user?.db).toBe(authSource);
      // The operator reads the user's password from this Secret; the app holds the same one.
      expect(get(env, 'SealedSecret', 'data', user.passwordSecretRef.name)).toBeDefined();
      const credentials = get(env, 'SealedSecret', 'reference-app', 'app-credentials');
      expect(Object.keys(credentials.spec.encryptedData)).toContain('MONGODB_PASSWORD');
    },
  );

  it.each(ENVS)(
    '%s: the reference app’s MySQL login is created by a hook with the password it is given',
    (env) => {
      const config = get(env, 'ConfigMap', 'reference-app', 'app-config').data;
      const job = get(env, 'Job', 'mysql', 'mysql-reference-app-user');
      // After every sync, once the InnoDBCluster is healthy; a rerun replaces the previous Job.
      expect(job.metadata.annotations).toMatchObject({
        'argocd.argoproj.io/hook': 'PostSync',
        'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      });
      const container = job.spec.template.spec.containers[0];
      const script = container.args.join('\n');
      expect(script).toContain(`CREATE DATABASE IF NOT EXISTS ${config.MYSQL_DATABASE};`);
      for (const verb of ['CREATE USER IF NOT EXISTS', 'ALTER USER'])
        expect(script).toContain(
          `${verb} '${config.MYSQL_USER}'@'%' IDENTIFIED BY '$APP_PASSWORD' REQUIRE SSL;`,
        );
      expect(script).toContain(
        `GRANT ALL PRIVILEGES ON ${config.MYSQL_DATABASE}.* TO '${config.MYSQL_USER}'@'%';`,
      );
      // It reaches the router the app uses, verifying it as the app does.
      expect(script).toContain(`--host=${config.MYSQL_HOST} --port=${config.MYSQL_PORT}`);
      expect(script).toContain('--ssl-mode=VERIFY_IDENTITY --ssl-ca=/etc/mysql-tls/ca.crt');
      const password = container.env.find((e: Obj) => e.name === 'APP_PASSWORD').valueFrom.secretKeyRef;
      expect(Object.keys(get(env, 'SealedSecret', 'mysql', password.name).spec.encryptedData)).toContain(
        password.key,
      );
      const credentials = get(env, 'SealedSecret', 'reference-app', 'app-credentials');
      expect(Object.keys(credentials.spec.encryptedData)).toContain('MYSQL_PASSWORD');
    },
  );

  it.each(ENVS)('%s: resilient-platform reaches its bucket with an access key of its own', (env) => {
    const config = get(env, 'ConfigMap', 'resilient-platform', 'app-config').data;
    expect(config.S3_BUCKET).toBe('resilient-platform-uploads');
    expect(config.AWS_DEFAULT_REGION).toBeTruthy();
    const credentials = get(env, 'SealedSecret', 'resilient-platform', 'app-credentials');
    expect(Object.keys(credentials.spec.encryptedData)).toEqual(
      expect.arrayContaining(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']),
    );
  });

  it.each(ENVS)('%s: every workload pod mounts the internal CA and its config points at it', (env) => {
    const deployments = resources(env, 'Deployment').filter((r) =>
      WORKLOAD_NAMESPACES.includes(r.object.metadata?.namespace ?? ''),
    );
    expect(deployments.length).toBeGreaterThanOrEqual(10);
    for (const d of deployments) {
      const ns = d.object.metadata!.namespace!;
      const who = `${ns}/${d.object.metadata!.name}`;
      const pod = (d.object as Obj).spec.template.spec;
      const app = pod.containers.find((c: Obj) => c.name === 'app');
      const mount = app.volumeMounts.find((m: Obj) => m.mountPath === '/etc/data-tls');
      expect(mount?.readOnly, who).toBe(true);
      const volume = pod.volumes.find((v: Obj) => v.name === mount.name);
      // Only the CA, never the client key.
      expect(volume.secret.items, who).toEqual([{ key: 'ca.crt', path: 'ca.crt' }]);
      internal(certificateFor(env, ns, volume.secret.secretName));
      const config = get(env, 'ConfigMap', ns, 'app-config').data;
      expect(config.REDIS_TLS, who).toBe('true');
      expect(config.REDIS_TLS_CA_FILE, who).toBe('/etc/data-tls/ca.crt');
      // Init containers that connect with the same config (schema migrations) need the CA as well.
      for (const c of [...(pod.initContainers ?? []), ...pod.containers].filter((c: Obj) =>
        (c.envFrom ?? []).some((e: Obj) => e.configMapRef?.name === 'app-config'),
      ))
        expect(
          c.volumeMounts.find((m: Obj) => m.mountPath === '/etc/data-tls')?.name,
          `${who} ${c.name}`,
        ).toBe(mount.name);
    }
  });

  it.each(ENVS)('%s: the reference app verifies MySQL and MongoDB by name and CA', (env) => {
    const config = get(env, 'ConfigMap', 'reference-app', 'app-config').data;
    expect(config.MYSQL_SSL_MODE).toBe('VERIFY_IDENTITY');
    expect(config.MYSQL_SSL_CA).toBe('/etc/data-tls/ca.crt');
    const mysql = get(env, 'InnoDBCluster', 'mysql', 'mysql').spec;
    expect(
      covers(certificateFor(env, 'mysql', mysql.router.tlsSecretName).spec.dnsNames, config.MYSQL_HOST),
    ).toBe(true);
    const uri = new URL(config.MONGODB_URI);
    expect(uri.protocol).toBe('mongodb+srv:');
    expect(uri.searchParams.get('tls')).toBe('true');
    expect(uri.searchParams.get('tlsCAFile')).toBe('/etc/data-tls/ca.crt');
    // The SRV record names the members as <pod>.<service>; the members' certificate must cover that.
    const cert = certificateFor(env, 'data', 'mongodb-tls').spec;
    expect(covers(cert.dnsNames, `mongodb-0.${uri.hostname}`)).toBe(true);
  });

  it.each(ENVS)('%s: backup jobs verify the servers they dump', (env) => {
    const command = (name: string) => {
      const job = get(env, 'CronJob', 'data', name).spec.jobTemplate.spec.template.spec;
      const dump = job.initContainers.find((c: Obj) => c.name === 'dump');
      const mounts = dump.volumeMounts.map((m: Obj) => m.mountPath);
      return { args: dump.args.join(' '), mounts, volumes: job.volumes };
    };
    const redis = command('redis-backup');
    expect(redis.args.match(/redis-cli --tls --cacert \/etc\/redis-tls\/ca\.crt/g)).toHaveLength(2);
    expect(redis.mounts).toContain('/etc/redis-tls');
    const mongodb = command('mongodb-backup');
    expect(mongodb.args).toContain('--sslCAFile=/etc/mongodb-tls/ca.crt');
    expect(mongodb.mounts).toContain('/etc/mongodb-tls');
    for (const v of [...redis.volumes, ...mongodb.volumes].filter((x: Obj) => x.secret))
      expect(v.secret.items).toEqual([{ key: 'ca.crt', path: 'ca.crt' }]);
  });
});

describe('cluster state backups (Velero)', () => {
  it.each(ENVS)(
    '%s: daily and weekly backups of every namespace to the object store, credentials sealed',
    (env) => {
      const app = application(env, 'velero');
      expect(app.spec.destination.namespace).toBe('velero');
      expect(app.spec.sources[0]).toMatchObject({
        repoURL: 'https://vmware-tanzu.github.io/helm-charts',
        chart: 'velero',
        targetRevision: '11.4.0',
      });
      expect(app.spec.sources[2].path).toBe(`platform/backup/velero/overlays/${env}`);
      const values = chartValues(env, 'velero');
      // The object store the database dumps use: SeaweedFS's S3 Service in data, path-style.
      expect(values.configuration.backupStorageLocation).toEqual([
        expect.objectContaining({
          provider: 'aws',
          bucket: 'backups',
          default: true,
          config: expect.objectContaining({
            s3Url: 'http://seaweedfs-s3.data.svc.cluster.local:8333',
            s3ForcePathStyle: 'true',
          }),
        }),
      ]);
      const sealed = find(env, 'SealedSecret', 'velero', values.credentials.existingSecret);
      expect(Object.keys(sealed?.spec.encryptedData ?? {})).toEqual(['cloud']);
      expect(values.schedules.daily).toMatchObject({ template: { ttl: '168h', includedNamespaces: ['*'] } });
      expect(values.schedules.weekly).toMatchObject({ template: { includedNamespaces: ['*'] } });
      // Pod Security "restricted" in velero: no node agent (hostPath), restricted contexts everywhere.
      expect(
        get(env, 'Namespace', undefined, 'velero').metadata.labels['pod-security.kubernetes.io/enforce'],
      ).toBe('restricted');
      expect(values.deployNodeAgent).toBe(false);
      expect(values.podSecurityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      for (const c of [
        values.containerSecurityContext,
        ...values.initContainers.map((i: Obj) => i.securityContext),
      ])
        expect(c).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    },
  );

  it.each(ENVS)('%s: Velero may reach the object store, and the object store admits it', (env) => {
    const egress = objects(env, 'NetworkPolicy')
      .filter((p) => p.metadata.namespace === 'velero')
      .flatMap((p) => p.spec.egress ?? []);
    expect(egress).toContainEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } } }],
      ports: [{ protocol: 'TCP', port: 8333 }],
    });
    const ingress = objects(env, 'NetworkPolicy')
      .filter((p) => p.metadata.namespace === 'data')
      .flatMap((p) => p.spec.ingress ?? [])
      .filter((i: Obj) => i.ports?.some((port: Obj) => port.port === 8333));
    expect(
      ingress.some((i: Obj) =>
        i.from?.some((f: Obj) =>
          (f.namespaceSelector?.matchExpressions ?? []).some((e: Obj) => e.values?.includes('velero')),
        ),
      ),
    ).toBe(true);
  });
});

describe('schema migrations while two releases run', () => {
  /** Runs an init container's command with a stand-in alembic whose `current` prints or fails as given. */
  function runInit(command: string[], current: { out: string; code: number }) {
    const { code, files } = runWithStandIn(
      command,
      'alembic',
      (dir) =>
        `#!/bin/sh\necho "$*" >> "${dir}/calls"\nif [ "$1" = current ]; then printf '%s\\n' ${JSON.stringify(current.out)}; exit ${current.code}; fi\n`,
    );
    return { code, calls: (files.calls ?? '').trim().split('\n') };
  }
  const init = (deployment: string, container: string) => {
    const pod = get('prod', 'Deployment', 'resilient-platform', deployment).spec.template.spec;
    const c = pod.initContainers.find((x: Obj) => x.name === container);
    return [...c.command, ...(c.args ?? [])] as string[];
  };
  const AHEAD = { out: "FAILED: Can't locate revision identified by 'f00dfeed'", code: 1 };

  it('the API migrates when behind, and starts when a newer canary already migrated past it', () => {
    const migrate = init('backend-api', 'migrate');
    expect(runInit(migrate, { out: 'a1b2c3 ', code: 0 })).toEqual({
      code: 0,
      calls: ['current', 'upgrade head'],
    });
    expect(runInit(migrate, AHEAD)).toEqual({ code: 0, calls: ['current'] });
    // The database unreachable: the init container fails and Kubernetes retries it.
    expect(runInit(migrate, { out: 'could not connect to server', code: 1 }).code).not.toBe(0);
  });

  it('the worker waits for the schema, at its head or ahead of it', () => {
    const wait = init('worker', 'wait-for-schema');
    expect(runInit(wait, { out: 'a1b2c3 (head)', code: 0 })).toEqual({ code: 0, calls: ['current'] });
    expect(runInit(wait, AHEAD)).toEqual({ code: 0, calls: ['current'] });
  });
});

describe('backups to the object store', () => {
  it('the MongoDB dump covers every database, not only the one the URI names', () => {
    const job = get('prod', 'CronJob', 'data', 'mongodb-backup');
    const dump = job.spec.jobTemplate.spec.template.spec.initContainers.find((c: Obj) => c.name === 'dump');
    // The script as the container runs it, with a stand-in mongodump that records its arguments.
    const { code, files } = runWithStandIn(
      [...dump.command, ...dump.args],
      'mongodump',
      (dir) => `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/args"\n`,
      {
        // As the operator writes connectionString.standard: the user's auth database is the path.
        MONGODB_URI:
          'mongodb://app:p%40ss@mongodb-0.mongodb-svc.data.svc.cluster.local:27017,mongodb-1.mongodb-svc.data.svc.cluster.local:27017/admin?replicaSet=mongodb&ssl=true',
      },
    );
    expect(code).toBe(0);
    const uri = files
      .args!.split('\n')
      .find((a) => a.startsWith('--uri='))!
      .slice('--uri='.length);
    // mongodump dumps only the database a URI names; authSource keeps the login working.
    expect(uri).toBe(
      'mongodb://app:p%40ss@mongodb-0.mongodb-svc.data.svc.cluster.local:27017,mongodb-1.mongodb-svc.data.svc.cluster.local:27017/?authSource=admin&replicaSet=mongodb&ssl=true',
    );
  });

  const everyDay = /^(\S+ ){2}\* \* \*$/;

  it.each(ENVS)('%s: every database has a scheduled backup into bucket backups', (env) => {
    const pg = get(env, 'ScheduledBackup', 'data', 'postgres-daily').spec;
    expect(pg.cluster.name).toBe('postgres');
    expect(pg.method).toBe('plugin');
    // CNPG schedules carry a seconds field.
    expect(pg.schedule.split(' ')).toHaveLength(6);
    const store = get(env, 'ObjectStore', 'data', 'postgres-backups').spec.configuration;
    expect(store.destinationPath).toMatch(/^s3:\/\/backups\//);
    const archiver = get(env, 'Cluster', 'data', 'postgres').spec.plugins[0];
    expect(archiver).toMatchObject({
      isWALArchiver: true,
      parameters: { barmanObjectName: 'postgres-backups' },
    });

    const mysql = get(env, 'InnoDBCluster', 'mysql', 'mysql').spec;
    const schedule = mysql.backupSchedules.find((s: Obj) => s.enabled);
    expect(schedule.schedule).toMatch(everyDay);
    const profile = mysql.backupProfiles.find((p: Obj) => p.name === schedule.backupProfileName);
    expect(profile.dumpInstance.storage.s3).toMatchObject({ bucketName: 'backups', prefix: '/mysql' });
    expect(profile.dumpInstance.storage.s3.endpoint).toBe(store.endpointURL);

    for (const [name, prefix] of [
      ['mongodb-backup', 's3://backups/mongodb/'],
      ['redis-backup', 's3://backups/redis/'],
    ] as const) {
      const job = get(env, 'CronJob', 'data', name);
      expect(job.spec.schedule).toMatch(everyDay);
      const upload = job.spec.jobTemplate.spec.template.spec.containers.find((c: Obj) => c.name === 'upload');
      expect(upload.args.join(' ')).toContain(prefix);
    }
  });

  it.each(ENVS)('%s: MySQL reaches the object store in data, and only its port', (env) => {
    const egress = get(env, 'NetworkPolicy', 'mysql', 'allow-backups').spec.egress[0];
    expect(egress.to[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'data' });
    expect(egress.ports).toEqual([{ protocol: 'TCP', port: 8333 }]);
  });
});

describe('Pod Security of the data and operator namespaces', () => {
  const LEVELS: Record<string, string> = {
    'cnpg-system': 'restricted',
    'strimzi-system': 'restricted',
    'redis-operator': 'restricted',
    'mongodb-operator': 'restricted',
    'mysql-operator': 'baseline',
    data: 'restricted',
    mysql: 'baseline',
  };

  it.each(ENVS)('%s: each keeps its level, with the reason written next to the label', (env) => {
    for (const [name, level] of Object.entries(LEVELS)) {
      const ns = resources(env, 'Namespace').find((r) => r.object.metadata?.name === name)!;
      const labels = ns.object.metadata!.labels!;
      expect(labels['pod-security.kubernetes.io/enforce'], name).toBe(level);
      expect(labels['pod-security.kubernetes.io/warn'], name).toBe('restricted');
      expect(labels['pod-security.kubernetes.io/audit'], name).toBe('restricted');
      const lines = readFileSync(path.join(REPO_ROOT, ns.origin.file), 'utf8').split('\n');
      const at = lines.findIndex((l) => l.includes('pod-security.kubernetes.io/enforce:'));
      expect(lines[at - 1], `${name}: comment above the enforce label`).toMatch(/^\s+#/);
      const reason = lines
        .slice(0, at)
        .reverse()
        .findIndex((l) => !/^\s+#/.test(l));
      expect(lines.slice(at - reason, at).join(' '), name).toContain(`Pod Security "${level}"`);
    }
  });

  it.each(ENVS)('%s: the operators run in those namespaces', (env) => {
    const destination = (app: string) => application(env, app).spec.destination.namespace;
    expect(destination('cloudnative-pg')).toBe('cnpg-system');
    expect(destination('plugin-barman-cloud')).toBe('cnpg-system');
    expect(destination('strimzi')).toBe('strimzi-system');
    expect(destination('redis-operator')).toBe('redis-operator');
    expect(destination('mysql-operator')).toBe('mysql-operator');
    expect(destination('mongodb-operator')).toBe('mongodb-operator');
    // Pods defined in git for data (the backup jobs) stay within "restricted" too.
    for (const t of podTemplates(resources(env)).filter(
      (x) => x.resource.object.metadata?.namespace === 'data',
    ))
      for (const { container } of containersOf(t.spec))
        expect(container.securityContext?.allowPrivilegeEscalation, container.name).toBe(false);
  });
});

describe('charts', () => {
  it.each(ENVS)('%s: Strimzi comes from its OCI registry, allowed by settings and the project', (env) => {
    const source = application(env, 'strimzi').spec.sources[0];
    expect(source).toMatchObject({ repoURL: 'quay.io/strimzi-helm', chart: 'strimzi-kafka-operator' });
    expect(renders[env]!.charts.find((c) => c.app === 'strimzi')?.repoURL).toBe('quay.io/strimzi-helm');
    expect(repo.settings.chartRepositories).toContain('quay.io/strimzi-helm');
    expect(repo.settings.chartRepositories).not.toContain('https://strimzi.io/charts/');
    expect(get(env, 'AppProject', 'argocd', 'platform').spec.sourceRepos).toContain('quay.io/strimzi-helm');
    expect(renders[env]!.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

/** A chart Application's values as Helm merges its value files (later files win; null removes a key). */
function chartValues(env: string, app: string): Obj {
  const merge = (into: Obj, from: Obj): Obj => {
    for (const [k, v] of Object.entries(from ?? {})) {
      if (v && typeof v === 'object' && !Array.isArray(v) && into[k] && typeof into[k] === 'object')
        merge(into[k], v);
      else into[k] = v;
    }
    return into;
  };
  const files: string[] = application(env, app).spec.sources[0].helm.valueFiles;
  return files.reduce(
    (acc, f) =>
      merge(acc, yaml.load(readFileSync(path.join(REPO_ROOT, f.replace(/^\$values\//, '')), 'utf8')) as Obj),
    {} as Obj,
  );
}
const projectNamespaces = (env: string): string[] =>
  get(env, 'AppProject', 'argocd', 'platform').spec.destinations.map((d: Obj) => d.namespace);

describe('what charts deploy outside their own namespace', () => {
  // Argo CD refuses a whole sync when one resource sits in a namespace the project does not list.
  it.each(ENVS)(
    '%s: cert-manager keeps its leader-election Roles in a namespace the project allows',
    (env) => {
      // deploy/charts/cert-manager/templates/rbac.yaml: namespace global.leaderElection.namespace, kube-system by default
      const ns = chartValues(env, 'cert-manager').global?.leaderElection?.namespace ?? 'kube-system';
      expect(projectNamespaces(env)).toContain(ns);
    },
  );

  it.each(ENVS)(
    "%s: the MySQL Operator chart's ClusterKopfPeering is a cluster-scoped kind the project allows",
    (env) => {
      // helm/mysql-operator/templates/cluster_kopf_keepering.yaml renders it unconditionally
      const allowed = get(env, 'AppProject', 'argocd', 'platform').spec.clusterResourceWhitelist as Obj[];
      expect(allowed).toContainEqual({ group: 'zalando.org', kind: 'ClusterKopfPeering' });
    },
  );

  it.each(ENVS)(
    '%s: kube-prometheus-stack writes nothing to kube-system unless the project allows it',
    (env) => {
      // templates/exporters/<component>/{service,endpoints}.yaml hard-code namespace kube-system
      const values = chartValues(env, 'kube-prometheus-stack');
      const inKubeSystem = [
        'coreDns',
        'kubeControllerManager',
        'kubeEtcd',
        'kubeScheduler',
        'kubeProxy',
      ].filter((component) => values[component]?.enabled !== false);
      if (!projectNamespaces(env).includes('kube-system')) expect(inKubeSystem).toEqual([]);
    },
  );
});

describe('observability as wired', () => {
  it.each(ENVS)('%s: Tempo keeps the Jaeger receiver values its Service template reads', (env) => {
    // tempo-2.2.4 templates/_ports.tpl reads tempo.receivers.jaeger.protocols.* unguarded:
    // a null there removes the chart default and fails the render.
    const receivers = chartValues(env, 'tempo').tempo?.receivers ?? {};
    expect(receivers.jaeger).not.toBeNull();
    expect(receivers.otlp?.protocols?.grpc?.endpoint).toBe('0.0.0.0:4317');
  });

  it.each(ENVS)('%s: every job an alert asks about is one a monitor scrapes', (env) => {
    // A ServiceMonitor's jobLabel names the job after the value of that label of the Service.
    const jobs = new Set<string>();
    for (const m of objects(env, 'ServiceMonitor')) {
      const label = m.spec.jobLabel;
      if (!label) continue;
      const fixed = m.spec.selector?.matchLabels?.[label];
      if (fixed) jobs.add(fixed);
      for (const e of m.spec.selector?.matchExpressions ?? [])
        if (e.key === label && e.operator === 'In') for (const v of e.values) jobs.add(v);
    }
    const asked = objects(env, 'PrometheusRule').flatMap((r) =>
      r.spec.groups.flatMap((g: Obj) =>
        g.rules.flatMap((rule: Obj) =>
          [...String(rule.expr ?? '').matchAll(/\bjob="([^"]+)"/g)].map((m) => m[1]),
        ),
      ),
    );
    expect(asked.length).toBeGreaterThan(0);
    for (const job of asked) expect([...jobs], `job="${job}"`).toContain(job);
  });

  it.each(ENVS)(
    '%s: a port open to any source (webhooks, the gateway) is open on the pods that serve it only',
    (env) => {
      const open = objects(env, 'NetworkPolicy').filter((p) =>
        (p.spec.ingress ?? []).some((i: Obj) => !i.from && i.ports?.length),
      );
      expect(open.length).toBeGreaterThanOrEqual(5);
      for (const p of open)
        expect(
          Object.keys(p.spec.podSelector?.matchLabels ?? {}).length,
          `${p.metadata.namespace}/${p.metadata.name}`,
        ).toBeGreaterThan(0);
    },
  );

  it.each(ENVS)("%s: istiod fetches the identity provider's JWKS on a policy of its own", (env) => {
    const jwks = objects(env, 'NetworkPolicy').find(
      (p) => p.metadata.namespace === 'istio-system' && p.metadata.name === 'allow-jwks',
    );
    expect(jwks?.spec.podSelector).toEqual({ matchLabels: { app: 'istiod' } });
    expect(jwks?.spec.egress).toEqual([
      {
        to: [
          {
            ipBlock: { cidr: '0.0.0.0/0', except: expect.arrayContaining(['10.0.0.0/8', '169.254.0.0/16']) },
          },
        ],
        ports: [{ protocol: 'TCP', port: 443 }],
      },
    ]);
  });

  it.each(ENVS)(
    "%s: the API server reaches the MongoDB operator's webhook (port 1993, any source)",
    (env) => {
      const allowed = objects(env, 'NetworkPolicy').filter(
        (p) =>
          p.metadata.namespace === 'mongodb-operator' &&
          p.spec.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'mongodb-kubernetes-operator' &&
          (p.spec.ingress ?? []).some(
            (i: Obj) => !i.from && i.ports?.some((port: Obj) => port.port === 1993),
          ),
      );
      expect(allowed).toHaveLength(1);
    },
  );

  it.each(ENVS)(
    '%s: the Data services dashboard has an exporter and a monitor behind each of its series',
    (env) => {
      const dashboard = readFileSync(
        path.join(REPO_ROOT, 'platform/observability/dashboards/data-services.json'),
        'utf8',
      );
      const monitor = (name: string) => find(env, 'PodMonitor', 'data', name);
      // cnpg_*: CloudNativePG's exporter runs in every instance; the monitor selects the cluster's pods.
      expect(dashboard).toContain('cnpg_');
      expect(monitor('postgres')?.spec).toMatchObject({
        selector: {
          matchLabels: { 'cnpg.io/cluster': get(env, 'Cluster', 'data', 'postgres').metadata.name },
        },
        podMetricsEndpoints: [{ port: 'metrics' }],
      });
      // redis_*: the operator's redis_exporter sidecar, port redis-exporter.
      expect(dashboard).toContain('redis_');
      const redis = get(env, 'RedisReplication', 'data', 'redis');
      expect(redis.spec.redisExporter).toMatchObject({ enabled: true, image: expect.stringMatching(/:v\d/) });
      expect(monitor('redis')?.spec).toMatchObject({
        selector: { matchLabels: { app: 'redis', redis_setup_type: 'replication' } },
        podMetricsEndpoints: [{ port: 'redis-exporter' }],
      });
      // kafka_server_*: the brokers' JMX exporter; kafka_consumergroup_lag: Kafka Exporter.
      const kafka = get(env, 'Kafka', 'data', 'kafka');
      const ref = kafka.spec.kafka.metricsConfig?.valueFrom?.configMapKeyRef;
      expect(kafka.spec.kafka.metricsConfig?.type).toBe('jmxPrometheusExporter');
      expect(find(env, 'ConfigMap', 'data', ref.name)?.data?.[ref.key]).toContain(
        'lowercaseOutputName: true',
      );
      expect(dashboard).toContain('kafka_consumergroup_lag');
      expect(kafka.spec.kafkaExporter).toBeDefined();
      expect(monitor('kafka')?.spec).toMatchObject({
        selector: { matchLabels: { 'strimzi.io/kind': 'Kafka', 'strimzi.io/cluster': 'kafka' } },
        podMetricsEndpoints: [{ port: 'tcp-prometheus' }],
      });
    },
  );

  it.each(ENVS)('%s: Kiali logs in to Grafana with the admin login Grafana is given', (env) => {
    const grafana = chartValues(env, 'kube-prometheus-stack').grafana.admin;
    const auth = chartValues(env, 'kiali').external_services.grafana.auth;
    expect(auth).toEqual({
      type: 'basic',
      username: `secret:${grafana.existingSecret}:${grafana.userKey}`,
      password: `secret:${grafana.existingSecret}:${grafana.passwordKey}`,
    });
    expect(find(env, 'SealedSecret', 'observability', grafana.existingSecret)).toBeDefined();
  });

  it.each(ENVS)('%s: Prometheus may reach the kubelet on the nodes', (env) => {
    const policies = objects(env, 'NetworkPolicy').filter(
      (p) =>
        p.metadata.namespace === 'observability' &&
        p.spec.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'prometheus',
    );
    const kubelet = policies
      .flatMap((p) => p.spec.egress ?? [])
      .filter(
        (e: Obj) =>
          e.ports?.some((port: Obj) => port.port === 10250) && e.to?.some((t: Obj) => t.ipBlock?.cidr),
      );
    expect(kubelet.length).toBeGreaterThan(0);
  });
});
