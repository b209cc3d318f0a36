import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { kustomizationFile } from '../repo/kustomization-inputs.ts';
import { overlayEnvironment } from '../repo/overlay-environment.ts';
import type { Repository } from '../repo/repository.ts';
import { appendTo } from '../collections/map-of-lists.ts';

/** A release pin: a value promotion moves between environments, and where it is written. */
export interface Pin {
  /** Stable identity across environments: `image:<name>` or `chart:<release-pins key>`. */
  key: string;
  kind: 'image' | 'chart';
  /** Image name or release-pins key, for messages. */
  name: string;
  value: string;
  /** Repo-relative file holding the value. */
  file: string;
  /** YAML path of the value inside that file. */
  path: (string | number)[];
  /** Applications the pin feeds. */
  apps: string[];
}

export const RELEASE_PINS = 'release-pins';

/**
 * The pins of an environment: `images:` entries (newTag or digest) in the kustomizations of the
 * folders the environment's Applications render under an `overlays/<env>` folder, and the data keys
 * of the `release-pins` ConfigMap (local-config) in those folders, copied into chart
 * targetRevisions by kustomize replacements. Everything else there is environment-specific and
 * never moves.
 */
export async function readPins(repo: Repository, env: string): Promise<Pin[]> {
  const render = await repo.render(env);
  const byDir = new Map<string, string[]>();
  for (const app of render.applications)
    for (const p of app.paths) if (isOverlayOf(p, env)) appendTo(byDir, p, app.name);
  const pins: Pin[] = [];
  for (const [dir, apps] of [...byDir].sort(([a], [b]) => a.localeCompare(b))) {
    const kfile = kustomizationFile(path.join(repo.root, dir));
    if (!kfile) continue;
    const rel = path.relative(repo.root, kfile).split(path.sep).join('/');
    const k = (yaml.load(readFileSync(kfile, 'utf8')) ?? {}) as Record<string, any>;
    ((k.images ?? []) as Record<string, any>[]).forEach((img, i) => {
      const field = img.digest !== undefined ? 'digest' : img.newTag !== undefined ? 'newTag' : undefined;
      if (!field || !img.name) return;
      pins.push({
        key: `image:${img.name}`,
        kind: 'image',
        name: img.name,
        value: String(img[field]),
        file: rel,
        path: ['images', i, field],
        apps,
      });
    });
    for (const res of (k.resources ?? []) as string[]) {
      const file = path.join(repo.root, dir, res);
      if (!/\.ya?ml$/.test(res) || !existsSync(file)) continue;
      const doc = yaml.load(readFileSync(file, 'utf8')) as Record<string, any> | undefined;
      if (doc?.kind !== 'ConfigMap' || doc.metadata?.name !== RELEASE_PINS) continue;
      const fileRel = path.relative(repo.root, file).split(path.sep).join('/');
      for (const [key, value] of Object.entries((doc.data ?? {}) as Record<string, unknown>)) {
        pins.push({
          key: `chart:${key}`,
          kind: 'chart',
          name: key,
          value: String(value),
          file: fileRel,
          path: ['data', key],
          apps: replacementTargets(withComponents(path.join(repo.root, dir), k), key),
        });
      }
    }
  }
  return pins;
}

/** The overlay's replacements together with those of the components it includes (the wiring lives there). */
function withComponents(dir: string, k: Record<string, any>): Record<string, any>[] {
  const out: Record<string, any>[] = [...((k.replacements ?? []) as Record<string, any>[])];
  for (const c of (k.components ?? []) as string[]) {
    const cfile = kustomizationFile(path.join(dir, c));
    if (!cfile) continue;
    const ck = (yaml.load(readFileSync(cfile, 'utf8')) ?? {}) as Record<string, any>;
    out.push(...withComponents(path.dirname(cfile), ck));
  }
  return out;
}

/** Applications whose fields a replacement fills from `release-pins` data.<key>. */
function replacementTargets(replacements: Record<string, any>[], key: string): string[] {
  const out: string[] = [];
  for (const r of replacements) {
    if (r.source?.name !== RELEASE_PINS || r.source?.fieldPath !== `data.${key}`) continue;
    for (const t of r.targets ?? []) if (t.select?.name) out.push(t.select.name);
  }
  return out;
}

/** `platform/web/overlays/prod` belongs to prod; a folder outside any `overlays/<env>` holds no pins. */
export function isOverlayOf(dir: string, env: string): boolean {
  return overlayEnvironment(dir) === env;
}
