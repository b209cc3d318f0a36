import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { writeFileAtomic } from '../cli/write-file-atomic.ts';
import { createLimiter } from './concurrency.ts';
import { findKubectl, runKustomize, type KubectlBinary } from './kubectl.ts';
import { KustomizationClosures, type KustomizationClosure } from './kustomization-inputs.ts';
import { kustomizeSchemaText } from './kustomize-builtin-schema.ts';
import { kustomizeVersion, requireKustomize, usesVendoredSchema } from './kustomize-version.ts';
import { toolCacheDir } from './repo-root.ts';
import type { KubeObject } from './resource.ts';
import { readYamlStream } from './yaml-stream.ts';

/** A rendered object and the repo file kustomize says it came from (a generator's kustomization file for generated ones). */
export interface RenderedObject {
  object: KubeObject;
  /** Absolute path of the defining file, or undefined when kustomize gave no origin. */
  file?: string;
  generated: boolean;
  /** Absolute paths of the kustomizations whose patches or image/replica settings changed it, in order. */
  changedBy?: string[];
}

export type KustomizeResult = { ok: true; objects: RenderedObject[] } | { ok: false; message: string };

const ORIGIN = 'config.kubernetes.io/origin';
const TRANSFORMATIONS = 'alpha.config.kubernetes.io/transformations';
const MEMBER = 'gitops-tools.internal/member';
/** Transformers that set fields a finding may point at; the kustomization that ran them is where to fix it. */
const FIELD_SETTERS = new Set([
  'PatchTransformer',
  'PatchStrategicMergeTransformer',
  'PatchJson6902Transformer',
  'ImageTagTransformer',
  'ReplicaCountTransformer',
]);
const CACHE_FORMAT = 2;
const SCHEMA_FILE = 'kubernetes-openapi.json';

export interface RendererOptions {
  /** Directory for cached renders keyed by content; null disables the disk cache. */
  cacheDir?: string | null;
  /** kubectl processes at once; default: the number of cores. */
  concurrency?: number;
  kubectl?: KubectlBinary;
}

interface Pending {
  dir: string;
  key: string | null;
  /**
   * Built with the vendored schema: false when its kustomizations choose their own OpenAPI schema
   * (then it is built alone, with theirs) or when this kustomize is not one the vendored schema is for.
   */
  vendoredSchema: boolean;
  resolve: (r: KustomizeResult) => void;
}

/**
 * Renders kustomizations with `kubectl kustomize`, as Argo CD does, with few kubectl processes:
 * the folders one walk step asks for (in one `group`, an environment) are built together through a
 * throw-away wrapper kustomization that lists each folder as a member. Each member tags its objects
 * so they are told apart, and `buildMetadata` makes kustomize name the file that defined each
 * object and the kustomizations that changed it. A batch that fails (two members with the same
 * resource id, or a broken member) is built again folder by folder, so each failure is its own.
 * The wrapper names kustomize's own built-in schema, vendored as JSON (kustomize-builtin-schema.ts),
 * which kustomize loads in a sixth of the time it takes to decode its embedded copy; a folder whose
 * kustomizations choose a schema of their own is built alone, with it, as kustomize lets only the
 * first schema set in a build count.
 * Results are cached in memory per folder and on disk by the content of every input file, keyed by
 * paths relative to the folder: another checkout of the same content reuses them.
 */
export class KustomizeRenderer {
  private readonly memo = new Map<string, Promise<KustomizeResult>>();
  private readonly queued = new Map<string, Pending[]>();
  private flushScheduled = false;
  private readonly limit;
  private readonly kubectl: KubectlBinary;
  private readonly cacheDir: string | null;
  private wrapRoot: string | undefined;
  private wrapCount = 0;
  private closures = new KustomizationClosures();
  private readonly digests = new Map<string, string>();
  /** kubectl processes started: the benchmark reports it. */
  builds = 0;

  constructor(opts: RendererOptions = {}) {
    this.kubectl = opts.kubectl ?? findKubectl();
    this.limit = createLimiter(opts.concurrency);
    this.cacheDir = opts.cacheDir === undefined ? null : opts.cacheDir;
  }

  /**
   * Renders `dir`; folders asked for in the same tick with the same `group` share a kubectl run.
   * Rejects with MissingToolError when kubectl's kustomize is too old to build as Argo CD does
   * (asked before the first build; an answer from the cache needs no kubectl).
   */
  render(dir: string, group = ''): Promise<KustomizeResult> {
    const abs = path.resolve(dir);
    let p = this.memo.get(abs);
    if (!p) {
      p = this.renderOnce(abs, group);
      this.memo.set(abs, p);
    }
    return p;
  }

