import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { createLimiter } from './concurrency.ts';
import { findKubectl, runKustomize, type KubectlBinary } from './kubectl.ts';
import { kustomizationInputs } from './kustomization-inputs.ts';
import type { KubeObject } from './resource.ts';
import { parseYamlStream } from './yaml-stream.ts';

/** A rendered object and the repo file kustomize says it came from (a generator's kustomization file for generated ones). */
export interface RenderedObject {
  object: KubeObject;
  /** Absolute path of the defining file, or undefined when kustomize gave no origin. */
  file?: string;
  generated: boolean;
}

export type KustomizeResult = { ok: true; objects: RenderedObject[] } | { ok: false; message: string };

const ORIGIN = 'config.kubernetes.io/origin';
const CACHE_FORMAT = 1;

export interface RendererOptions {
  /** Directory for cached renders keyed by content; null disables the disk cache. */
  cacheDir?: string | null;
  concurrency?: number;
  kubectl?: KubectlBinary;
}

/**
 * Renders kustomizations with `kubectl kustomize`, as Argo CD does. Each build runs through a
 * throw-away wrapper kustomization that turns on `buildMetadata: [originAnnotations]`, which makes
 * kustomize annotate every object with the file that defined it; the annotation is read and removed.
 * Results are cached in memory per directory and on disk per content hash of every input file.
 */
export class KustomizeRenderer {
  private readonly memo = new Map<string, Promise<KustomizeResult>>();
  private readonly limit;
  private readonly kubectl: KubectlBinary;
  private readonly cacheDir: string | null;
  private wrapRoot: string | undefined;
  private wrapCount = 0;

  constructor(opts: RendererOptions = {}) {
    this.kubectl = opts.kubectl ?? findKubectl();
    this.limit = createLimiter(opts.concurrency);
    this.cacheDir = opts.cacheDir === undefined ? null : opts.cacheDir;
  }

  render(dir: string): Promise<KustomizeResult> {
    const abs = path.resolve(dir);
    let p = this.memo.get(abs);
    if (!p) {
      p = this.limit(() => this.renderUncached(abs));
      this.memo.set(abs, p);
    }
    return p;
  }

  /** Forget in-memory results (the files changed, e.g. during a promotion). */
  reset(): void {
    this.memo.clear();
  }

  dispose(): void {
    if (this.wrapRoot) rmSync(this.wrapRoot, { recursive: true, force: true });
    this.wrapRoot = undefined;
  }

  private async renderUncached(dir: string): Promise<KustomizeResult> {
    const key = this.cacheKey(dir);
    const cached = this.readCache(key);
    if (cached) return { ok: true, objects: cached };
    this.wrapRoot ??= mkdtempSync(path.join(tmpdir(), 'gitops-render-'));
    const wrapper = path.join(this.wrapRoot, `w${this.wrapCount++}`);
    mkdirSync(wrapper);
    const target = path.relative(wrapper, dir).split(path.sep).join('/');
    writeFileSync(
      path.join(wrapper, 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nbuildMetadata: [originAnnotations]\nresources:\n  - ${JSON.stringify(target)}\n`,
    );
    const out = await runKustomize(this.kubectl, wrapper);
    rmSync(wrapper, { recursive: true, force: true });
    if (!out.ok) return { ok: false, message: out.stderr.split(wrapper).join('<render>') };
    const objects: RenderedObject[] = [];
    for (const doc of parseYamlStream(out.stdout, dir)) {
      const object = doc.value as KubeObject;
      if (!object || typeof object !== 'object') continue;
      objects.push(takeOrigin(object, wrapper));
    }
    this.writeCache(key, objects);
    return { ok: true, objects };
  }

  private cacheKey(dir: string): string | null {
    if (!this.cacheDir) return null;
    const h = createHash('sha256');
    h.update(`${CACHE_FORMAT}\0${this.kubectl.fingerprint}\0${dir}\0`);
    for (const f of kustomizationInputs(dir)) {
      h.update(f);
      h.update('\0');
      try {
        h.update(readFileSync(f));
      } catch {
        h.update('<unreadable>');
      }
      h.update('\0');
    }
    return h.digest('hex');
  }

  private readCache(key: string | null): RenderedObject[] | undefined {
    if (!key || !this.cacheDir) return undefined;
    try {
      return JSON.parse(readFileSync(path.join(this.cacheDir, `${key}.json`), 'utf8')) as RenderedObject[];
    } catch {
      return undefined;
    }
  }

  private writeCache(key: string | null, objects: RenderedObject[]): void {
    if (!key || !this.cacheDir) return;
    try {
      mkdirSync(this.cacheDir, { recursive: true });
      const tmp = path.join(this.cacheDir, `${key}.${process.pid}.tmp`);
      writeFileSync(tmp, JSON.stringify(objects));
      renameSync(tmp, path.join(this.cacheDir, `${key}.json`));
    } catch {
      // a cache that cannot be written only costs speed
    }
  }
}

function takeOrigin(object: KubeObject, wrapper: string): RenderedObject {
  const annotations = object.metadata?.annotations;
  const raw = annotations?.[ORIGIN];
  if (!annotations || raw === undefined) return { object, generated: false };
  delete annotations[ORIGIN];
  if (Object.keys(annotations).length === 0) delete object.metadata!.annotations;
  let origin: { path?: string; configuredIn?: string; repo?: string } = {};
  try {
    origin = (yaml.load(raw) as typeof origin) ?? {};
  } catch {
    return { object, generated: false };
  }
  if (origin.repo) return { object, generated: false };
  const rel = origin.path ?? origin.configuredIn;
  if (!rel) return { object, generated: false };
  return { object, file: path.resolve(wrapper, rel), generated: !origin.path };
}
