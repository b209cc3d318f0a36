import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../scripts/lib/errors.ts';
import { findKubectl, runKustomize } from '../../scripts/lib/repo/kubectl.ts';
import { KUSTOMIZE_SCHEMA_FILE, schemaFromBundle } from '../../scripts/lib/repo/kustomize-builtin-schema.ts';
import { KustomizeRenderer } from '../../scripts/lib/repo/kustomize-renderer.ts';
import type { KubeObject } from '../../scripts/lib/repo/resource.ts';
import { FIXTURES } from '../helpers/fixture-repo.ts';
import { standInProgram } from '../helpers/stand-in.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

type Schema = Record<string, any>;

describe('the vendored kustomize built-in schema', () => {
  const doc = JSON.parse(readFileSync(KUSTOMIZE_SCHEMA_FILE, 'utf8')) as Schema;

  it('is the 618 definitions of Kubernetes v1.21.2 with their merge keys, and says where they came from', () => {
    expect(Object.keys(doc.definitions)).toHaveLength(618);
    expect(doc.info).toMatchObject({ version: 'v1.21.2', license: { name: 'Apache-2.0' } });
    expect(doc.info.description).toMatch(/kubernetes-sigs\/kustomize .*bundle-v1\.json\.gz/);
    expect(doc.definitions['io.k8s.api.core.v1.PodSpec'].properties.containers).toEqual({
      type: 'array',
      items: { $ref: '#/definitions/io.k8s.api.core.v1.Container' },
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    });
    expect(doc.definitions['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', kind: 'Deployment', version: 'v1' },
    ]);
  });

  it('has no schema descriptions, and keeps fields that are called "description"', () => {
    const described: string[] = [];
    const walk = (s: unknown, at: string) => {
      if (!s || typeof s !== 'object') return;
      if (typeof (s as Schema).description === 'string') described.push(at);
      for (const [k, v] of Object.entries(s as Schema))
        if (k === 'properties') for (const [name, p] of Object.entries(v as Schema)) walk(p, `${at}.${name}`);
        else if (k === 'items' || k === 'additionalProperties') walk(v, `${at}[]`);
    };
    for (const [name, s] of Object.entries(doc.definitions)) walk(s, name);
    expect(described).toEqual([]);
    const props = doc.definitions['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps'];
    expect(props.properties.description).toEqual({ type: 'string' });
  });

  it('is made from kustomize’s bundle, and refuses a bundle of another Kubernetes version', () => {
    const bundle = {
      formatVersion: 1,
      coverage: { floor: 'v1.21.2', ceiling: 'v1.21.2' },
      sources: [{ kubernetesVersion: 'v1.21.2', sha256: 'abc' }],
      definitions: {
        'x.Widget': {
          description: 'dropped',
          type: 'object',
          properties: {
            description: { description: 'dropped too', type: 'string' },
            parts: {
              type: 'array',
              items: { description: 'and this', type: 'object' },
              'x-kubernetes-patch-merge-key': 'key',
            },
          },
        },
      },
    };
    expect(JSON.parse(schemaFromBundle(bundle, 'b.json.gz')).definitions).toEqual({
      'x.Widget': {
        type: 'object',
        properties: {
          description: { type: 'string' },
          parts: { type: 'array', items: { type: 'object' }, 'x-kubernetes-patch-merge-key': 'key' },
        },
      },
    });
    const other = { ...bundle, sources: [{ kubernetesVersion: 'v1.36.2', sha256: 'abc' }] };
    expect(() => schemaFromBundle(other, 'b.json.gz')).toThrow(InputError);
    expect(() => schemaFromBundle(other, 'b.json.gz')).toThrow(
      /^b\.json\.gz: not kustomize's single-source v1\.21\.2/,
    );
  });
});

describe('rendering with the vendored schema', () => {
  const kubectl = findKubectl();
  const fixture = path.join(FIXTURES, 'render', 'strategic-merge');

  /** What `kubectl kustomize` prints for the folder on its own, as Argo CD builds it. */
  async function alone(dir: string): Promise<KubeObject[]> {
    const out = await runKustomize(kubectl, dir);
    expect(out.stderr).toBe('');
    return yaml.loadAll(out.stdout) as KubeObject[];
  }

  /** A kubectl that keeps a copy of each kustomization it builds, then runs the real one. */
  function recordingKubectl(): { kubectl: typeof kubectl; built: () => string[] } {
    const {
      dir,
      path: script,
      remove,
    } = standInProgram(
      'kubectl',
      (d) =>
        `#!/bin/sh\nif [ "$1" = kustomize ]; then cat "$2/kustomization.yaml" > "${d}/built.$$"; fi\nexec "${kubectl.path}" "$@"\n`,
    );
    cleanups.push(remove);
    return {
      kubectl: { path: script, fingerprint: `recorder:${dir}` },
      built: () =>
        readdirSync(dir)
          .filter((f) => f.startsWith('built.'))
          .map((f) => readFileSync(path.join(dir, f), 'utf8')),
    };
  }

  it('builds what kustomize builds alone: strategic merges by the vendored schema, a folder’s own schema by itself', async () => {
    const recorder = recordingKubectl();
    const r = new KustomizeRenderer({ cacheDir: null, kubectl: recorder.kubectl });
    cleanups.push(() => r.dispose());
    const overlay = path.join(fixture, 'overlay');
    const ownSchema = path.join(fixture, 'own-schema');
    // Asked for together, as one step of the walk asks for an environment's folders.
    const [a, b] = await Promise.all([r.render(overlay, 'env'), r.render(ownSchema, 'env')]);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.objects.map((o) => o.object)).toEqual(await alone(overlay));
    expect(b.objects.map((o) => o.object)).toEqual(await alone(ownSchema));
    // The folder with a schema of its own was built on its own, without the vendored one.
    const builds = recorder.built();
    expect(builds).toHaveLength(2);
    expect(builds.filter((k) => k.includes('openapi:\n  path: kubernetes-openapi.json'))).toHaveLength(1);
  });

  it('would build something else with a schema that lacks the merge keys (the fixture depends on them)', async () => {
    const wrapper = tempDir('schema-wrapper-');
    mkdirSync(path.join(wrapper, 'm0'));
    cpSync(path.join(fixture), path.join(wrapper, 'fx'), { recursive: true });
    writeFileSync(path.join(wrapper, 'm0', 'kustomization.yaml'), 'resources:\n  - ../fx/overlay\n');
    const empty = { swagger: '2.0', info: { title: 't', version: 'v' }, paths: {}, definitions: {} };
    writeFileSync(path.join(wrapper, 'empty.json'), JSON.stringify(empty));
    writeFileSync(
      path.join(wrapper, 'kustomization.yaml'),
      'openapi:\n  path: empty.json\nresources:\n  - m0\n',
    );
    const withoutKeys = yaml.loadAll((await runKustomize(kubectl, wrapper)).stdout);
    expect(withoutKeys).not.toEqual(await alone(path.join(fixture, 'overlay')));
  });
});
