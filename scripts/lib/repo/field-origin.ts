import path from 'node:path';
import type { KubeObject, Resource } from './resource.ts';
import { SourceIndex } from './source-index.ts';
import { readYamlStream } from './yaml-stream.ts';

type FieldPath = readonly (string | number)[];

/** Where a person fixes a field: a repo file and line. */
export interface FieldLocation {
  file: string;
  line: number;
}

interface Candidate extends FieldLocation {
  depth: number;
}

/** Keys strategic merge patches match list items by, in the order kustomize's common lists use them. */
const MERGE_KEYS = ['name', 'mountPath', 'containerPort', 'port', 'ip', 'type', 'topologyKey'];

/**
 * The file and line where a field of a rendered object was set. The base file says where most
 * fields come from, but a kustomization that patched the object, set its image or its replicas
 * set some fields itself: when the last of those to touch the field holds it whole, that is where
 * the fix goes (a typo in an overlay's patch is in the patch, not in the base it patches).
 */
export function locateField(index: SourceIndex, resource: Resource, fieldPath: FieldPath): FieldLocation {
  const base = index.fieldPosition(resource.origin, fieldPath);
  const candidates: Candidate[] = [];
  for (const kfile of [...(resource.origin.changedBy ?? [])].reverse()) {
    const found = inKustomization(index, kfile, resource.object, fieldPath);
    if (found && found.depth === fieldPath.length) return { file: found.file, line: found.line };
    if (found) candidates.push(found);
  }
  if (base.depth === fieldPath.length) return { file: resource.origin.file, line: base.line };
  const deepest = candidates.sort((a, b) => b.depth - a.depth)[0];
  if (deepest && deepest.depth > base.depth) return { file: deepest.file, line: deepest.line };
  return { file: resource.origin.file, line: base.line };
}

function inKustomization(
  index: SourceIndex,
  kfile: string,
  object: KubeObject,
  fieldPath: FieldPath,
): Candidate | undefined {
  let k: Record<string, any>;
  try {
    k = (index.documents(kfile)[0]?.value ?? {}) as Record<string, any>;
  } catch {
    return undefined;
  }
  const start = { file: kfile, line: index.documents(kfile)[0]?.line ?? 1 };
  const at = (p: (string | number)[]) => index.lineOf(start, p);
  const last = fieldPath[fieldPath.length - 1];
  if (last === 'image' && Array.isArray(k.images)) {
    const image = String(valueAt(object, fieldPath) ?? '');
    const i = (k.images as Record<string, string>[]).findIndex(
      (e) => e?.name && (sameImage(image, e.newName ?? e.name) || sameImage(image, e.name)),
    );
    if (i >= 0) {
      const e = k.images[i] as Record<string, string>;
      const key = e.digest ? 'digest' : e.newTag ? 'newTag' : e.newName ? 'newName' : 'name';
      return { file: kfile, line: at(['images', i, key]), depth: fieldPath.length };
    }
  }
  if (fieldPath.join('.') === 'spec.replicas' && Array.isArray(k.replicas)) {
    const i = (k.replicas as { name?: string }[]).findIndex((r) => r?.name === object.metadata?.name);
    if (i >= 0) return { file: kfile, line: at(['replicas', i, 'count']), depth: fieldPath.length };
  }
  let best: Candidate | undefined;
  const consider = (c: Candidate | undefined) => {
    if (c && (!best || c.depth >= best.depth)) best = c;
  };
  const dir = path.posix.dirname(kfile);
  const patchLists: [string, boolean][] = [
    ['patches', true],
    ['patchesJson6902', true],
    ['patchesStrategicMerge', false],
  ];
  for (const [key, hasEntries] of patchLists) {
    const list = k[key];
    if (!Array.isArray(list)) continue;
    list.forEach((entry: unknown, i: number) => {
      const spec = (hasEntries ? entry : {}) as {
        path?: string;
        patch?: string;
        target?: Record<string, string>;
      };
      if (spec.target && !targets(spec.target, object)) return;
      const file = hasEntries
        ? spec.path
        : typeof entry === 'string' && !entry.includes('\n')
          ? entry
          : undefined;
      if (typeof file === 'string') {
        const rel = path.posix.normalize(path.posix.join(dir, file));
        const found = inPatch(index, rel, object, fieldPath, Boolean(spec.target));
        if (found) consider({ file: rel, ...found });
        return;
      }
      const inline = hasEntries ? spec.patch : typeof entry === 'string' ? entry : undefined;
      if (typeof inline !== 'string') return;
      const field = hasEntries ? [key, i, 'patch'] : [key, i];
      const found = inPatchText(inline, object, fieldPath, Boolean(spec.target));
      // A block scalar's first line is the line after its key.
      if (found) consider({ file: kfile, line: at(field) + found.line, depth: found.depth });
    });
  }
  return best;
}

