import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../cli/write-file-atomic.ts';
import type { ApplicationSource } from './application.ts';
import { sourcesOf } from './application.ts';
import { createLimiter } from './concurrency.ts';
import { findHelm, HELM_NOT_ON_PATH, runHelm, type HelmBinary } from './helm-binary.ts';
import { HelmChartCache, type ChartRef } from './helm-chart-cache.ts';
import {
  templateArgs,
  templateOptions,
  type ClusterCapabilities,
  type ResolvedFiles,
  type TemplateOptions,
} from './helm-template-args.ts';
import type { KubeObject } from './resource.ts';
import { sameRepo } from './settings.ts';
import { parseYamlStream } from './yaml-stream.ts';

/** A rendered chart object and the chart template helm says produced it (`# Source:`). */
export interface ChartObject {
  object: KubeObject;
  template?: string;
}

export type HelmSourceResult =
  | { ok: true; objects: ChartObject[] }
  | { ok: false; message: string }
  | { skipped: typeof HELM_NOT_ON_PATH };

export interface HelmRendererOptions {
  /** This repository: `$values/…` files of sources that point at it are read from here. */
  root: string;
  repoURL: string;
  /** Where helm is looked for, and the environment it runs in. */
  env?: NodeJS.ProcessEnv;
  /** Folder of pulled charts. Default: node_modules/.cache/helm-charts. */
  chartCacheDir: string;
  /** Folder of renders keyed by content; null turns it off. */
  renderCacheDir: string | null;
  concurrency?: number;
}

const CACHE_FORMAT = 1;

/**
 * Renders an Application's Helm chart source the way Argo CD's repo server does: the chart pulled
 * once into a cache keyed by repository, chart and version, value files resolved as Argo CD
 * resolves them (`$ref/…` from the source with that ref), then `helm template` with the arguments
 * of helm-template-args.ts. Renders are cached by the content of everything that goes into them.
 * Without helm every call answers `{ skipped }`, so callers can say what they did not look inside.
 */
export class HelmRenderer {
  readonly helm: HelmBinary | undefined;
  private readonly charts: HelmChartCache;
  private readonly env: NodeJS.ProcessEnv;
  private readonly limit;
  private readonly memo = new Map<string, Promise<HelmSourceResult>>();

  constructor(private readonly opts: HelmRendererOptions) {
    this.env = opts.env ?? process.env;
    this.helm = findHelm(this.env);
    this.charts = new HelmChartCache(opts.chartCacheDir, this.helm, this.env);
    this.limit = createLimiter(opts.concurrency);
  }

  /** The chart's folder when it is in the cache (a run with helm pulled it), helm or not; never pulls. */
  cachedChart(ref: ChartRef): string | undefined {
    return this.charts.cached(ref);
  }

  renderHelmSource(
    app: KubeObject,
    source: ApplicationSource,
    env: ClusterCapabilities,
  ): Promise<HelmSourceResult> {
    if (!this.helm) return Promise.resolve({ skipped: HELM_NOT_ON_PATH });
    const key = JSON.stringify([
      app.metadata?.name,
      app.spec,
      source,
      env.kubernetesVersion,
      env.apiVersions,
    ]);
    let p = this.memo.get(key);
    if (!p) {
      p = this.limit(() => this.render(app, source, env));
      this.memo.set(key, p);
    }
    return p;
  }

