import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandIO } from '../cli/io.ts';
import { oneOf, parseFlags } from '../cli/flags.ts';
import { writeFileAtomic } from '../cli/write-file-atomic.ts';
import { InputError, UsageError } from '../errors.ts';
import { overlayEnvironment } from '../repo/overlay-environment.ts';
import { findRepoRoot } from '../repo/repo-root.ts';
import { environmentNamed, loadSettings } from '../repo/settings.ts';
import { hybridEncrypt } from '../secrets/hybrid-encrypt.ts';
import {
  newSealedSecretText,
  readSealedSecret,
  writeEncryptedData,
  type NewSealedSecret,
} from '../secrets/sealed-secret-file.ts';
import { encryptionLabel, type SealScope } from '../secrets/seal-scope.ts';
import { loadSealingKey } from '../secrets/sealing-certificate.ts';
import { parseEnvFile, parseLiteral } from '../secrets/secret-values.ts';

export const SEAL_USAGE = `Usage: zx scripts/seal.mjs --file SEALEDSECRET.yaml (--from-literal KEY=VALUE | --from-env-file FILE)...
                           [--cert PEM] [--dry-run]
       zx scripts/seal.mjs --new FILE --name NAME --namespace NS [--scope strict|namespace-wide|cluster-wide]
                           [--type TYPE] (--from-literal KEY=VALUE | --from-env-file FILE)... [--cert PEM]

Seals values for one cluster with its Sealed Secrets certificate and writes them into the
SealedSecret's spec.encryptedData in place (other keys, comments and formatting kept), exactly as
kubeseal would seal them (scope from the SealedSecret: strict unless annotated namespace-wide or
cluster-wide). Values are never printed. No cluster access is needed.

  --file F            the SealedSecret file, inside an overlays/<env>/ folder
  --new F             create F (it must not exist yet) as a SealedSecret with these values:
  --name N            the Secret's name (with --new)
  --namespace NS      the Secret's namespace (with --new)
  --scope S           strict (default), namespace-wide or cluster-wide (with --new)
  --type T            the Secret's type (with --new; default Opaque)
  --from-literal K=V  a key and its value (repeatable)
  --from-env-file F   KEY=VALUE lines; # comments and blank lines are skipped (repeatable)
  --cert PEM          the cluster's certificate (default: clusters/<env>/sealed-secrets.pem, where
                      <env> is the overlay the file is in); fetch it once per cluster with
                      kubeseal --fetch-cert --controller-namespace sealed-secrets --controller-name sealed-secrets
  --dry-run           seal and report, write nothing
  --format F          text (default) or json: what was sealed (keys, never values)
  --help

Exit: 0 sealed, 2 could not run.`;

export interface SealOptions {
  cwd: string;
  file: string;
  /** Create `file` as a new SealedSecret for this Secret instead of updating it. */
  create?: NewSealedSecret;
  values: [string, string][];
  cert?: string;
  dryRun?: boolean;
}

export interface SealResult {
  file: string;
  secret: string;
  env?: string;
  cert: string;
  keys: { key: string; added: boolean }[];
  written: boolean;
}

