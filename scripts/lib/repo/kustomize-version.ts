import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../cli/write-file-atomic.ts';
import { MissingToolError } from '../errors.ts';
import type { Executable } from './executable.ts';

/**
 * The oldest kustomize that builds this repository's kustomizations as Argo CD 3.3 (kustomize 5.8.1)
 * does: with kustomize 5.0 (kubectl 1.27 to 1.30) the workloads' nested components fail ("nothing
 * selected by ConfigMap/service:data.name"); 5.4.2 (kubectl 1.31) and later build them alike.
 */
export const MINIMUM_KUSTOMIZE = 'v5.4.2';
export const MINIMUM_KUBECTL = '1.31';

/**
 * The kustomize version a kubectl embeds (`v5.5.0`), or undefined when it does not say. With a
 * `cacheDir` the answer is kept there, keyed by the binary's fingerprint, and asked once per binary.
 */
export async function kustomizeVersion(
  kubectl: Executable,
  cacheDir: string | null,
): Promise<string | undefined> {
  const key = `${kubectl.path}\0${kubectl.fingerprint}`;
  const file = cacheDir
    ? path.join(
        cacheDir,
        `kustomize-version-${createHash('sha256').update(key).digest('hex').slice(0, 24)}.json`,
      )
    : undefined;
  if (file) {
    try {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as { version?: string };
      if (typeof stored.version === 'string') return stored.version;
    } catch {
      // not asked yet with this cache
    }
  }
  const version = await new Promise<string | undefined>((resolve) =>
    execFile(kubectl.path, ['version', '--client', '-o', 'json'], { timeout: 30_000 }, (error, stdout) => {
      if (error) return resolve(undefined);
      try {
        const v = (JSON.parse(stdout) as { kustomizeVersion?: unknown }).kustomizeVersion;
        resolve(typeof v === 'string' && v ? v : undefined);
      } catch {
        resolve(undefined);
      }
    }),
  );
  // Only an answer is kept: a kubectl that failed to say is asked again next run.
  if (file && version) {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileAtomic(file, JSON.stringify({ version }));
    } catch {
      // a cache that cannot be written only costs speed
    }
  }
  return version;
}

/**
 * Does this kustomize use the vendored v1.21.2 definitions as its built-in schema? Every kustomize 5
 * release does (kyaml's DefaultOpenAPI is "v1.21.2" from v5.0.0 to v5.8.1, with the byte-identical
 * swagger.pb); for any other version, or none, the builds keep kustomize's own.
 */
export function usesVendoredSchema(version: string | undefined): boolean {
  return version !== undefined && /^v5\.\d+\.\d+/.test(version);
}

/** `v5.4.2`, `v5.0.4-0.20230601165947-6ce0bf390ce3` → [5, 4, 2]; undefined when it is no version. */
function versionParts(version: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/**
 * Refuses a kustomize older than MINIMUM_KUSTOMIZE, which would report render errors Argo CD does
 * not have (or render differently): the checks stop rather than cry wolf. A kubectl that does not
 * say its kustomize version is let through, as before the version was asked.
 */
export function requireKustomize(kubectl: Executable, version: string | undefined): void {
  const have = version === undefined ? undefined : versionParts(version);
  const need = versionParts(MINIMUM_KUSTOMIZE)!;
  if (!have) return;
  for (let i = 0; i < 3; i++) {
    if (have[i]! > need[i]!) return;
    if (have[i]! < need[i]!)
      throw new MissingToolError(
        `${kubectl.path} ships kustomize ${version}, older than the ${MINIMUM_KUSTOMIZE} these kustomizations need (Argo CD 3.3 renders with kustomize 5.8.1)`,
        `install kubectl ${MINIMUM_KUBECTL} or later (https://kubernetes.io/docs/tasks/tools/), or set KUBECTL to one`,
      );
  }
}
