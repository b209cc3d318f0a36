import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.ts';
import { kustomizationFile } from './kustomization-inputs.ts';
import type { KustomizeRenderer } from './kustomize-renderer.ts';
import type { Resource, KubeObject } from './resource.ts';
import type { SourceIndex } from './source-index.ts';
import { loadSourceDirectory } from './source-loader.ts';
import { parseYamlStream } from './yaml-stream.ts';

const MANIFEST = /\.(ya?ml|json)$/i;

/**
 * Loose manifests checked as one set without the app-of-apps walk (`validate --files`), like
 * `istioctl analyze --use-kube=false`: files, directories (recursively) or `-` for stdin. A
 * directory with a kustomization is rendered with kustomize, as Argo CD would render it: its
 * patches and components are not manifests of their own.
 */
export async function loadLooseFiles(
  paths: readonly string[],
  index: SourceIndex,
  readStdin: () => string,
  renderer: () => KustomizeRenderer,
): Promise<Resource[]> {
  const out: Resource[] = [];
  const add = (file: string, text: string) => {
    const docs = parseYamlStream(text, file);
    if (file !== '-') index.remember(file, text, docs);
    for (const doc of docs) {
      const v = doc.value as KubeObject & { items?: unknown[] };
      const items = v?.kind === 'List' && Array.isArray(v.items) ? (v.items as KubeObject[]) : [v];
      for (const object of items) out.push({ object, origin: { file, line: doc.line }, env: '', app: '' });
    }
  };
  for (const p of paths) {
    if (p === '-') {
      add('-', readStdin());
      continue;
    }
    let st;
    try {
      st = statSync(path.resolve(index.root, p));
    } catch {
      throw new InputError('no such file or directory', p, undefined, 'check the path given to --files');
    }
    const abs = path.resolve(index.root, p);
    if (st.isDirectory() && kustomizationFile(abs)) {
      const loaded = await loadSourceDirectory(abs, index, renderer());
      if (!loaded.ok)
        throw new InputError(
          loaded.message,
          loaded.file,
          undefined,
          'fix the kustomization, then validate again',
        );
      for (const { object, origin } of loaded.objects) out.push({ object, origin, env: '', app: '' });
    } else if (st.isDirectory()) {
      for (const f of walk(abs)) add(index.relative(f), readFileSync(f, 'utf8'));
    } else {
      add(index.relative(abs), readFileSync(abs, 'utf8'));
    }
  }
  return out;
}

function walk(dir: string): string[] {
  const files: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) files.push(...walk(full));
    else if (MANIFEST.test(e.name) && !/^kustomization\.ya?ml$/i.test(e.name)) files.push(full);
  }
  return files;
}
