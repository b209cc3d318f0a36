import { X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '../errors.ts';

const FETCH = 'kubeseal --fetch-cert --controller-namespace sealed-secrets --controller-name sealed-secrets';

/**
 * How to get the certificate. Redirecting into the path given is only suggested when nothing is
 * there: a file that is not a certificate may be the controller's private key, never to be
 * overwritten (nor given to this tool).
 */
function fetchHint(file: string, exists: boolean): string {
  return exists
    ? `give the controller's public certificate (${FETCH} > <new file>), never its private key`
    : `fetch it from the cluster once: ${FETCH} > ${file}`;
}

/** The RSA public key of a Sealed Secrets controller, from the PEM certificate `kubeseal --fetch-cert` prints. */
export function loadSealingKey(file: string, shownAs: string): KeyObject {
  if (!existsSync(file))
    throw new InputError('no sealing certificate here', shownAs, undefined, fetchHint(shownAs, false));
  let cert: X509Certificate;
  const pem = readFileSync(file);
  try {
    cert = new X509Certificate(pem);
  } catch {
    const privateKey = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem.toString('utf8'));
    throw new InputError(
      privateKey ? 'this is a private key, not a certificate' : 'not a PEM certificate',
      shownAs,
      undefined,
      fetchHint(shownAs, true),
    );
  }
  const key = cert.publicKey;
  if (key.asymmetricKeyType !== 'rsa')
    throw new InputError(
      `certificate key is ${key.asymmetricKeyType}, not RSA`,
      shownAs,
      undefined,
      fetchHint(shownAs, true),
    );
  if (new Date(cert.validTo).getTime() < Date.now())
    throw new InputError(
      `certificate expired on ${cert.validTo}`,
      shownAs,
      undefined,
      fetchHint(shownAs, true),
    );
  return key;
}