  private async renderOnce(abs: string, group: string): Promise<KustomizeResult> {
    const closure = this.closure(abs);
    const key = this.cacheKey(abs, closure);
    const cached = this.readCache(key, abs);
    if (cached) return { ok: true, objects: cached };
    const version = await versionOf(this.kubectl);
    requireKustomize(this.kubectl, version);
    const { ownSchema } = closure;
    const vendoredSchema = !ownSchema && usesVendoredSchema(version);
    return new Promise<KustomizeResult>((resolve) => {
      const batch = ownSchema ? `${group}\0${abs}` : group;
      const list = this.queued.get(batch) ?? [];
      list.push({ dir: abs, key, vendoredSchema, resolve });
      this.queued.set(batch, list);
      this.scheduleFlush();
    });
  }

  /** What a build of `dir` reads (its cache key) and lists but is not there (a failed build's diagnosis). */
  closure(dir: string): KustomizationClosure {
    return this.closures.of(dir);
  }

  /** Forget in-memory results (the files changed, e.g. during a promotion). */
  reset(): void {
    this.memo.clear();
    this.closures = new KustomizationClosures();
    this.digests.clear();
  }

  dispose(): void {
    if (this.wrapRoot) rmSync(this.wrapRoot, { recursive: true, force: true });
    this.wrapRoot = undefined;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate runs after every promise continuation of this step of the walk has asked.
    setImmediate(() => {
      this.flushScheduled = false;
      const groups = [...this.queued.values()];
      this.queued.clear();
      for (const members of groups) void this.buildBatch(members);
    });
  }

  private async buildBatch(members: Pending[]): Promise<void> {
    const out = await this.build(
      members.map((m) => m.dir),
      members.every((m) => m.vendoredSchema),
    ).catch((err: Error) => ({
      ok: false as const,
      message: err.message,
    }));
    if (out.ok) {
      members.forEach((m, i) => {
        const objects = out.members[i]!;
        this.writeCache(m.key, m.dir, objects);
        m.resolve({ ok: true, objects });
      });
      return;
    }
    if (members.length === 1) return members[0]!.resolve({ ok: false, message: out.message });
    await Promise.all(members.map((m) => this.buildBatch([m])));
  }

