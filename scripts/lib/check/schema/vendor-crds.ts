import { existsSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import type { CommandIO } from '../../cli/io.ts';
import { parseFlags } from '../../cli/flags.ts';
import { writeFileAtomic } from '../../cli/write-file-atomic.ts';
import { InputError, UsageError } from '../../errors.ts';
import { customResourceSchema, type ConversionNotes } from './crd-json-schema.ts';
import {
  MANIFEST_FILE,
  readVendorManifest,
  VENDOR_DIR,
  type VendoredSchema,
  type VendorManifest,
} from './vendored-schemas.ts';

export interface VendorOptions {
  /** CRD files, or directories searched for `.yaml`/`.yml`/`.json` files. */
  inputs: string[];
  vendorDir?: string;
  /** Regenerate only this source (a `name` in the manifest); by default every source a CRD belongs to. */
  source?: string;
  /** The new version (and tree URL) of `source`, recorded in the manifest. */
  version?: string;
  url?: string;
}

export interface VendorResult {
  written: { key: string; file: string; source: string }[];
  /** CRDs in the inputs whose group no source claims. */
  ignored: { file: string; crd: string }[];
  /** Files of regenerated sources that no schema uses any more. */
  removed: string[];
}

interface Crd {
  file: string;
  name: string;
  group: string;
  kind: string;
  versions: { name: string; served?: boolean; schema?: { openAPIV3Schema?: Record<string, unknown> } }[];
}

/**
 * Regenerates vendored JSON Schemas from CRD files on disk (never from the network): every served
 * version of every CRD whose group a source in the manifest claims. Everything is read and
 * converted before anything is written, so bad input leaves the vendor directory as it was.
 */
export function vendorCrds(opts: VendorOptions): VendorResult {
  const dir = opts.vendorDir ?? VENDOR_DIR;
  const manifest = readVendorManifest(dir);
  if (opts.source && !manifest.sources.some((s) => s.name === opts.source))
    throw new UsageError(
      `--source ${opts.source} is not a source in ${MANIFEST_FILE} (known: ${manifest.sources.map((s) => s.name).join(', ')})`,
    );
  if ((opts.version || opts.url) && !opts.source)
    throw new UsageError('--version and --url need --source (whose version they record)');
  const sourceOf = new Map<string, string>();
  for (const s of manifest.sources) for (const g of s.groups) sourceOf.set(g, s.name);

  const crds = opts.inputs.flatMap((input) => readCrds(input));
  const ignored: VendorResult['ignored'] = [];
  const outputs = new Map<string, string>();
  const schemas: Record<string, VendoredSchema> = {};
  const touched = new Set<string>();
  for (const crd of crds) {
    const source = sourceOf.get(crd.group);
    if (!source || (opts.source && source !== opts.source)) {
      if (!source) ignored.push({ file: crd.file, crd: crd.name });
      continue;
    }
    touched.add(source);
    const byContent = new Map<string, string>();
    for (const v of crd.versions) {
      const schema = v.schema?.openAPIV3Schema;
      if (v.served === false || !schema) continue;
      const notes: ConversionNotes = { droppedPatterns: [] };
      const text = `${JSON.stringify(customResourceSchema(schema, notes))}\n`;
      // Versions with the same schema (common across deprecated versions) share one file.
      const file = byContent.get(text) ?? `${crd.group}_${crd.kind}_${v.name}.json`;
      byContent.set(text, file);
      outputs.set(file, text);
      schemas[`${crd.group}/${v.name}/${crd.kind}`] = {
        file,
        source,
        crd: path.basename(crd.file),
        ...(notes.droppedPatterns.length ? { droppedPatterns: notes.droppedPatterns.length } : {}),
      };
    }
  }
  if (opts.source && !touched.has(opts.source)) {
    const groups = manifest.sources.find((s) => s.name === opts.source)!.groups.join(', ');
    throw new InputError(
      `no CustomResourceDefinition of ${opts.source} (groups ${groups}) in the inputs`,
      opts.inputs.join(', '),
    );
  }
  if (touched.size === 0)
    throw new InputError(
      'no CustomResourceDefinition of a vendored source in the inputs',
      opts.inputs.join(', '),
      undefined,
      `sources and their API groups are listed in ${path.join(dir, MANIFEST_FILE)}`,
    );

  const next: VendorManifest = {
    ...manifest,
    sources: manifest.sources.map((s) =>
      s.name === opts.source
        ? { ...s, ...(opts.version ? { version: opts.version } : {}), ...(opts.url ? { url: opts.url } : {}) }
        : s,
    ),
    schemas: Object.fromEntries(
      Object.entries({
        ...Object.fromEntries(Object.entries(manifest.schemas).filter(([, s]) => !touched.has(s.source))),
        ...schemas,
      }).sort(([a], [b]) => a.localeCompare(b)),
    ),
  };
  const stillUsed = new Set(Object.values(next.schemas).map((s) => s.file));
  const removed = [
    ...new Set(
      Object.values(manifest.schemas)
        .filter((s) => touched.has(s.source))
        .map((s) => s.file),
    ),
  ].filter((f) => !stillUsed.has(f));

  for (const [file, text] of outputs) writeFileAtomic(path.join(dir, file), text);
  writeFileAtomic(path.join(dir, MANIFEST_FILE), `${JSON.stringify(next, null, 2)}\n`);
  for (const f of removed) if (existsSync(path.join(dir, f))) unlinkSync(path.join(dir, f));
  return {
    written: Object.entries(schemas).map(([key, s]) => ({ key, file: s.file, source: s.source })),
    ignored,
    removed,
  };
}

function readCrds(input: string): Crd[] {
  if (!existsSync(input)) throw new InputError('no such file or directory', input);
  if (statSync(input).isDirectory())
    return readdirSync(input)
      .sort()
      .flatMap((e) => {
        const full = path.join(input, e);
        return statSync(full).isDirectory() || /\.(ya?ml|json)$/.test(e) ? readCrds(full) : [];
      });
  let docs: unknown[];
  try {
    docs = yaml.loadAll(readFileSync(input, 'utf8'));
  } catch (err) {
    const mark = (err as { mark?: { line?: number } }).mark;
    throw new InputError(
      `not valid YAML: ${(err as Error).message.split('\n')[0]}`,
      input,
      mark?.line !== undefined ? mark.line + 1 : undefined,
    );
  }
  const out: Crd[] = [];
  for (const d of docs) {
    const o = d as {
      apiVersion?: string;
      kind?: string;
      metadata?: { name?: string };
      spec?: { group?: string; names?: { kind?: string }; versions?: Crd['versions'] };
    } | null;
    if (o?.kind !== 'CustomResourceDefinition' || o.apiVersion !== 'apiextensions.k8s.io/v1') continue;
    if (!o.spec?.group || !o.spec.names?.kind) continue;
    out.push({
      file: input,
      name: o.metadata?.name ?? `${o.spec.names.kind}.${o.spec.group}`,
      group: o.spec.group,
      kind: o.spec.names.kind,
      versions: o.spec.versions ?? [],
    });
  }
  return out;
}

const USAGE = `Usage: zx scripts/schemas/vendor-crds.mjs --from <dir-or-file> [--from …] [--source <name> [--version <v>] [--url <tree-url>]]

Regenerates the vendored JSON Schemas of operators' custom resources (${path.relative(process.cwd(), VENDOR_DIR) || VENDOR_DIR})
from CRD files you fetched at the operator's tag. Nothing is downloaded.

  --from     a CRD file, or a directory searched for .yaml/.yml/.json files (repeatable)
  --source   regenerate only this source (a name in vendor/manifest.json)
  --version  record this version for --source (after an upgrade)
  --url      record the tree the CRDs came from for --source`;

export async function main(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseFlags(
    args,
    {
      from: { type: 'string', multiple: true },
      source: { type: 'string' },
      version: { type: 'string' },
      url: { type: 'string' },
      help: { type: 'boolean' },
    },
    USAGE,
  );
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (!values.from?.length) throw new UsageError('--from is required', USAGE.split('\n')[0]);
  const result = vendorCrds({
    inputs: values.from.map((f) => path.resolve(io.cwd, f)),
    ...(values.source ? { source: values.source } : {}),
    ...(values.version ? { version: values.version } : {}),
    ...(values.url ? { url: values.url } : {}),
  });
  for (const w of result.written) io.stdout(`${w.key} → ${w.file} (${w.source})\n`);
  for (const f of result.removed) io.stdout(`removed ${f}\n`);
  for (const i of result.ignored) io.stderr(`ignored ${i.crd} (${i.file}): no source claims its group\n`);
  io.stdout(`${result.written.length} schemas written\n`);
  return 0;
}
