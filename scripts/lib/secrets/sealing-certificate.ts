import { X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '../errors.ts';

const fetchHint = (file: string) =>
  `fetch it from the cluster once: kubeseal --fetch-cert --controller-namespace sealed-secrets --controller-name sealed-secrets > ${file}`;

/** The RSA public key of a Sealed Secrets controller, from the PEM certificate `kubeseal --fetch-cert` prints. */
export function loadSealingKey(file: string, shownAs: string): KeyObject {
  if (!existsSync(file))
    throw new InputError('no sealing certificate here', shownAs, undefined, fetchHint(shownAs));
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(readFileSync(file));
  } catch {
    throw new InputError('not a PEM certificate', shownAs, undefined, fetchHint(shownAs));
  }
  const key = cert.publicKey;
  if (key.asymmetricKeyType !== 'rsa')
    throw new InputError(
      `certificate key is ${key.asymmetricKeyType}, not RSA`,
      shownAs,
      undefined,
      fetchHint(shownAs),
    );
  if (new Date(cert.validTo).getTime() < Date.now())
    throw new InputError(`certificate expired on ${cert.validTo}`, shownAs, undefined, fetchHint(shownAs));
  return key;
}