  private async build(
    dirs: string[],
    vendoredSchema: boolean,
  ): Promise<{ ok: true; members: RenderedObject[][] } | { ok: false; message: string }> {
    this.wrapRoot ??= mkdtempSync(path.join(tmpdir(), 'gitops-render-'));
    const wrapper = path.join(this.wrapRoot, `b${this.wrapCount++}`);
    const relTo = (from: string, to: string) =>
      JSON.stringify(path.relative(from, to).split(path.sep).join('/'));
    dirs.forEach((dir, i) => {
      const member = path.join(wrapper, `m${i}`);
      mkdirSync(member, { recursive: true });
      writeFileSync(
        path.join(member, 'member.yaml'),
        `apiVersion: builtin\nkind: AnnotationsTransformer\nmetadata:\n  name: member\nannotations:\n  ${MEMBER}: "${i}"\nfieldSpecs:\n  - path: metadata/annotations\n    create: true\n`,
      );
      writeFileSync(
        path.join(member, 'kustomization.yaml'),
        `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${relTo(member, dir)}\ntransformers:\n  - member.yaml\n`,
      );
    });
    if (vendoredSchema) writeFileSync(path.join(wrapper, SCHEMA_FILE), kustomizeSchemaText());
    writeFileSync(
      path.join(wrapper, 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${vendoredSchema ? `openapi:\n  path: ${SCHEMA_FILE}\n` : ''}buildMetadata: [originAnnotations, transformerAnnotations]\nresources:\n${dirs.map((_, i) => `  - m${i}\n`).join('')}`,
    );
    // The slot is kubectl's alone: reading its output here must not hold the next build back.
    const out = await this.limit(() => {
      this.builds++;
      return runKustomize(this.kubectl, wrapper);
    });
    rmSync(wrapper, { recursive: true, force: true });
    // Paths of the throw-away wrapper mean nothing to a reader: kustomize's message without them.
    if (!out.ok) return { ok: false, message: withoutWrapperPaths(out.stderr, wrapper) };
    return { ok: true, members: this.readMembers(out.stdout, wrapper, dirs.length) };
  }

  /** A batch's objects, by member, from kubectl's output. */
  private readMembers(stdout: string, wrapper: string, count: number): RenderedObject[][] {
    const members: RenderedObject[][] = Array.from({ length: count }, () => []);
    for (const doc of readYamlStream(stdout, 'kustomize output').docs) {
      const object = doc.value as KubeObject;
      if (!object || typeof object !== 'object') continue;
      const { member, rendered } = takeBuildMetadata(object, wrapper);
      members[member]?.push(rendered);
    }
    return members;
  }

  private cacheKey(dir: string, closure: KustomizationClosure): string | null {
    if (!this.cacheDir) return null;
    const h = createHash('sha256');
    h.update(`${CACHE_FORMAT}\0${this.kubectl.fingerprint}\0`);
    for (const f of closure.inputs) {
      h.update(path.relative(dir, f).split(path.sep).join('/'));
      h.update(`\0${this.fileDigest(f)}\0`);
    }
    return h.digest('hex');
  }

  /** A file's content hash, once per file: a base is in the cache key of every overlay over it. */
  private fileDigest(file: string): string {
    let digest = this.digests.get(file);
    if (digest === undefined) {
      try {
        digest = createHash('sha256').update(readFileSync(file)).digest('hex');
      } catch {
        digest = '<unreadable>';
      }
      this.digests.set(file, digest);
    }
    return digest;
  }

  private readCache(key: string | null, dir: string): RenderedObject[] | undefined {
    if (!key || !this.cacheDir) return undefined;
    let stored: RenderedObject[];
    try {
      stored = JSON.parse(readFileSync(path.join(this.cacheDir, `${key}.json`), 'utf8')) as RenderedObject[];
    } catch {
      return undefined;
    }
    for (const o of stored) {
      if (o.file !== undefined) o.file = path.resolve(dir, o.file);
      if (o.changedBy) o.changedBy = o.changedBy.map((f) => path.resolve(dir, f));
    }
    return stored;
  }

  private writeCache(key: string | null, dir: string, objects: RenderedObject[]): void {
    if (!key || !this.cacheDir) return;
    const rel = (f: string) => path.relative(dir, f).split(path.sep).join('/');
    const stored = objects.map((o) => ({
      ...o,
      ...(o.file !== undefined ? { file: rel(o.file) } : {}),
      ...(o.changedBy ? { changedBy: o.changedBy.map(rel) } : {}),
    }));
    try {
      mkdirSync(this.cacheDir, { recursive: true });
      writeFileAtomic(path.join(this.cacheDir, `${key}.json`), JSON.stringify(stored));
    } catch {
      // a cache that cannot be written only costs speed
    }
  }
}

const versions = new Map<string, Promise<string | undefined>>();

/**
 * The kustomize version this kubectl ships: asked once per binary and process, and kept in the
 * tool's cache rather than the render cache, so a run with an empty render cache does not ask again.
 */
function versionOf(kubectl: KubectlBinary): Promise<string | undefined> {
  const key = `${kubectl.path}\0${kubectl.fingerprint}`;
  let version = versions.get(key);
  if (!version) {
    version = kustomizeVersion(kubectl, toolCacheDir('kubectl-versions'));
    versions.set(key, version);
  }
  return version;
}

/** Reads and removes the annotations the build added: member index, origin, transformers. */
function takeBuildMetadata(
  object: KubeObject,
  wrapper: string,
): { member: number; rendered: RenderedObject } {
  const annotations = object.metadata?.annotations ?? {};
  const member = Number(annotations[MEMBER] ?? 0);
  const origin =
    parseAnnotation<{ path?: string; configuredIn?: string; repo?: string }>(annotations[ORIGIN]) ?? {};
  const transformations =
    parseAnnotation<{ configuredIn?: string; configuredBy?: { kind?: string } }[]>(
      annotations[TRANSFORMATIONS],
    ) ?? [];
  delete annotations[MEMBER];
  delete annotations[ORIGIN];
  delete annotations[TRANSFORMATIONS];
  if (object.metadata?.annotations && Object.keys(annotations).length === 0)
    delete object.metadata.annotations;
  const rendered: RenderedObject = { object, generated: false };
  const changedBy = transformations
    .filter((t) => FIELD_SETTERS.has(t.configuredBy?.kind ?? '') && t.configuredIn)
    .map((t) => path.resolve(wrapper, t.configuredIn!));
  if (changedBy.length) rendered.changedBy = [...new Set(changedBy)];
  const rel = origin.repo ? undefined : (origin.path ?? origin.configuredIn);
  if (rel) {
    rendered.file = path.resolve(wrapper, rel);
    rendered.generated = !origin.path;
  }
  return { member, rendered };
}

function parseAnnotation<T>(raw: string | undefined): T | undefined {
  if (raw === undefined) return undefined;
  try {
    return (yaml.load(raw) as T) ?? undefined;
  } catch {
    return undefined;
  }
}

function withoutWrapperPaths(message: string, wrapper: string): string {
  return message
    .split(`${wrapper}/`)
    .join('')
    .split(wrapper)
    .join('.')
    .replace(/\bm\d+\/(member|kustomization)\.yaml/g, 'kustomization.yaml');
}
