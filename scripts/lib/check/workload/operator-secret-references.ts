import type { ObjectReference } from './existing-objects.ts';

/** A field of a custom resource that names a Secret of its own namespace; `*` is every array item. */
interface SecretField {
  path: readonly (string | number)[];
  /** Whether the operator reads the Secret for this object (a disabled feature reads nothing). */
  when?: (o: Record<string, any>) => boolean;
}

const REDIS: readonly SecretField[] = [
  { path: ['spec', 'TLS', 'secret', 'secretName'] },
  { path: ['spec', 'kubernetesConfig', 'redisSecret', 'name'] },
];

/**
 * Where the data operators' custom resources name a Secret the operator reads and does not create,
 * by `group/Kind` (every served version), as their CRDs in scripts/lib/check/schema/vendor define
 * them. A missing one is no API error: the operator stalls instead (no database, role, user or TLS
 * listener), and Argo CD shows the resource Progressing or Degraded long after the sync.
 */
const SECRET_FIELDS: Record<string, readonly SecretField[]> = {
  'postgresql.cnpg.io/Cluster': [
    { path: ['spec', 'bootstrap', 'initdb', 'secret', 'name'] },
    { path: ['spec', 'bootstrap', 'recovery', 'secret', 'name'] },
    { path: ['spec', 'bootstrap', 'pg_basebackup', 'secret', 'name'] },
    { path: ['spec', 'managed', 'roles', '*', 'passwordSecret', 'name'] },
    { path: ['spec', 'superuserSecret', 'name'] },
    { path: ['spec', 'certificates', 'serverTLSSecret'] },
    { path: ['spec', 'certificates', 'serverCASecret'] },
    { path: ['spec', 'certificates', 'clientCASecret'] },
    { path: ['spec', 'certificates', 'replicationTLSSecret'] },
  ],
  'barmancloud.cnpg.io/ObjectStore': [
    { path: ['spec', 'configuration', 's3Credentials', 'accessKeyId', 'name'] },
    { path: ['spec', 'configuration', 's3Credentials', 'secretAccessKey', 'name'] },
    { path: ['spec', 'configuration', 's3Credentials', 'sessionToken', 'name'] },
  ],
  'kafka.strimzi.io/Kafka': [
    { path: ['spec', 'kafka', 'listeners', '*', 'configuration', 'brokerCertChainAndKey', 'secretName'] },
  ],
  'kafka.strimzi.io/KafkaUser': [
    {
      path: ['spec', 'authentication', 'password', 'valueFrom', 'secretKeyRef', 'name'],
      when: (o) => o.spec?.authentication?.password?.valueFrom?.secretKeyRef?.optional !== true,
    },
  ],
  'redis.redis.opstreelabs.in/Redis': REDIS,
  'redis.redis.opstreelabs.in/RedisCluster': REDIS,
  'redis.redis.opstreelabs.in/RedisReplication': REDIS,
  'redis.redis.opstreelabs.in/RedisSentinel': REDIS,
  'mongodbcommunity.mongodb.com/MongoDBCommunity': [
    { path: ['spec', 'users', '*', 'passwordSecretRef', 'name'] },
    ...['certificateKeySecretRef', 'caCertificateSecretRef'].map((ref) => ({
      path: ['spec', 'security', 'tls', ref, 'name'],
      when: (o: Record<string, any>) => o.spec?.security?.tls?.enabled === true,
    })),
  ],
  'mysql.oracle.com/InnoDBCluster': [
    { path: ['spec', 'secretName'] },
    ...[
      ['spec', 'tlsSecretName'],
      ['spec', 'tlsCASecretName'],
      ['spec', 'router', 'tlsSecretName'],
    ].map((path) => ({ path, when: (o: Record<string, any>) => o.spec?.tlsUseSelfSigned !== true })),
    { path: ['spec', 'backupProfiles', '*', 'dumpInstance', 'storage', 's3', 'config'] },
  ],
};

/** The Secrets an operator's custom resource needs to exist in its namespace, with the field naming each. */
export function operatorSecretReferences(o: Record<string, any>): ObjectReference[] {
  const fields = SECRET_FIELDS[`${String(o.apiVersion ?? '').split('/')[0]}/${o.kind}`];
  if (!fields) return [];
  const out: ObjectReference[] = [];
  for (const f of fields) if (!f.when || f.when(o)) collect(o, f.path, [], out);
  return out;
}

function collect(
  value: unknown,
  path: readonly (string | number)[],
  at: (string | number)[],
  out: ObjectReference[],
): void {
  if (path.length === 0) {
    if (typeof value === 'string' && value !== '') out.push({ kind: 'Secret', name: value, path: at });
    return;
  }
  const [head, ...rest] = path;
  if (head === '*') {
    if (Array.isArray(value)) value.forEach((item, i) => collect(item, rest, [...at, i], out));
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    collect((value as Record<string, unknown>)[head!], rest, [...at, head!], out);
  }
}
