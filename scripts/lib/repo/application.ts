import type { KubeObject } from './resource.ts';

export interface ApplicationSource {
  repoURL?: string;
  path?: string;
  chart?: string;
  targetRevision?: string;
  ref?: string;
  helm?: { valueFiles?: string[]; releaseName?: string; [key: string]: unknown };
  directory?: { recurse?: boolean; include?: string; exclude?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface SourceEntry {
  source: ApplicationSource;
  /** JSON path of the source inside the Application, for line lookups. */
  fieldPath: (string | number)[];
}

export function isApplication(o: KubeObject): boolean {
  return (
    o.kind === 'Application' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('argoproj.io/')
  );
}

export function isAppProject(o: KubeObject): boolean {
  return (
    o.kind === 'AppProject' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('argoproj.io/')
  );
}

/** `spec.sources` when present (Argo CD then ignores `spec.source`), else `spec.source`. */
export function sourcesOf(app: KubeObject): SourceEntry[] {
  const spec = (app.spec ?? {}) as { source?: ApplicationSource; sources?: ApplicationSource[] };
  if (Array.isArray(spec.sources) && spec.sources.length > 0)
    return spec.sources.map((source, i) => ({ source: source ?? {}, fieldPath: ['spec', 'sources', i] }));
  if (spec.source) return [{ source: spec.source, fieldPath: ['spec', 'source'] }];
  return [];
}

export function projectOf(app: KubeObject): string {
  const p = (app.spec as { project?: unknown } | undefined)?.project;
  return typeof p === 'string' ? p : '';
}
