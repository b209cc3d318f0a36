import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validate } from '../../../scripts/lib/commands/validate.ts';
import { FIXTURES } from '../../helpers/fixture-repo.ts';

const DIR = path.join(FIXTURES, 'mesh-parity', 'samples');

/** The mesh rules' findings on one sample (the Services of these samples have no workloads beside them). */
async function meshFindings(file: string) {
  const { findings } = await validate({ cwd: DIR, files: [file] });
  return findings
    .filter((f) => f.rule.startsWith('mesh/'))
    .map((f) => ({ rule: f.rule, line: f.line, severity: f.severity, istioCode: f.istioCode }));
}

describe('upstream examples istiod accepts get no mesh finding', () => {
  it.each([
    ['mirror-with-port.yaml', 'a mirror destination that names its port on a two-port Service'],
    ['gateway-credential-names.yaml', 'tls.credentialNames on an HTTPS server'],
    ['well-known-ports.yaml', 'unnamed 3306, and UDP and TCP 53 (istiod infers their protocol)'],
    ['tcp-gateway-any-host.yaml', 'hosts "*" on a plain TCP gateway server'],
  ])('%s: %s', async (file) => {
    expect(await meshFindings(file)).toEqual([]);
  });
});

describe('what istiod rejects is an error at its line', () => {
  it('retryOn with a policy Envoy does not know', async () => {
    expect(await meshFindings('retry-on-typo.yaml')).toEqual([
      { rule: 'mesh/istiod-validation', line: 17, severity: 'error', istioCode: 'IST0106' },
    ]);
  });

  it('host ratings.default is not the Service ratings in default', async () => {
    expect(await meshFindings('host-not-qualified.yaml')).toEqual([
      { rule: 'mesh/destination-exists', line: 13, severity: 'error', istioCode: 'IST0101' },
    ]);
  });
});

describe('a message istioctl prints once is reported once', () => {
  it('the same unknown host on two lines is two messages, on one line one', async () => {
    const { findings } = await validate({
      cwd: path.join(FIXTURES, 'mesh-parity', 'messages'),
      files: ['repeated-host.yaml'],
    });
    const hits = findings.filter((f) => f.rule === 'mesh/destination-exists');
    expect(hits.map((f) => `${f.resource?.name}:${f.line}`)).toEqual(['twice:16', 'twice:19', 'once:31']);
  });
});
