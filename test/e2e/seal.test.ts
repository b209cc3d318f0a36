import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureRepo } from '../helpers/fixture-repo.ts';
import { main } from '../../scripts/lib/commands/seal.ts';
import { runInProcess } from '../helpers/run-main.ts';
import { runScript } from '../helpers/run-script.ts';

/** One case starts zx as users do; the rest run through the same CLI handling in-process. */
const sealCli = (args: string[], opts: { cwd: string }) => runInProcess(main, args, opts);
import { hybridDecrypt, makeSealingKey } from '../helpers/sealing-key.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const SECRET_FILE = 'workloads/web/overlays/prod/sealedsecret-web.yaml';
const SECRET = `# Sealed for the prod cluster.
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: web-credentials
  namespace: web
spec:
  encryptedData:
    DATABASE_URL: AgPlaceholderSealedForAnotherCluster
  template:
    metadata:
      name: web-credentials
      namespace: web
    type: Opaque
`;
const key = makeSealingKey();

function repo(withCert = true) {
  const fx = fixtureRepo('validate/clean', {
    [SECRET_FILE]: SECRET,
    ...(withCert ? { 'clusters/prod/sealed-secrets.pem': key.certPem } : {}),
  });
  cleanups.push(fx.cleanup);
  return fx.dir;
}
const encrypted = (dir: string) =>
  (yaml.load(readFileSync(path.join(dir, SECRET_FILE), 'utf8')) as any).spec.encryptedData as Record<
    string,
    string
  >;
const open = (v: string) =>
  hybridDecrypt(key.keyPem, Buffer.from(v, 'base64'), 'web/web-credentials').toString();

describe('zx scripts/seal.mjs (end to end)', () => {
  it('seals literals and env-file values with the overlay cluster’s certificate, never printing them', async () => {
    const dir = repo();
    writeFileSync(
      path.join(dir, 'web.env'),
      '# values for prod\nREDIS_URL=redis://:p4ss=word@redis:6379/0\n\n',
    );
    const r = await runScript(
      'seal',
      [
        '--file',
        SECRET_FILE,
        '--from-literal',
        'DATABASE_URL=postgresql://web:hunter2@db/web',
        '--from-env-file',
        'web.env',
      ],
      { cwd: dir },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('REDIS_URL (new), DATABASE_URL of web/web-credentials for prod');
    expect(r.stdout + r.stderr).not.toMatch(/hunter2|p4ss/);
    const data = encrypted(dir);
    expect(open(data.DATABASE_URL!)).toBe('postgresql://web:hunter2@db/web');
    expect(open(data.REDIS_URL!)).toBe('redis://:p4ss=word@redis:6379/0');
    // Everything but the sealed values is byte for byte what it was.
    const text = readFileSync(path.join(dir, SECRET_FILE), 'utf8');
    expect(text.replace(/^ {4}(DATABASE_URL|REDIS_URL): .*\n/gm, '')).toBe(
      SECRET.replace(/^ {4}DATABASE_URL: .*\n/m, ''),
    );
  });

  it('--dry-run seals and reports but writes nothing', async () => {
    const dir = repo();
    const r = await sealCli(['--file', SECRET_FILE, '--from-literal', 'DATABASE_URL=x', '--dry-run'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Dry run: would seal DATABASE_URL .*nothing written/);
    expect(readFileSync(path.join(dir, SECRET_FILE), 'utf8')).toBe(SECRET);
  });

  it('without the cluster certificate: exit 2, names where it belongs and how to fetch it, writes nothing', async () => {
    const dir = repo(false);
    const r = await sealCli(['--file', SECRET_FILE, '--from-literal', 'DATABASE_URL=x'], {
      cwd: dir,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('clusters/prod/sealed-secrets.pem');
    expect(r.stderr).toContain('kubeseal --fetch-cert');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(path.join(dir, SECRET_FILE), 'utf8')).toBe(SECRET);
  });

  it('a bad env-file line: exit 2 naming file and line, without echoing it', async () => {
    const dir = repo();
    writeFileSync(path.join(dir, 'bad.env'), 'OK=1\nthis line holds sup3rsecret\n');
    const r = await sealCli(['--file', SECRET_FILE, '--from-env-file', 'bad.env'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.env:2');
    expect(r.stderr).not.toContain('sup3rsecret');
    expect(readFileSync(path.join(dir, SECRET_FILE), 'utf8')).toBe(SECRET);
  });

  it('refuses a file that is not a SealedSecret, naming it', async () => {
    const dir = repo();
    const r = await sealCli(
      [
        '--file',
        'workloads/web/base/deployment.yaml',
        '--from-literal',
        'A=b',
        '--cert',
        'clusters/prod/sealed-secrets.pem',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /workloads\/web\/base\/deployment.yaml:1: not a bitnami.com\/v1alpha1 SealedSecret/,
    );
  });

  it('--cert pointing at a private key: says so, and never suggests writing over it', async () => {
    const dir = repo();
    writeFileSync(path.join(dir, 'seal.key'), key.keyPem);
    const r = await sealCli(['--file', SECRET_FILE, '--from-literal', 'A=b', '--cert', 'seal.key'], {
      cwd: dir,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: seal\.key: this is a private key, not a certificate/);
    expect(r.stderr).not.toMatch(/> *seal\.key/);
    expect(readFileSync(path.join(dir, 'seal.key'), 'utf8')).toBe(key.keyPem);
  });

  it('--new creates a SealedSecret file that seals, validates and opens with the right label', async () => {
    const dir = repo();
    const file = 'workloads/web/overlays/prod/sealedsecret-api-token.yaml';
    const r = await sealCli(
      ['--new', file, '--name', 'api-token', '--namespace', 'web', '--from-literal', 'TOKEN=s3cret-value'],
      { cwd: dir },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `Sealed TOKEN (new) of web/api-token for prod with clusters/prod/sealed-secrets.pem into ${file} (new file)\n`,
    );
    const o = yaml.load(readFileSync(path.join(dir, file), 'utf8')) as any;
    expect(o).toMatchObject({
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: { name: 'api-token', namespace: 'web' },
      spec: { template: { metadata: { name: 'api-token', namespace: 'web' }, type: 'Opaque' } },
    });
    expect(
      hybridDecrypt(
        key.keyPem,
        Buffer.from(o.spec.encryptedData.TOKEN, 'base64'),
        'web/api-token',
      ).toString(),
    ).toBe('s3cret-value');
    // A second --new onto the same path is refused, naming it.
    const again = await sealCli(
      ['--new', file, '--name', 'api-token', '--namespace', 'web', '--from-literal', 'A=b'],
      {
        cwd: dir,
      },
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/sealedsecret-api-token\.yaml: already exists/);
  });

  it('--new with a wider scope annotates the object and its template, and seals to the scope’s label', async () => {
    const dir = repo();
    const file = 'workloads/web/overlays/prod/sealedsecret-shared.yaml';
    const r = await sealCli(
      [
        '--new',
        file,
        '--name',
        'shared',
        '--namespace',
        'web',
        '--scope',
        'namespace-wide',
        '--from-literal',
        'K=v',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const o = yaml.load(readFileSync(path.join(dir, file), 'utf8')) as any;
    expect(o.metadata.annotations).toEqual({ 'sealedsecrets.bitnami.com/namespace-wide': 'true' });
    expect(o.spec.template.metadata.annotations).toEqual({
      'sealedsecrets.bitnami.com/namespace-wide': 'true',
    });
    expect(hybridDecrypt(key.keyPem, Buffer.from(o.spec.encryptedData.K, 'base64'), 'web').toString()).toBe(
      'v',
    );
  });
});