  private async render(
    app: KubeObject,
    source: ApplicationSource,
    env: ClusterCapabilities,
  ): Promise<HelmSourceResult> {
    const ref: ChartRef = {
      repoURL: source.repoURL ?? '',
      chart: source.chart ?? '',
      version: source.targetRevision ?? '',
    };
    let options: TemplateOptions;
    try {
      options = templateOptions(app, source, env);
    } catch (err) {
      return { ok: false, message: (err as Error).message };
    }
    const pulled = await this.charts.pull(ref);
    if (!pulled.ok) return pulled;
    const files = this.resolveFiles(app, options, pulled.dir);
    if ('message' in files) return { ok: false, ...files };
    const cacheKey = this.cacheKey(ref, options, files);
    const cached = this.readCache(cacheKey);
    if (cached) return { ok: true, objects: cached };
    const scratch = mkdtempSync(path.join(tmpdir(), 'helm-values-'));
    try {
      const resolved: ResolvedFiles = { ...files };
      if (options.extraValues) {
        resolved.extraValuesFile = path.join(scratch, 'values.yaml');
        writeFileSync(resolved.extraValuesFile, options.extraValues);
      }
      const out = await runHelm(this.helm!, templateArgs(pulled.dir, options, resolved), this.env);
      if (!out.ok)
        return {
          ok: false,
          message: out.stderr
            .trim()
            .split(scratch)
            .join('<values>')
            .replace(/^Error: /, ''),
        };
      const objects = parseChartOutput(out.stdout, `${ref.chart} ${ref.version} (helm template)`);
      this.writeCache(cacheKey, objects);
      return { ok: true, objects };
    } catch (err) {
      return { ok: false, message: (err as Error).message };
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  /** Value files and file parameters as Argo CD resolves them: `$ref/…` from the ref source, else inside the chart. */
  private resolveFiles(
    app: KubeObject,
    options: TemplateOptions,
    chartDir: string,
  ): Omit<ResolvedFiles, 'extraValuesFile'> | { message: string } {
    const refs = new Map<string, ApplicationSource>();
    for (const { source } of sourcesOf(app)) if (typeof source.ref === 'string') refs.set(source.ref, source);
    const resolve = (entry: string): string | { message: string } => {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry))
        return { message: `value file ${entry} is remote: charts render from files only, never downloaded` };
      if (/[*?[]/.test(entry))
        return { message: `value file pattern ${entry}: glob value files are not expanded by this tool` };
      const m = /^\$([^/]+)\/(.*)$/.exec(entry);
      const refSource = m ? refs.get(m[1]!) : undefined;
      if (m && refSource) {
        if (!sameRepo(refSource.repoURL ?? '', this.opts.repoURL))
          return {
            message: `value file ${entry} comes from ${refSource.repoURL}, which is not this repository and is not fetched`,
          };
        return (
          inside(this.opts.root, m[2]!) ?? { message: `value file ${entry} points outside the repository` }
        );
      }
      return inside(chartDir, entry) ?? { message: `value file ${entry} points outside the chart` };
    };
    const valueFiles: string[] = [];
    for (const entry of options.valueFiles) {
      const r = resolve(entry);
      if (typeof r !== 'string') return r;
      if (options.ignoreMissingValueFiles && !existsSync(r)) continue;
      if (!valueFiles.includes(r)) valueFiles.push(r);
    }
    const fileParameters: [string, string][] = [];
    for (const [name, entry] of options.fileParameters) {
      const r = resolve(entry);
      if (typeof r !== 'string') return r;
      fileParameters.push([name, r]);
    }
    return { valueFiles, fileParameters };
  }

  private cacheKey(ref: ChartRef, options: TemplateOptions, files: Omit<ResolvedFiles, 'extraValuesFile'>) {
    if (!this.opts.renderCacheDir) return null;
    const h = createHash('sha256');
    h.update(JSON.stringify([CACHE_FORMAT, this.helm!.fingerprint, ref, options]));
    for (const f of [...files.valueFiles, ...files.fileParameters.map(([, p]) => p)]) {
      h.update(`\0${f}\0`);
      try {
        h.update(readFileSync(f));
      } catch {
        h.update('<unreadable>');
      }
    }
    return h.digest('hex');
  }

  private readCache(key: string | null): ChartObject[] | undefined {
    if (!key) return undefined;
    try {
      return JSON.parse(
        readFileSync(path.join(this.opts.renderCacheDir!, `${key}.json`), 'utf8'),
      ) as ChartObject[];
    } catch {
      return undefined;
    }
  }

  private writeCache(key: string | null, objects: ChartObject[]): void {
    if (!key) return;
    try {
      mkdirSync(this.opts.renderCacheDir!, { recursive: true });
      writeFileAtomic(path.join(this.opts.renderCacheDir!, `${key}.json`), JSON.stringify(objects));
    } catch {
      // a cache that cannot be written only costs speed
    }
  }
}

/** `rel` under `base`, or undefined when it climbs out (Argo CD blocks traversal the same way). */
function inside(base: string, rel: string): string | undefined {
  const abs = path.resolve(base, rel.replace(/^\/+/, ''));
  return abs === base || abs.startsWith(base + path.sep) ? abs : undefined;
}

/** Splits `helm template` output into objects, keeping the `# Source:` template of each. */
export function parseChartOutput(text: string, label: string): ChartObject[] {
  const lines = text.split('\n');
  const out: ChartObject[] = [];
  for (const doc of parseYamlStream(text, label)) {
    const object = doc.value as KubeObject & { items?: unknown[] };
    if (!object || typeof object !== 'object' || Array.isArray(object)) continue;
    let template: string | undefined;
    for (let i = doc.line - 2; i >= 0 && !/^---(\s|$)/.test(lines[i]!); i--) {
      const m = /^# Source: (.+)$/.exec(lines[i]!.trim());
      if (m) template = m[1];
    }
    if (object.kind?.endsWith('List') && Array.isArray(object.items)) {
      for (const item of object.items)
        out.push({ object: item as KubeObject, ...(template ? { template } : {}) });
    } else out.push({ object, ...(template ? { template } : {}) });
  }
  return out;
}
