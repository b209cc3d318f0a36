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
    for (const ref of referencedPaths(k)) {
      if (/^[a-z]+:\/\//i.test(ref) || ref.includes('?ref=')) continue;
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

function referencedPaths(k: Record<string, unknown>): string[] {
  const out: string[] = [];
  const strings = (v: unknown) => {
    if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') out.push(x);
  };
  for (const key of ['resources', 'components', 'bases', 'crds', 'generators', 'transformers', 'validators'])
    strings(k[key]);
  strings(k.patchesStrategicMerge);
  for (const key of ['patches', 'patchesJson6902', 'replacements']) {
    const v = k[key];
    if (Array.isArray(v))
      for (const p of v)
        if (p && typeof (p as { path?: unknown }).path === 'string') out.push((p as { path: string }).path);
  }
  for (const key of ['configMapGenerator', 'secretGenerator']) {
    const v = k[key];
    if (!Array.isArray(v)) continue;
    for (const g of v as Record<string, unknown>[]) {
      for (const f of [...((g.files as string[]) ?? []), ...((g.envs as string[]) ?? [])])
        if (typeof f === 'string') out.push(f.includes('=') ? f.slice(f.indexOf('=') + 1) : f);
      if (typeof g.env === 'string') out.push(g.env);
    }
  }
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
