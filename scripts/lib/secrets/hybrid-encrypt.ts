import { createCipheriv, publicEncrypt, randomBytes, constants, type KeyObject } from 'node:crypto';

/** Size of the one-time AES-256 key kubeseal generates per value. */
const SESSION_KEY_BYTES = 32;

/**
 * Encrypts one value exactly as kubeseal's HybridEncrypt does, so the Sealed Secrets controller
 * opens it: a random AES-256 key encrypts the value (GCM, zero nonce — the key is used once), the
 * cluster's RSA key encrypts that key (OAEP, SHA-256, with the scope label), and the output is
 * `uint16 length of the RSA part || RSA part || AES-GCM ciphertext and tag`.
 */
export function hybridEncrypt(publicKey: KeyObject, plaintext: Buffer, label: string): Buffer {
  const sessionKey = randomBytes(SESSION_KEY_BYTES);
  const wrapped = publicEncrypt(
    {
      key: publicKey,
      padding: constants.RSA_PKCS1_OAEP_PADDING,
      oaepHash: 'sha256',
      oaepLabel: Buffer.from(label),
    },
    sessionKey,
  );
  const cipher = createCipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(wrapped.length);
  return Buffer.concat([length, wrapped, sealed]);
}
