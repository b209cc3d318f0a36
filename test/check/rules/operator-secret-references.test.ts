import { describe, expect, it } from 'vitest';
import { referencesExist } from '../../../scripts/lib/check/rules/workload-references.ts';
import { operatorSecretReferences } from '../../../scripts/lib/check/workload/operator-secret-references.ts';
import { findings } from '../../property/rule-harness.ts';

const sealed = (name: string, namespace: string) => ({
  apiVersion: 'bitnami.com/v1alpha1',
  kind: 'SealedSecret',
  metadata: { name, namespace },
  spec: { encryptedData: { key: 'AgBy3i4OJSWK+PiTySYZZA==' } },
});

// Let's Encrypt with a Cloudflare DNS-01 solver, as platform/security/certificates writes it.
const acmeIssuer = (kind: 'Issuer' | 'ClusterIssuer', tokenSecret: string) => ({
  apiVersion: 'cert-manager.io/v1',
  kind,
  metadata: { name: 'public', ...(kind === 'Issuer' ? { namespace: 'web' } : {}) },
  spec: {
    acme: {
      server: 'https://acme-v02.api.letsencrypt.org/directory',
      // Created by cert-manager: never a finding.
      privateKeySecretRef: { name: 'acme-account-key' },
      solvers: [
        { http01: { ingress: { ingressClassName: 'istio' } } },
        { dns01: { cloudflare: { apiTokenSecretRef: { name: tokenSecret, key: 'api-token' } } } },
      ],
    },
  },
});

const certManagerChart = (namespace: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'cert-manager', namespace: 'argocd' },
  spec: { destination: { namespace } },
});

describe('Secrets the data operators and cert-manager issuers name', () => {
  it('names each reference by its field; optional and unread ones are left out', () => {
    expect(
      operatorSecretReferences({
        apiVersion: 'kafka.strimzi.io/v1',
        kind: 'KafkaUser',
        spec: {
          authentication: {
            type: 'scram-sha-512',
            password: { valueFrom: { secretKeyRef: { name: 'u', key: 'p', optional: true } } },
          },
        },
      }),
    ).toEqual([]);
    expect(
      operatorSecretReferences({
        apiVersion: 'mongodbcommunity.mongodb.com/v1',
        kind: 'MongoDBCommunity',
        spec: {
          security: { tls: { enabled: false, certificateKeySecretRef: { name: 'tls' } } },
          users: [
            { name: 'a', passwordSecretRef: { name: 'pw-a' } },
            { name: 'b', passwordSecretRef: { name: 'pw-b' } },
          ],
        },
      }),
    ).toEqual([
      { kind: 'Secret', name: 'pw-a', path: ['spec', 'users', 0, 'passwordSecretRef', 'name'] },
      { kind: 'Secret', name: 'pw-b', path: ['spec', 'users', 1, 'passwordSecretRef', 'name'] },
    ]);
    expect(operatorSecretReferences(acmeIssuer('Issuer', 'cf'))).toEqual([
      {
        kind: 'Secret',
        name: 'cf',
        path: ['spec', 'acme', 'solvers', 1, 'dns01', 'cloudflare', 'apiTokenSecretRef', 'name'],
      },
    ]);
  });

  it('a ClusterIssuer’s Secrets are looked up where cert-manager reads them, and skipped when that is unknown', () => {
    expect(operatorSecretReferences(acmeIssuer('ClusterIssuer', 'cf'))).toEqual([]);
    expect(operatorSecretReferences(acmeIssuer('ClusterIssuer', 'cf'), 'certs')).toEqual([
      expect.objectContaining({ name: 'cf', namespace: 'certs' }),
    ]);
  });

  it.each([
    ['the token sealed in the chart’s namespace', 'cloudflare-api-token', {}, []],
    ['a typo in the token’s name', 'cloudflare-api-tokn', {}, ['Secret cert-manager/cloudflare-api-tokn']],
    [
      'the token in the namespace clusterResourceNamespace names instead',
      'cloudflare-api-token',
      { clusterResourceNamespace: 'certs' },
      ['Secret certs/cloudflare-api-token'],
    ],
  ])('%s', (_n, tokenSecret, values, reported) => {
    const out = findings(
      referencesExist,
      [
        certManagerChart('cert-manager'),
        sealed('cloudflare-api-token', 'cert-manager'),
        acmeIssuer('ClusterIssuer', tokenSecret),
      ],
      'prod',
      [{ chart: 'cert-manager', values }],
    );
    expect(out.map((f) => /Secret \S+/.exec(f.message)![0])).toEqual(reported);
  });

  it('a data operator’s missing Secret outside any chart’s namespace is an error at its field', () => {
    const out = findings(referencesExist, [
      sealed('kafka-user-app', 'data'),
      {
        apiVersion: 'kafka.strimzi.io/v1',
        kind: 'KafkaUser',
        metadata: { name: 'app', namespace: 'data' },
        spec: {
          authentication: {
            type: 'scram-sha-512',
            password: { valueFrom: { secretKeyRef: { name: 'kafka-user-ap', key: 'password' } } },
          },
        },
      },
    ]);
    expect(out).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: 'KafkaUser data/app: Secret data/kafka-user-ap does not exist in this environment',
      }),
    ]);
  });
});
