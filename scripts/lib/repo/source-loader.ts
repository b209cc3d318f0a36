import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { globToRegExp } from './glob.ts';
import { kustomizationFile, kustomizationInputs } from './kustomization-inputs.ts';
import type { KustomizeRenderer } from './kustomize-renderer.ts';
import type { KubeObject, Origin } from './resource.ts';
import type { SourceIndex } from './source-index.ts';
import { parseYamlStream } from './yaml-stream.ts';

export interface LoadedObject {
  object: KubeObject;
  origin: Origin;
}

export interface DirectoryOptions {
  recurse?: boolean;
  include?: string;
  exclude?: string;
}

export type LoadResult =
  | { ok: true; objects: LoadedObject[]; kind: 'kustomize' | 'directory' }
  | { ok: false; message: string; file: string };

const MANIFEST = /\.(ya?ml|json)$/i;

/**
 * Loads what Argo CD would deploy from a directory of this repo: a kustomize build when the
 * directory has a kustomization, else the plain manifests in it (recursively with `recurse`).
 * A YAML syntax error anywhere it reads throws InputError (file and line); a kustomize failure
 * for any other reason is returned with kustomize's own message.
 */
export async function loadSourceDirectory(
  dir: string,
  index: SourceIndex,
  renderer: KustomizeRenderer,
  options: DirectoryOptions = {},
): Promise<LoadResult> {
  const kfile = kustomizationFile(dir);
  if (kfile) {
    const result = await renderer.render(dir);
    if (!result.ok) {
      // Name the file and line when the cause is a YAML syntax error kustomize reports vaguely.
      for (const f of kustomizationInputs(dir))
        if (MANIFEST.test(f) || path.basename(f) === 'Kustomization') index.documents(f);
      return { ok: false, message: result.message, file: index.relative(kfile) };
    }
    const objects = result.objects.map(({ object, file }) => {
      const origin: Origin = file
        ? { file: index.relative(file), line: index.documentLine(file, object) }
        : { file: index.relative(kfile), line: 1 };
      return { object, origin };
    });
    return { ok: true, objects, kind: 'kustomize' };
  }
  const include = options.include ? globToRegExp(options.include) : undefined;
  const exclude = options.exclude ? globToRegExp(options.exclude) : undefined;
  const objects: LoadedObject[] = [];
  for (const file of listManifests(dir, options.recurse === true)) {
    const rel = path.relative(dir, file).split(path.sep).join('/');
    if (include && !include.test(rel) && !include.test(path.basename(rel))) continue;
    if (exclude && (exclude.test(rel) || exclude.test(path.basename(rel)))) continue;
    const text = readFileSync(file, 'utf8');
    const repoRel = index.relative(file);
    const docs = parseYamlStream(text, repoRel);
    index.remember(repoRel, text, docs);
    for (const doc of docs) {
      const value = doc.value as KubeObject & { items?: unknown[] };
      if (value && typeof value === 'object' && value.kind === 'List' && Array.isArray(value.items)) {
        for (const item of value.items)
          objects.push({ object: item as KubeObject, origin: { file: repoRel, line: doc.line } });
      } else {
        objects.push({ object: structuredClone(value), origin: { file: repoRel, line: doc.line } });
      }
    }
  }
  return { ok: true, objects, kind: 'directory' };
}

function listManifests(dir: string, recurse: boolean): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (recurse && !e.name.startsWith('.')) out.push(...listManifests(full, true));
    } else if (MANIFEST.test(e.name) && statSync(full).isFile()) {
      out.push(full);
    }
  }
  return out;
}
