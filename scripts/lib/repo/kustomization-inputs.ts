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

/**
 * Every file a kustomize build of `dir` can read: all files of the directories in its closure
 * (the directory itself and each local directory its kustomizations reference). Used as the render
 * cache key and to find YAML syntax errors when kustomize fails.
 */
export function kustomizationInputs(dir: string): string[] {
  const dirs = new Set<string>();
  const files = new Set<string>();
  const visit = (d: string) => {
    const abs = path.resolve(d);
    if (dirs.has(abs)) return;
    dirs.add(abs);
    for (const f of listFiles(abs)) files.add(f);
    const kfile = kustomizationFile(abs);
    if (!kfile) return;
    let k: Record<string, unknown>;
    try {
      k = (yaml.load(readFileSync(kfile, 'utf8')) as Record<string, unknown>) ?? {};
    } catch {
      return;
    }
    for (const { ref } of referencedPaths(k)) {
      if (isRemote(ref)) continue;
      const target = path.resolve(abs, ref);
      try {
        const st = statSync(target);
        if (st.isDirectory()) visit(target);
        else files.add(target);
      } catch {
        // kustomize reports the missing path itself
      }
    }
  };
  visit(dir);
  return [...files].sort();
}

/** A path a kustomization lists, and the field path of the entry that lists it. */
export interface KustomizationReference {
  ref: string;
  field: (string | number)[];
}

export function isRemote(ref: string): boolean {
  return /^[a-z]+:\/\//i.test(ref) || ref.includes('?ref=') || /^(github\.com|gitlab\.com)\//.test(ref);
}

export function referencedPaths(k: Record<string, unknown>): KustomizationReference[] {
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

/** Every local path listed by a kustomization of the closure of `dir` that is not there. */
export function missingReferences(dir: string): MissingReference[] {
  const out: MissingReference[] = [];
  const seen = new Set<string>();
  const visit = (d: string) => {
    const abs = path.resolve(d);
    if (seen.has(abs)) return;
    seen.add(abs);
    const kfile = kustomizationFile(abs);
    if (!kfile) return;
    let k: Record<string, unknown>;
    try {
      k = (yaml.load(readFileSync(kfile, 'utf8')) as Record<string, unknown>) ?? {};
    } catch {
      return;
    }
    for (const { ref, field } of referencedPaths(k)) {
      if (isRemote(ref)) continue;
      const target = path.resolve(abs, ref);
      try {
        if (statSync(target).isDirectory()) visit(target);
      } catch {
        out.push({ kustomization: kfile, ref, field });
      }
    }
  };
  visit(dir);
  return out;
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
