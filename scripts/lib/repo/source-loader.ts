import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { globToRegExp } from './glob.ts';
import { kustomizationFile, type KustomizationClosure } from './kustomization-inputs.ts';
import type { KustomizeRenderer } from './kustomize-renderer.ts';
import type { KubeObject, Origin } from './resource.ts';
import type { SourceIndex } from './source-index.ts';
import type { SourceProblem } from './source-problem.ts';

export interface LoadedObject {
  object: KubeObject;
  origin: Origin;
}

export interface DirectoryOptions {
  recurse?: boolean;
  include?: string;
  exclude?: string;
}

/**
 * What a directory deploys. `ok: false` when nothing of it can be trusted (a kustomize build that
 * fails); `problems` also lists files of a plain directory that do not parse, while the rest of
 * the directory still loads.
 */
export type LoadResult =
  | { ok: true; objects: LoadedObject[]; kind: 'kustomize' | 'directory'; problems: SourceProblem[] }
  | { ok: false; problems: SourceProblem[] };

/** A file name Argo CD reads as manifests in a plain directory. */
export const MANIFEST = /\.(ya?ml|json)$/i;

/**
 * Loads what Argo CD would deploy from a directory of this repo: a kustomize build when the
 * directory has a kustomization, else the plain manifests in it (recursively with `recurse`).
 * `group` batches kustomize builds (the environment being walked).
 */
export async function loadSourceDirectory(
  dir: string,
  index: SourceIndex,
  renderer: KustomizeRenderer,
  options: DirectoryOptions = {},
  group = '',
): Promise<LoadResult> {
  const kfile = kustomizationFile(dir);
  if (kfile) {
    const result = await renderer.render(dir, group);
    if (!result.ok) {
      const problems = diagnoseBuildFailure(renderer.closure(dir), kfile, result.message, index);
      return { ok: false, problems };
    }
    const objects = result.objects.map(({ object, file, changedBy }) => {
      const origin: Origin = file ? index.originOf(file, object) : { file: index.relative(kfile), line: 1 };
      if (changedBy?.length) origin.changedBy = changedBy.map((f) => index.relative(f));
      return { object, origin };
    });
    return { ok: true, objects, kind: 'kustomize', problems: [] };
  }
  const include = options.include ? globToRegExp(options.include) : undefined;
  const exclude = options.exclude ? globToRegExp(options.exclude) : undefined;
  const objects: LoadedObject[] = [];
  const problems: SourceProblem[] = [];
  for (const file of listManifests(dir, options.recurse === true)) {
    const rel = path.relative(dir, file).split(path.sep).join('/');
    if (include && !include.test(rel) && !include.test(path.basename(rel))) continue;
    if (exclude && (exclude.test(rel) || exclude.test(path.basename(rel)))) continue;
    const loaded = loadManifestFile(index.relative(file), index);
    // Loops, not push(...): one file can hold more objects than a call has arguments.
    for (const o of loaded.objects) objects.push(o);
    for (const p of loaded.problems) problems.push(p);
  }
  return { ok: true, objects, kind: 'directory', problems };
}

/**
 * The objects of one manifest file (a `List` gives its items), and its documents that do not parse.
 * Objects are copies unless `shared`: a file several Applications or environments read must not
 * see one consumer's changes in another's objects.
 */
export function loadManifestFile(
  repoRel: string,
  index: SourceIndex,
  shared = false,
): { objects: LoadedObject[]; problems: SourceProblem[] } {
  const objects: LoadedObject[] = [];
  for (const doc of index.documents(repoRel)) {
    const value = doc.value as KubeObject & { items?: unknown[] };
    if (value && typeof value === 'object' && value.kind === 'List' && Array.isArray(value.items)) {
      for (const item of value.items)
        objects.push({ object: item as KubeObject, origin: { file: repoRel, line: doc.line } });
    } else {
      objects.push({
        object: shared ? value : structuredClone(value),
        origin: { file: repoRel, line: doc.line },
      });
    }
  }
  return { objects, problems: syntaxProblems(repoRel, index) };
}

export function syntaxProblems(repoRel: string, index: SourceIndex): SourceProblem[] {
  return index.syntaxErrors(repoRel).map((e) => ({
    rule: 'yaml/syntax',
    message: `invalid YAML: ${e.message}`,
    file: repoRel,
    line: e.line,
    column: e.column,
    hint: 'fix the YAML syntax at that line; kubectl and Argo CD reject the whole file',
  }));
}

/**
 * Why a kustomize build failed, said where the fix goes: files of the build that do not parse, then
 * paths a kustomization lists that are not there (at the line that lists them). kustomize's own
 * message follows from those when there are any; otherwise it is the problem, at the
 * kustomization, with paths made relative to the repository.
 */
function diagnoseBuildFailure(
  closure: KustomizationClosure,
  kfile: string,
  message: string,
  index: SourceIndex,
): SourceProblem[] {
  const causes: SourceProblem[] = [];
  for (const f of closure.inputs) {
    if (!MANIFEST.test(f) && path.basename(f) !== 'Kustomization') continue;
    try {
      causes.push(...syntaxProblems(index.relative(f), index));
    } catch {
      // an unreadable input: kustomize's message says which
    }
  }
  for (const missing of closure.missing) {
    const file = index.relative(missing.kustomization);
    causes.push({
      rule: 'render/missing-file',
      message: `${missing.field[0]} lists "${missing.ref}", which does not exist`,
      file,
      line: index.lineOf({ file, line: index.documents(file)[0]?.line ?? 1 }, missing.field),
      hint: 'fix the path (relative to this kustomization) or create the file',
    });
  }
  const relKfile = index.relative(kfile);
  const cleaned = relativePaths(message, index);
  const unknown = /unknown field \\?"([^"\\]+)\\?"/.exec(cleaned);
  const build: SourceProblem = {
    rule: 'render/kustomize',
    message: `kustomize build of ${path.posix.dirname(relKfile)} failed: ${cleaned}`,
    file: relKfile,
    line: unknown ? index.lineOf({ file: relKfile, line: 1 }, [unknown[1]!]) : 1,
    hint: `run \`kubectl kustomize ${path.posix.dirname(relKfile)}\` to reproduce`,
  };
  if (causes.length === 0) return [build];
  causes[0]!.followers = [build];
  return causes;
}

/** Absolute paths inside the repository read as repo-relative ones. */
function relativePaths(message: string, index: SourceIndex): string {
  return message.split(`${index.root}${path.sep}`).join('');
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
