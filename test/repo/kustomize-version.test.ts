import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Executable } from '../../scripts/lib/repo/executable.ts';
import { MissingToolError } from '../../scripts/lib/errors.ts';
import {
  kustomizeVersion,
  requireKustomize,
  usesVendoredSchema,
} from '../../scripts/lib/repo/kustomize-version.ts';
import { standInProgram } from '../helpers/stand-in.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A stand-in kubectl running `body` for `version --client -o json`, counting its runs in `runs`. */
function standIn(body: string): { kubectl: Executable; runs: () => number; dir: string } {
  const {
    dir,
    path: script,
    remove,
  } = standInProgram('kubectl', (d) => `#!/bin/sh\necho run >> "${d}/runs"\n${body}\n`);
  cleanups.push(remove);
  return {
    kubectl: { path: script, fingerprint: `${script}:1:1` },
    runs: () => {
      try {
        return readFileSync(path.join(dir, 'runs'), 'utf8').split('\n').filter(Boolean).length;
      } catch {
        return 0;
      }
    },
    dir,
  };
}

describe('kustomizeVersion', () => {
  it('reads the version kubectl embeds; kustomize 5 takes the vendored schema, others keep their own', async () => {
    const v5 = standIn(`echo '{"clientVersion":{},"kustomizeVersion":"v5.5.0"}'`);
    expect(await kustomizeVersion(v5.kubectl, null)).toBe('v5.5.0');
    const v4 = standIn(`echo '{"kustomizeVersion":"v4.5.7"}'`);
    expect(await kustomizeVersion(v4.kubectl, null)).toBe('v4.5.7');
    expect(usesVendoredSchema('v5.0.4-0.20230601165947-6ce0bf390ce3')).toBe(true);
    expect(usesVendoredSchema('v5.8.1')).toBe(true);
    expect(usesVendoredSchema('v4.5.7')).toBe(false);
    expect(usesVendoredSchema('v6.0.0')).toBe(false);
    expect(usesVendoredSchema(undefined)).toBe(false);
  });

  it('is undefined when kubectl fails or does not say', async () => {
    expect(await kustomizeVersion(standIn('exit 1').kubectl, null)).toBeUndefined();
    expect(await kustomizeVersion(standIn('echo not json').kubectl, null)).toBeUndefined();
    expect(await kustomizeVersion(standIn(`echo '{"clientVersion":{}}'`).kubectl, null)).toBeUndefined();
  });

  it('asks a binary once per cache folder, and asks again after a failure', async () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'version-cache-'));
    cleanups.push(() => rmSync(cache, { recursive: true, force: true }));
    const v5 = standIn(`echo '{"kustomizeVersion":"v5.5.0"}'`);
    expect(await kustomizeVersion(v5.kubectl, cache)).toBe('v5.5.0');
    expect(await kustomizeVersion(v5.kubectl, cache)).toBe('v5.5.0');
    expect(v5.runs()).toBe(1);
    // Another binary (a new fingerprint) at the same path is asked again.
    expect(await kustomizeVersion({ ...v5.kubectl, fingerprint: 'replaced' }, cache)).toBe('v5.5.0');
    expect(v5.runs()).toBe(2);
    const failing = standIn('exit 1');
    expect(await kustomizeVersion(failing.kubectl, cache)).toBeUndefined();
    expect(await kustomizeVersion(failing.kubectl, cache)).toBeUndefined();
    expect(failing.runs()).toBe(2);
    expect(readdirSync(cache)).toHaveLength(2);
  });
});

describe('requireKustomize', () => {
  const kubectl = { path: '/opt/kubectl', fingerprint: 'f' };
  it('lets kustomize 5.4.2 and later through, and a kubectl that does not say', () => {
    for (const v of ['v5.4.2', 'v5.5.0', 'v5.10.0', 'v6.0.0', undefined, 'unknown'])
      expect(() => requireKustomize(kubectl, v)).not.toThrow();
  });
  it('refuses older ones with what to install', () => {
    for (const v of ['v5.4.1', 'v5.0.4-0.20230601165947-6ce0bf390ce3', 'v5.0.1', 'v4.5.7'])
      expect(() => requireKustomize(kubectl, v)).toThrow(MissingToolError);
    expect(() => requireKustomize(kubectl, 'v5.0.1')).toThrow(
      '/opt/kubectl ships kustomize v5.0.1, older than the v5.4.2 these kustomizations need',
    );
  });
});