/** An inline patch: the line (1-based inside the patch text) and depth of the field. */
function inPatchText(
  text: string,
  object: KubeObject,
  fieldPath: FieldPath,
  targeted: boolean,
): { line: number; depth: number } | undefined {
  const scratch = new SourceIndex('/');
  scratch.remember('-', text, readYamlStream(text, '-'));
  return inPatch(scratch, '-', object, fieldPath, targeted);
}

/** The line and depth of the field in the patch document of `file` that holds most of it. */
function inPatch(
  index: SourceIndex,
  file: string,
  object: KubeObject,
  fieldPath: FieldPath,
  targeted: boolean,
): { line: number; depth: number } | undefined {
  let docs;
  try {
    docs = index.documents(file);
  } catch {
    return undefined;
  }
  let best: { line: number; depth: number } | undefined;
  for (const doc of docs) {
    const p = patchPath(doc.value, object, fieldPath, targeted);
    if (!p) continue;
    const pos = index.fieldPosition({ file, line: doc.line }, p.path);
    const depth = Math.min(fieldPath.length, Math.max(0, pos.depth - p.extra));
    if (!best || depth > best.depth) best = { line: pos.line, depth };
  }
  return best;
}

/**
 * The path to look up in a patch document for `fieldPath` of the rendered object: a JSON 6902 op
 * list leads into the op that touches the field (its `value` for what lies below its path); a
 * strategic merge patch for this object follows the object's own path, list items matched by
 * their merge key. `extra` counts the segments of that path that are not the field's.
 */
function patchPath(
  patch: unknown,
  object: KubeObject,
  fieldPath: FieldPath,
  targeted: boolean,
): { path: (string | number)[]; extra: number } | undefined {
  if (Array.isArray(patch)) {
    let best: { path: (string | number)[]; extra: number; len: number } | undefined;
    patch.forEach((op: { op?: string; path?: string }, i) => {
      if (typeof op?.path !== 'string' || op.op === 'remove' || op.op === 'test') return;
      const segs = op.path
        .split('/')
        .slice(1)
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
      const matches = segs.every((s, j) => j < fieldPath.length && String(fieldPath[j]) === s);
      if (!matches || (best && best.len >= segs.length)) return;
      const rest = fieldPath.slice(segs.length);
      // [op index, 'value' | 'path', ...rest] found whole means the field's own depth.
      best = { path: [i, rest.length ? 'value' : 'path', ...rest], extra: 2 - segs.length, len: segs.length };
    });
    return best && { path: best.path, extra: best.extra };
  }
  const p = patch as KubeObject | null;
  if (!p || typeof p !== 'object') return undefined;
  if (!targeted) {
    if (p.kind !== object.kind) return undefined;
    const name = p.metadata?.name;
    if (name && !(object.metadata?.name ?? '').includes(name)) return undefined;
  }
  const out: (string | number)[] = [];
  let rendered: unknown = object;
  let patched: unknown = p;
  for (const seg of fieldPath) {
    if (typeof seg === 'number') {
      if (!Array.isArray(rendered) || !Array.isArray(patched)) break;
      const item = rendered[seg] as Record<string, unknown> | undefined;
      const mergeKey = MERGE_KEYS.find((k) => item && typeof item === 'object' && item[k] !== undefined);
      const j = mergeKey
        ? patched.findIndex(
            (x) => x && typeof x === 'object' && (x as Record<string, unknown>)[mergeKey] === item![mergeKey],
          )
        : seg;
      if (j < 0 || j >= patched.length) break;
      out.push(j);
      rendered = item;
      patched = patched[j];
    } else {
      if (!patched || typeof patched !== 'object' || Array.isArray(patched) || !(seg in patched)) {
        out.push(seg);
        break;
      }
      out.push(seg);
      rendered = (rendered as Record<string, unknown> | undefined)?.[seg];
      patched = (patched as Record<string, unknown>)[seg];
    }
  }
  return { path: out, extra: 0 };
}

/** A patch entry's `target` selects this object (kind, name as a regular expression, namespace). */
function targets(target: Record<string, string>, object: KubeObject): boolean {
  const full = (pattern: string | undefined, value: string | undefined) =>
    pattern === undefined || new RegExp(`^(?:${pattern})$`).test(value ?? '');
  try {
    return (
      full(target.kind, object.kind) &&
      full(target.name, object.metadata?.name) &&
      full(target.namespace, object.metadata?.namespace) &&
      (target.group === undefined || (object.apiVersion ?? '').startsWith(`${target.group}/`))
    );
  } catch {
    return false;
  }
}

function sameImage(image: string, name: string): boolean {
  const repo = image.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
  return repo === name || repo.endsWith(`/${name}`);
}

function valueAt(o: unknown, p: FieldPath): unknown {
  let v: unknown = o;
  for (const seg of p)
    v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[seg] : undefined;
  return v;
}
