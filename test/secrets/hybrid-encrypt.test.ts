import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hybridEncrypt } from '../../scripts/lib/secrets/hybrid-encrypt.ts';
import { encryptionLabel, sealScope } from '../../scripts/lib/secrets/seal-scope.ts';
import { FIXTURES } from '../helpers/fixture-repo.ts';
import { hybridDecrypt } from '../helpers/sealing-key.ts';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

describe('hybridEncrypt (kubeseal format)', () => {
  it('opens with the private key and the same label, to the same bytes', () => {
    const value = Buffer.from('postgresql://payments:s3cr=t@postgres-rw.data:5432/payments');
    const sealed = hybridEncrypt(publicKey, value, 'payments/app-credentials');
    expect(sealed.readUInt16BE(0)).toBe(256); // RSA-2048 ciphertext length prefix
    expect(hybridDecrypt(privateKey, sealed, 'payments/app-credentials')).toEqual(value);
  });

  it('does not open under another label: a ciphertext cannot be moved to another Secret', () => {
    const sealed = hybridEncrypt(publicKey, Buffer.from('x'), 'payments/app-credentials');
    expect(() => hybridDecrypt(privateKey, sealed, 'payments/other')).toThrow();
  });

  it('seals the same value differently each time (a fresh session key per value)', () => {
    const a = hybridEncrypt(publicKey, Buffer.from('same'), 'ns/n');
    const b = hybridEncrypt(publicKey, Buffer.from('same'), 'ns/n');
    expect(a.equals(b)).toBe(false);
  });

  it('a 4096-bit controller key gives the "Ag" prefix real SealedSecrets start with', () => {
    // A throw-away public key made once with openssl (only its length matters): a 4096-bit key pair
    // takes seconds to generate.
    const big = createPublicKey(readFileSync(path.join(FIXTURES, 'keys/rsa-4096-public.pem')));
    expect(big.asymmetricKeyDetails?.modulusLength).toBe(4096);
    expect(hybridEncrypt(big, Buffer.from('v'), 'a/b').toString('base64').slice(0, 2)).toBe('Ag');
  });
});

describe('seal scope and label', () => {
  it.each([
    [undefined, 'strict', 'payments/app-credentials'],
    [{ 'sealedsecrets.bitnami.com/namespace-wide': 'true' }, 'namespace-wide', 'payments'],
    [{ 'sealedsecrets.bitnami.com/cluster-wide': 'true' }, 'cluster-wide', ''],
    [{ 'sealedsecrets.bitnami.com/namespace-wide': 'false' }, 'strict', 'payments/app-credentials'],
  ])('%j → %s', (annotations, scope, label) => {
    const s = sealScope(annotations as Record<string, string> | undefined);
    expect(s).toBe(scope);
    expect(encryptionLabel(s, 'payments', 'app-credentials')).toBe(label);
  });
});
