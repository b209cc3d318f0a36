import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findKubectl } from '../../scripts/lib/repo/kubectl.ts';
import { KustomizeRenderer } from '../../scripts/lib/repo/kustomize-renderer.ts';
import { SourceIndex } from '../../scripts/lib/repo/source-index.ts';
import { fixtureRepo } from '../helpers/fixture-repo.ts';
import { MissingToolError } from '../../scripts/lib/errors.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function setup() {
  const fx = fixtureRepo('validate/clean');
  const cache = mkdtempSync(path.join(tmpdir(), 'render-cache-'));
  cleanups.push(fx.cleanup, () => rmSync(cache, { recursive: true, force: true }));
  return { dir: fx.dir, cache, overlay: path.join(fx.dir, 'workloads/web/overlays/dev') };
}

describe('KustomizeRenderer', () => {
  it('renders with the defining file of each object and strips the origin annotation', async () => {
    const { dir, overlay } = setup();
    const r = new KustomizeRenderer({ cacheDir: null });
    cleanups.push(() => r.dispose());
    const out = await r.render(overlay);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const files = out.objects.map((o) => [o.object.kind, path.relative(dir, o.file!)]);
    expect(files).toEqual([
      ['Service', 'workloads/web/base/service.yaml'],
      ['Deployment', 'workloads/web/base/deployment.yaml'],
    ]);
    const dep = out.objects[1]!.object as {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    expect(dep.spec.template.spec.containers[0]!.image).toBe('registry.example.test/web:1.4.0');
    expect(JSON.stringify(out.objects)).not.toContain('config.kubernetes.io/origin');
  });

  it('reuses the disk cache for unchanged inputs and re-renders when an input changes', async () => {
    const { overlay, cache } = setup();
    const real = new KustomizeRenderer({ cacheDir: cache });
    const first = await real.render(overlay);
    real.dispose();
    // A kubectl that always fails proves the second answer came from the cache.
    const broken = { path: '/bin/false', fingerprint: findKubectl().fingerprint };
    const cached = new KustomizeRenderer({ cacheDir: cache, kubectl: broken });
    expect(await cached.render(overlay)).toEqual(first);
    writeFileSync(
      path.join(overlay, '..', '..', 'base', 'service.yaml'),
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web2\n',
    );
    const changed = new KustomizeRenderer({ cacheDir: cache, kubectl: broken });
    expect((await changed.render(overlay)).ok).toBe(false);
    cached.dispose();
    changed.dispose();
  });

  it('takes the schema a kustomization names into its cache key', async () => {
    const fx = fixtureRepo('render/strategic-merge');
    const cache = mkdtempSync(path.join(tmpdir(), 'render-cache-'));
    cleanups.push(fx.cleanup, () => rmSync(cache, { recursive: true, force: true }));
    const dir = path.join(fx.dir, 'own-schema');
    const keys = async () => {
      const r = new KustomizeRenderer({ cacheDir: cache });
      const out = await r.render(dir);
      r.dispose();
      if (!out.ok) throw new Error(out.message);
      return (out.objects[0]!.object as { spec: { parts: { key: string }[] } }).spec.parts.map((p) => p.key);
    };
    expect(await keys()).toEqual(['b', 'a']);
    // Without the merge key the patch replaces the list: a cached answer would still say b, a.
    const schemaFile = path.join(dir, 'schemas', 'widget.json');
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
    const parts = schema.definitions['test.example.v1.Widget'].properties.spec.properties.parts;
    delete parts['x-kubernetes-patch-merge-key'];
    delete parts['x-kubernetes-patch-strategy'];
    writeFileSync(schemaFile, JSON.stringify(schema));
    expect(await keys()).toEqual(['b']);
  });

  it('holds a kubectl slot only while kubectl runs, so reading one output never holds back the next build', async () => {
    const { dir } = setup();
    const r = new KustomizeRenderer({ cacheDir: null, concurrency: 1 });
    // kubectl processes started when each batch's output is read.
    const startedWhenRead: number[] = [];
    type Reader = { readMembers(...args: unknown[]): unknown };
    const proto = KustomizeRenderer.prototype as unknown as Reader;
    const read = proto.readMembers;
    const spy = vi.spyOn(proto, 'readMembers').mockImplementation(function (this: Reader, ...args) {
      startedWhenRead.push(r.builds);
      return read.apply(this, args);
    });
    cleanups.push(
      () => r.dispose(),
      () => spy.mockRestore(),
    );
    // Two groups: two kubectl runs, which one slot makes take turns.
    const [dev, prod] = await Promise.all([
      r.render(path.join(dir, 'workloads/web/overlays/dev'), 'dev'),
      r.render(path.join(dir, 'workloads/web/overlays/prod'), 'prod'),
    ]);
    expect([dev.ok, prod.ok]).toEqual([true, true]);
    // The second kubectl had started before the first one's output was read.
    expect(startedWhenRead).toEqual([2, 2]);
  });

  it('says what a kustomize panic says, without its Go stack', async () => {
    const fx = fixtureRepo('render/strategic-merge', {
      'own-schema/schemas/widget.json': '{"definitions": {,}}',
    });
    cleanups.push(fx.cleanup);
    const r = new KustomizeRenderer({ cacheDir: null });
    cleanups.push(() => r.dispose());
    const out = await r.render(path.join(fx.dir, 'own-schema'));
    expect(out).toEqual({
      ok: false,
      message: expect.stringMatching(/^kustomize stopped: invalid schema file: /),
    });
    if (!out.ok) expect(out.message).not.toMatch(/goroutine|\.go:\d+/);
  });

  it('fails with one clear line when kubectl is not installed', () => {
    expect(() => findKubectl({ PATH: '/nonexistent' })).toThrow(MissingToolError);
    expect(() => findKubectl({ PATH: '/nonexistent' })).toThrow(/kubectl not found on PATH/);
  });
});

describe('SourceIndex', () => {
  it('finds the document of a prefixed name and the line of a field', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'index-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(
      path.join(dir, 'a.yaml'),
      '# header\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: two\ndata:\n  k: v\n',
    );
    const index = new SourceIndex(dir);
    const line = index.documentLine('a.yaml', { kind: 'ConfigMap', metadata: { name: 'dev-two-x7' } });
    expect(line).toBe(7);
    expect(index.lineOf({ file: 'a.yaml', line }, ['data', 'k'])).toBe(12);
    expect(index.lineOf({ file: 'a.yaml', line }, ['data', 'missing'])).toBe(11);
    expect(index.lineOf({ file: 'a.yaml', line: 2 }, ['metadata', 'name'])).toBe(5);
  });
});
