import { describe, expect, it } from 'vitest';
import { InputError } from '../../scripts/lib/errors.ts';
import { readSealedSecret, writeEncryptedData } from '../../scripts/lib/secrets/sealed-secret-file.ts';

const FILE = `# Sealed with the prod cluster's key.
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: app-credentials
  namespace: payments
spec:
  encryptedData:
    DATABASE_URL: AgOld1
    REDIS_URL: AgOld2 # kept
  template:
    metadata:
      name: app-credentials
      namespace: payments
    type: Opaque
`;

describe('readSealedSecret', () => {
  it('reads name, namespace, scope and keys', () => {
    expect(readSealedSecret(FILE, 'f.yaml')).toEqual({
      name: 'app-credentials',
      namespace: 'payments',
      scope: 'strict',
      keys: ['DATABASE_URL', 'REDIS_URL'],
    });
  });

  it.each([
    [
      'a Secret',
      FILE.replace('bitnami.com/v1alpha1', 'v1').replace('SealedSecret', 'Secret'),
      /not a bitnami/,
      1,
    ],
    ['no namespace', FILE.replace('  namespace: payments\nspec', 'spec'), /metadata.namespace is missing/, 1],
    ['two documents', `${FILE}---\n${FILE}`, /exactly one/, 1],
    ['broken YAML', FILE.replace('    REDIS_URL: AgOld2', '    REDIS_URL: [AgOld2'), /YAML/, undefined],
  ])('refuses %s with the file and line', (_n, text, message, line) => {
    let err: unknown;
    try {
      readSealedSecret(text, 'platform/x/overlays/prod/s.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(message);
    expect((err as InputError).file).toBe('platform/x/overlays/prod/s.yaml');
    if (line) expect((err as InputError).line).toBe(line);
  });
});

describe('writeEncryptedData', () => {
  it('replaces a value in place and appends a new key; every other byte stays', () => {
    const out = writeEncryptedData(
      FILE,
      new Map([
        ['DATABASE_URL', 'AgNew1'],
        ['PAYMENT_PROVIDER_API_KEY', 'AgNew3'],
      ]),
    );
    expect(out).toBe(
      FILE.replace('DATABASE_URL: AgOld1', 'DATABASE_URL: AgNew1').replace(
        'REDIS_URL: AgOld2 # kept',
        'REDIS_URL: AgOld2 # kept\n    PAYMENT_PROVIDER_API_KEY: AgNew3',
      ),
    );
    expect(readSealedSecret(out, 'f.yaml').keys).toEqual([
      'DATABASE_URL',
      'REDIS_URL',
      'PAYMENT_PROVIDER_API_KEY',
    ]);
  });
});
