import { execFileSync } from 'node:child_process';
import { constants, createDecipheriv, privateDecrypt, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A throw-away Sealed Secrets key pair for tests: a self-signed RSA certificate as
 * `kubeseal --fetch-cert` prints it, and the private key the controller would hold. openssl makes
 * the certificate because Node has no API to create one.
 */
export function makeSealingKey(bits = 2048): { certPem: string; keyPem: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'sealing-key-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        `rsa:${bits}`,
        '-nodes',
        '-days',
        '30',
        '-subj',
        '/O=sealed-secret/CN=test',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return {
      certPem: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
      keyPem: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The controller's side (kubeseal's HybridDecrypt), to prove what the tool seals opens. */
export function hybridDecrypt(privateKey: KeyObject | string, ciphertext: Buffer, label: string): Buffer {
  const rsaLength = ciphertext.readUInt16BE(0);
  const sessionKey = privateDecrypt(
    {
      key: privateKey,
      padding: constants.RSA_PKCS1_OAEP_PADDING,
      oaepHash: 'sha256',
      oaepLabel: Buffer.from(label),
    },
    ciphertext.subarray(2, 2 + rsaLength),
  );
  const sealed = ciphertext.subarray(2 + rsaLength);
  const decipher = createDecipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
}
