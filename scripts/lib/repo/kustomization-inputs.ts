import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function kustomizationFile(dir: string): string | undefined {
  for (const name of KUSTOMIZATION_FILES) {
    try {
      if (statSync(path.join(dir, name)).isFile()) return path.join(dir, name);
    } catch {
      // try the next spelling
    }
  }
  return undefined;
}

/** What a kustomize build of a folder reads, and the paths its kustomizations list that are not there. */
export interface KustomizationClosure {
  /**
   * Every file the build can read: all files of the folders in its closure (the folder itself and
   * each local folder its kustomizations reference) and the files they reference. Sorted.
   */
  inputs: string[];
  /** Every local path a kustomization of the closure lists that does not exist, in listing order. */
  missing: MissingReference[];
  /** Does a kustomization of the closure choose its own OpenAPI schema (an `openapi` field)? */
  ownSchema: boolean;
}

/** What one folder adds to a closure: its own files, then what its kustomization lists, in order. */
interface Folder {
  files: string[];
  ownSchema: boolean;
  refs: ({ dir: string } | { file: string } | { missing: MissingReference })[];
}

/**
 * Kustomize closures, each folder listed and its kustomization parsed once: a base every overlay
 * uses is read once per run, not once per overlay (each overlay's render cache key walks its
 * closure). Keep one only while the files do not change, as the renderer's results are kept.
 */
export class KustomizationClosures {
  private readonly folders = new Map<string, Folder>();

  of(dir: string): KustomizationClosure {
    const seen = new Set<string>();
    const files = new Set<string>();
    const missing: MissingReference[] = [];
    let ownSchema = false;
    const visit = (abs: string) => {
      if (seen.has(abs)) return;
      seen.add(abs);
      const folder = this.folder(abs);
      ownSchema ||= folder.ownSchema;
      for (const f of folder.files) files.add(f);
      for (const r of folder.refs) {
        if ('dir' in r) visit(r.dir);
        else if ('file' in r) files.add(r.file);
        else missing.push(r.missing);
      }
    };
    visit(path.resolve(dir));
    return { inputs: [...files].sort(), missing, ownSchema };
  }

  private folder(abs: string): Folder {
    let folder = this.folders.get(abs);
    if (!folder) {
      folder = readFolder(abs);
      this.folders.set(abs, folder);
    }
    return folder;
  }
}

function readFolder(abs: string): Folder {
  const folder: Folder = { files: listFiles(abs), ownSchema: false, refs: [] };
  const kfile = kustomizationFile(abs);
  if (!kfile) return folder;
  let k: Record<string, unknown>;
  try {
    k = (yaml.load(readFileSync(kfile, 'utf8')) as Record<string, unknown>) ?? {};
  } catch {
    return folder;
  }
  folder.ownSchema = k.openapi !== undefined && k.openapi !== null;
  for (const { ref, field } of referencedPaths(k)) {
    if (isRemote(ref)) continue;
    const target = path.resolve(abs, ref);
    try {
      folder.refs.push(statSync(target).isDirectory() ? { dir: target } : { file: target });
    } catch {
      // kustomize reports the missing path itself; diagnoses name the line that lists it
      folder.refs.push({ missing: { kustomization: kfile, ref, field } });
    }
  }
  return folder;
}

/** A path a kustomization lists, and the field path of the entry that lists it. */
interface KustomizationReference {
  ref: string;
  field: (string | number)[];
}

function isRemote(ref: string): boolean {
  return /^[a-z]+:\/\//i.test(ref) || ref.includes('?ref=') || /^(github\.com|gitlab\.com)\//.test(ref);
}

function referencedPaths(k: Record<string, unknown>): KustomizationReference[] {
  const out: KustomizationReference[] = [];
  const strings = (key: string) => {
    const v = k[key];
    if (Array.isArray(v))
      v.forEach((x, i) => {
        if (typeof x === 'string') out.push({ ref: x, field: [key, i] });
      });
  };
  for (const key of ['resources', 'components', 'bases', 'crds', 'generators', 'transformers', 'validators'])
    strings(key);
  strings('patchesStrategicMerge');
  for (const key of ['patches', 'patchesJson6902', 'replacements']) {
    const v = k[key];
    if (Array.isArray(v))
      v.forEach((p, i) => {
        if (p && typeof (p as { path?: unknown }).path === 'string')
          out.push({ ref: (p as { path: string }).path, field: [key, i, 'path'] });
      });
  }
  const openapi = k.openapi as { path?: unknown } | undefined;
  if (typeof openapi?.path === 'string') out.push({ ref: openapi.path, field: ['openapi', 'path'] });
  for (const key of ['configMapGenerator', 'secretGenerator']) {
    const v = k[key];
    if (!Array.isArray(v)) continue;
    (v as Record<string, unknown>[]).forEach((g, i) => {
      for (const list of ['files', 'envs'])
        ((g?.[list] as unknown[]) ?? []).forEach((f, j) => {
          if (typeof f === 'string')
            out.push({ ref: f.includes('=') ? f.slice(f.indexOf('=') + 1) : f, field: [key, i, list, j] });
        });
      if (typeof g?.env === 'string') out.push({ ref: g.env, field: [key, i, 'env'] });
    });
  }
  // Inline patches and generator options hold no paths; a string that is YAML (an inline patch
  // under patchesStrategicMerge) is not a path either.
  return out.filter((r) => !r.ref.includes('\n'));
}

/** A path a kustomization in the closure of `dir` lists that does not exist. */
export interface MissingReference {
  kustomization: string;
  ref: string;
  field: (string | number)[];
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) if (e.isFile()) out.push(path.join(dir, e.name));
  return out;
}