const SCOPES: readonly SealScope[] = ['strict', 'namespace-wide', 'cluster-wide'];
const DNS_LABEL = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** Library entry: seal the values into the file (unless dryRun); prints nothing. */
export async function seal(options: SealOptions): Promise<SealResult> {
  if (options.values.length === 0)
    throw new UsageError('nothing to seal', 'give --from-literal KEY=VALUE or --from-env-file FILE');
  const root = findRepoRoot(options.cwd);
  const abs = path.resolve(options.cwd, options.file);
  const rel = path.relative(root, abs).split(path.sep).join('/');
  let text: string;
  if (options.create) {
    if (existsSync(abs))
      throw new InputError(
        'already exists',
        rel,
        undefined,
        'update it with --file, or choose a new path for --new',
      );
    if (!existsSync(path.dirname(abs)))
      throw new InputError(
        'folder does not exist',
        path.posix.dirname(rel),
        undefined,
        'create the overlay folder first',
      );
    text = newSealedSecretText(
      options.create,
      options.values.map(([k]) => k),
    );
  } else {
    if (!existsSync(abs))
      throw new InputError(
        'no such file',
        rel,
        undefined,
        'give the SealedSecret file to update with --file, or create one with --new',
      );
    text = readFileSync(abs, 'utf8');
  }
  const target = readSealedSecret(text, rel);

  const env = overlayEnvironment(rel);
  let certFile: string;
  if (options.cert) {
    certFile = path.resolve(options.cwd, options.cert);
  } else {
    if (!env)
      throw new UsageError(
        `${rel} is not in an overlays/<env>/ folder, so the cluster is unknown`,
        'give the cluster certificate with --cert PEM',
      );
    environmentNamed(await loadSettings(root), env);
    certFile = path.join(root, 'clusters', env, 'sealed-secrets.pem');
  }
  const certShown = path.relative(root, certFile).split(path.sep).join('/');
  const key = loadSealingKey(certFile, certShown);

  const label = encryptionLabel(target.scope, target.namespace, target.name);
  const sealed = new Map<string, string>();
  for (const [k, v] of options.values)
    sealed.set(k, hybridEncrypt(key, Buffer.from(v, 'utf8'), label).toString('base64'));
  const updated = writeEncryptedData(text, sealed);
  // Read back what would be written: a file that no longer parses as this SealedSecret is never written.
  readSealedSecret(updated, rel);
  if (!options.dryRun) writeFileAtomic(abs, updated);
  return {
    file: rel,
    secret: target.scope === 'cluster-wide' ? target.name : `${target.namespace}/${target.name}`,
    ...(env ? { env } : {}),
    cert: certShown,
    keys: [...sealed.keys()].map((k) => ({
      key: k,
      added: Boolean(options.create) || !target.keys.includes(k),
    })),
    written: !options.dryRun,
  };
}

/** CLI: parse flags, seal, print what was sealed (never the values), return the exit code. */
export async function main(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      file: { type: 'string' },
      new: { type: 'string' },
      name: { type: 'string' },
      namespace: { type: 'string' },
      scope: { type: 'string' },
      type: { type: 'string' },
      'from-literal': { type: 'string', multiple: true },
      'from-env-file': { type: 'string', multiple: true },
      cert: { type: 'string' },
      'dry-run': { type: 'boolean' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    SEAL_USAGE,
  );
  if (values.help) {
    io.stdout(`${SEAL_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument "${positionals[0]}"`, 'values go in --from-literal KEY=VALUE');
  const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
  if (values.file && values.new) throw new UsageError('--file and --new cannot be combined');
  const file = values.file ?? values.new;
  if (!file)
    throw new UsageError(
      '--file or --new is required',
      'name the SealedSecret file to update, or to create with --new',
    );
  let create: NewSealedSecret | undefined;
  if (values.new) {
    const scope = oneOf('scope', values.scope, SCOPES, 'strict');
    if (!values.name)
      throw new UsageError('--new needs --name', 'the name of the Secret the controller creates');
    if (!values.namespace && scope !== 'cluster-wide')
      throw new UsageError('--new needs --namespace', 'the namespace of the Secret the controller creates');
    for (const [flag, value] of [
      ['name', values.name],
      ['namespace', values.namespace],
    ] as const)
      if (value !== undefined && !DNS_LABEL.test(value))
        throw new UsageError(
          `--${flag} "${value}" is not a valid Kubernetes name (lower case letters, digits, -)`,
        );
    create = {
      name: values.name,
      namespace: values.namespace ?? '',
      scope,
      ...(values.type ? { type: values.type } : {}),
    };
  } else if (values.name || values.namespace || values.scope || values.type) {
    throw new UsageError(
      '--name, --namespace, --scope and --type go with --new',
      'an existing file keeps its own',
    );
  }
  const pairs: [string, string][] = [
    ...(values['from-env-file'] ?? []).flatMap((f) => parseEnvFile(path.resolve(io.cwd, f), f)),
    ...(values['from-literal'] ?? []).map(parseLiteral),
  ];
  const result = await seal({
    cwd: io.cwd,
    file,
    ...(create ? { create } : {}),
    values: pairs,
    ...(values.cert ? { cert: values.cert } : {}),
    dryRun: values['dry-run'] === true,
  });
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ ...result, created: Boolean(create) }, null, 2)}\n`);
    return 0;
  }
  const keys = result.keys.map((k) => `${k.key}${k.added ? ' (new)' : ''}`).join(', ');
  const where = result.env ? ` for ${result.env}` : '';
  io.stdout(
    `${result.written ? 'Sealed' : 'Dry run: would seal'} ${keys} of ${result.secret}${where} with ${result.cert}` +
      `${result.written ? ` into ${result.file}${create ? ' (new file)' : ''}` : '; nothing written'}\n`,
  );
  return 0;
}
