import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { InputError } from '../errors.ts';
import { KustomizationClosures, kustomizationFile } from './kustomization-inputs.ts';
import type { KustomizeRenderer } from './kustomize-renderer.ts';
import { overlayEnvironment } from './overlay-environment.ts';
import type { KubeObject, Resource } from './resource.ts';
import type { SourceIndex } from './source-index.ts';
import {
  loadManifestFile,
  loadSourceDirectory,
  MANIFEST,
  syntaxProblems,
  type LoadedObject,
} from './source-loader.ts';
import type { SourceProblem } from './source-problem.ts';
import { readYamlStream } from './yaml-stream.ts';

/** Resources checked together: one environment's overlays, or everything when paths name none. */
export interface LooseSet {
  /** The environment the paths belong to (`…/overlays/<env>/…`), or '' for the rest. */
  name: string;
  resources: Resource[];
}

export interface LooseLoad {
  sets: LooseSet[];
  problems: SourceProblem[];
  /** Files read that hold no Kubernetes object (Helm values, chart folders, other YAML or JSON). */
  skipped: string[];
  /** Kubernetes objects found in all inputs (0 means nothing to check). */
  objects: number;
}

/**
 * Loose manifests checked without the app-of-apps walk (`validate --files`), like `istioctl analyze
 * --use-kube=false`, read as Argo CD and kustomize would: every directory with a kustomization is
 * rendered once as a root, wherever it sits in the tree, unless another kustomization of the tree
 * uses it (a base or component is checked through what uses it); files a kustomization owns are
 * never read on their own; Helm chart folders and YAML that is not a Kubernetes object are skipped.
 * A root under `overlays/<env>/` is checked with the others of that environment and with the
 * paths that name no environment, so dev and prod overlays of one app never meet in one set.
 */
export async function loadLooseFiles(
  paths: readonly string[],
  index: SourceIndex,
  readStdin: () => string,
  renderer: () => KustomizeRenderer,
): Promise<LooseLoad> {
  const plain: { file: string; objects: LoadedObject[] }[] = [];
  const roots: string[] = [];
  const problems: SourceProblem[] = [];
  const skipped: string[] = [];
  const addFile = (repoRel: string) => {
    // Each loose file is read once, by this run only: no copies needed.
    const loaded = loadManifestFile(repoRel, index, true);
    const objects = loaded.objects.filter((o) => isKubernetesObject(o.object));
    // A file that does not parse and names no kind anywhere is no manifest (JSON lines, a template).
    const manifest = objects.length > 0 || (loaded.problems.length > 0 && mentionsKind(index, repoRel));
    if (manifest) problems.push(...loaded.problems);
    else skipped.push(repoRel);
    plain.push({ file: repoRel, objects });
  };
  for (const p of paths) {
    if (p === '-') {
      const text = readStdin();
      index.remember('-', text, readYamlStream(text, '-'));
      problems.push(...syntaxProblems('-', index));
      plain.push({
        file: '-',
        objects: loadManifestFile('-', index).objects.filter((o) => isKubernetesObject(o.object)),
      });
      continue;
    }
    const abs = path.resolve(index.root, p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new InputError('no such file or directory', p, undefined, 'check the path given to --files');
    }
    if (st.isDirectory()) {
      const tree = discoverTree(abs);
      roots.push(...tree.roots);
      for (const f of tree.manifests) addFile(index.relative(f));
      skipped.push(...tree.charts.map((c) => `${index.relative(c)}/ (Helm chart)`));
    } else if (kustomizationFile(path.dirname(abs)) === abs) {
      roots.push(path.dirname(abs));
    } else {
      addFile(index.relative(abs));
    }
  }
  const byEnv = new Map<string, Resource[]>();
  const put = (env: string, objects: LoadedObject[]) => {
    const list = byEnv.get(env) ?? [];
    for (const { object, origin } of objects) list.push({ object, origin, env, app: '' });
    byEnv.set(env, list);
  };
  const rendered = await Promise.all(
    [...new Set(roots)].map(async (dir) => {
      const env = overlayEnvironment(index.relative(dir) + '/') ?? '';
      return { env, loaded: await loadSourceDirectory(dir, index, renderer(), {}, env) };
    }),
  );
  let objects = 0;
  for (const { env, loaded } of rendered) {
    problems.push(...loaded.problems);
    if (!loaded.ok) continue;
    objects += loaded.objects.length;
    put(env, loaded.objects);
  }
  for (const f of plain) {
    objects += f.objects.length;
    put(overlayEnvironment(f.file) ?? '', f.objects);
  }
  const shared = byEnv.get('') ?? [];
  const named = [...byEnv.keys()].filter((e) => e !== '').sort();
  const sets: LooseSet[] =
    named.length === 0
      ? [{ name: '', resources: shared }]
      : named.map((name) => ({
          name,
          resources: [...byEnv.get(name)!, ...shared.map((r) => ({ ...r, env: name }))],
        }));
  return { sets, problems, skipped, objects };
}

/**
 * Has the shape of a Kubernetes object, valid or not (a values file or package.json has not). An
 * IstioOperator is input to `istioctl install`, not applied to a cluster (Istio 1.24 removed the
 * in-cluster operator): like a values file, it is skipped.
 */
function isKubernetesObject(o: unknown): o is KubeObject {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return false;
  const { apiVersion, kind } = o as KubeObject;
  if (kind === 'IstioOperator' && String(apiVersion ?? '').startsWith('install.istio.io/')) return false;
  return typeof apiVersion === 'string' || typeof kind === 'string';
}

function mentionsKind(index: SourceIndex, repoRel: string): boolean {
  try {
    return /^\s*(-\s+)?["']?kind["']?\s*:/m.test(readFileSync(path.resolve(index.root, repoRel), 'utf8'));
  } catch {
    return true;
  }
}

interface Tree {
  roots: string[];
  manifests: string[];
  charts: string[];
}

/** The kustomize roots, loose manifest files and Helm chart folders of a directory tree. */
function discoverTree(top: string): Tree {
  const kustomizations: string[] = [];
  const files: string[] = [];
  const charts: string[] = [];
  const visit = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    if (entries.some((e) => e.isFile() && e.name === 'Chart.yaml')) {
      charts.push(dir);
      return;
    }
    if (kustomizationFile(dir)) kustomizations.push(dir);
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) visit(full);
      else if (e.isFile() && MANIFEST.test(e.name)) files.push(full);
    }
  };
  visit(top);
  const owned = new Set<string>();
  const usedByOthers = new Set<string>();
  const closures = new KustomizationClosures();
  for (const k of kustomizations) {
    for (const f of closures.of(k).inputs) {
      owned.add(f);
      const d = path.dirname(f);
      if (d !== k) usedByOthers.add(d);
    }
  }
  const roots = kustomizations.filter((k) => !usedByOthers.has(k) && !isComponent(k));
  return { roots, manifests: files.filter((f) => !owned.has(f)), charts };
}

/** A `kind: Component` kustomization cannot be built alone; what includes it renders it. */
function isComponent(dir: string): boolean {
  try {
    const k = yaml.load(readFileSync(kustomizationFile(dir)!, 'utf8')) as { kind?: string } | null;
    return k?.kind === 'Component';
  } catch {
    return false;
  }
}
