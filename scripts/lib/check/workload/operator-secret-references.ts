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

/** A Secret reference, and the namespace it is looked up in when that is not the object's own. */
export type OperatorSecretReference = ObjectReference & { namespace?: string };

/**
 * The Secrets an operator's custom resource needs to exist, with the field naming each: in the
 * object's namespace, except a cert-manager ClusterIssuer's, which cert-manager reads from its
 * cluster resource namespace (skipped when that is unknown).
 */
export function operatorSecretReferences(
  o: Record<string, any>,
  clusterResourceNamespace?: string,
): OperatorSecretReference[] {
  const group = String(o.apiVersion ?? '').split('/')[0];
  if (group === 'cert-manager.io' && (o.kind === 'Issuer' || o.kind === 'ClusterIssuer')) {
    if (o.kind === 'Issuer') return issuerSecretReferences(o);
    if (clusterResourceNamespace === undefined) return [];
    return issuerSecretReferences(o).map((r) => ({ ...r, namespace: clusterResourceNamespace }));
  }
  const fields = SECRET_FIELDS[`${group}/${o.kind}`];
  if (!fields) return [];
  const out: ObjectReference[] = [];
  for (const f of fields) if (!f.when || f.when(o)) collect(o, f.path, [], out);
  return out;
}

/**
 * An issuer's Secrets, as cert-manager's Issuer API names them: the CA's key pair, every DNS-01
 * provider's `…SecretRef` (cloudflare, route53, azureDNS, cloudDNS, digitalocean, rfc2136, acmeDNS,
 * akamai), the ACME account binding key, Vault's and Venafi's credentials. The ACME account key
 * (privateKeySecretRef) is left out: cert-manager creates it.
 */
function issuerSecretReferences(o: Record<string, any>): ObjectReference[] {
  const out: ObjectReference[] = [];
  for (const path of [
    ['spec', 'ca', 'secretName'],
    ['spec', 'acme', 'externalAccountBinding', 'keySecretRef', 'name'],
    ['spec', 'vault', 'caBundleSecretRef', 'name'],
    ['spec', 'vault', 'auth', 'tokenSecretRef', 'name'],
    ['spec', 'vault', 'auth', 'appRole', 'secretRef', 'name'],
    ['spec', 'vault', 'auth', 'kubernetes', 'secretRef', 'name'],
    ['spec', 'venafi', 'tpp', 'credentialsRef', 'name'],
    ['spec', 'venafi', 'cloud', 'apiTokenSecretRef', 'name'],
  ])
    collect(o, path, [], out);
  const solvers: unknown = o.spec?.acme?.solvers;
  if (Array.isArray(solvers))
    solvers.forEach((solver: Record<string, any>, i) => {
      for (const [provider, config] of Object.entries(solver?.dns01 ?? {}))
        if (config !== null && typeof config === 'object')
          for (const key of Object.keys(config).filter((k) => k.endsWith('SecretRef')))
            collect(o, ['spec', 'acme', 'solvers', i, 'dns01', provider, key, 'name'], [], out);
    });
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
  if (Array.isArray(value)) {
    if (head === '*') value.forEach((item, i) => collect(item, rest, [...at, i], out));
    else if (typeof head === 'number') collect(value[head], rest, [...at, head], out);
  } else if (value !== null && typeof value === 'object' && typeof head === 'string' && head !== '*') {
    collect((value as Record<string, unknown>)[head], rest, [...at, head], out);
  }
}
