import { afterEach, describe, expect, it } from 'vitest';
import { MissingToolError } from '../../scripts/lib/errors.ts';
import { openRepository } from '../../scripts/lib/repo/repository.ts';
import { fixtureRepo, renderCache } from '../helpers/fixture-repo.ts';
import { standInProgram } from '../helpers/stand-in.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function renderWith(overrides: Record<string, string | null>, env = 'dev') {
  const fx = fixtureRepo('validate/clean', overrides);
  cleanups.push(fx.cleanup);
  const repo = await openRepository(fx.dir, { cacheDir: renderCache() });
  cleanups.push(() => repo.dispose());
  return repo.render(env);
}

const app = (name: string, body: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  project: platform
${body}
  destination:
    server: https://kubernetes.default.svc
    namespace: web
`;
const REPO = 'https://git.example.test/platform/fixture.git';

describe('renderEnvironment', () => {
  it('builds the folder the root Application names in the same kubectl run as the root', async () => {
    const fx = fixtureRepo('validate/clean', {
      'apps/dev/kustomization.yaml': 'resources:\n  - web.yaml\n  - cache.yaml\n',
      // Named by a file of the root too, but neither a folder nor this repository's: left alone.
      'clusters/dev/others.yaml': [
        app('elsewhere', `  source:\n    repoURL: https://git.example.test/other.git\n    path: apps/dev`),
        app('nowhere', `  source:\n    repoURL: ${REPO}\n    path: apps/none`),
      ].join('---\n'),
      'clusters/dev/kustomization.yaml': 'resources:\n  - project.yaml\n  - root.yaml\n',
    });
    cleanups.push(fx.cleanup);
    const repo = await openRepository(fx.dir, { cacheDir: null });
    cleanups.push(() => repo.dispose());
    const r = await repo.render('dev');
    expect(r.findings).toEqual([]);
    expect(r.applications.map((a) => a.name)).toEqual(['cache', 'root', 'web']);
    expect(r.resources.map((x) => x.object.kind).sort()).toEqual([
      'AppProject',
      'Application',
      'Application',
      'Application',
      'Deployment',
      'Service',
    ]);
    // clusters/dev with apps/dev, then the web overlay: two runs, not three.
    expect(repo.renderer.builds).toBe(2);
  });

  it('stops with MissingToolError when kubectl ships a kustomize too old, leaving no render unhandled', async () => {
    const fx = fixtureRepo('validate/clean', {
      'apps/dev/kustomization.yaml': 'resources:\n  - web.yaml\n  - cache.yaml\n',
    });
    const kubectl = standInProgram(
      'kubectl',
      () =>
        `#!/bin/sh\nif [ "$1" = version ]; then echo '{"kustomizeVersion":"v5.0.1"}'; exit 0; fi\nexit 1\n`,
    );
    cleanups.push(fx.cleanup, kubectl.remove);
    const repo = await openRepository(fx.dir, {
      cacheDir: null,
      renderer: { kubectl: { path: kubectl.path, fingerprint: `old:${fx.dir}` } },
    });
    cleanups.push(() => repo.dispose());
    // The root and the folder its Application names (asked for ahead) both reject: only one is awaited.
    await expect(repo.render('dev')).rejects.toThrow(MissingToolError);
    await expect(repo.render('dev')).rejects.toThrow(/ships kustomize v5\.0\.1, older than the v5\.4\.2/);
    expect(repo.renderer.builds).toBe(0);
  });

  it('walks roots, children and their kustomize output with origins', async () => {
    const r = await renderWith({});
    expect(r.findings).toEqual([]);
    expect(r.applications.map((a) => [a.name, a.parent])).toEqual([
      ['cache', 'root'],
      ['root', ''],
      ['web', 'root'],
    ]);
    const dep = r.resources.find((x) => x.object.kind === 'Deployment')!;
    expect(dep.app).toBe('web');
    // The overlay's `images:` set the tag: findings about the image can point there.
    expect(dep.origin).toEqual({
      file: 'workloads/web/base/deployment.yaml',
      line: 2,
      changedBy: ['workloads/web/overlays/dev/kustomization.yaml'],
    });
    expect(dep.object.metadata?.annotations).toBeUndefined();
    expect(r.charts).toEqual([
      {
        app: 'cache',
        repoURL: 'https://charts.example.test',
        chart: 'cache',
        version: '1.2.3',
        // No helm.releaseName: Argo CD names the release after the Application.
        releaseName: 'cache',
        valueFiles: [{ ref: '$values/values/cache.yaml', file: 'values/cache.yaml' }],
        // The tests run without helm (vitest.config.ts): the chart is recorded, not rendered.
        notRendered: 'helm not on PATH',
      },
    ]);
  });

  it('reports a source path that does not exist, at the path line', async () => {
    const r = await renderWith({
      'apps/dev/web.yaml': app(
        'web',
        `  source:\n    repoURL: ${REPO}\n    targetRevision: main\n    path: workloads/nope`,
      ),
    });
    expect(r.findings).toMatchObject([
      { rule: 'walk/missing-source-path', file: 'apps/dev/web.yaml', line: 11 },
    ]);
  });

  it('reports a cycle', async () => {
    const r = await renderWith({
      'apps/dev/loop.yaml': app(
        'loop',
        `  source:\n    repoURL: ${REPO}\n    targetRevision: main\n    path: apps/dev`,
      ),
    });
    expect(r.findings.map((f) => f.rule)).toContain('walk/cycle');
    expect(r.findings.find((f) => f.rule === 'walk/cycle')!.message).toMatch(
      /argocd\/root → argocd\/loop → argocd\/root|loop → .*loop/,
    );
  });

  it('reports a missing and an unparsable value file', async () => {
    const r = await renderWith({ 'values/cache.yaml': null });
    expect(r.findings).toMatchObject([{ rule: 'walk/helm-values', file: 'apps/dev/cache.yaml', line: 16 }]);
    const r2 = await renderWith({ 'values/cache.yaml': 'a: [1\n' });
    expect(r2.findings[0]!.message).toMatch(/not valid YAML/);
  });

  it('reports an unknown repository and a missing project', async () => {
    const r = await renderWith({
      'apps/dev/web.yaml': app(
        'web',
        `  source:\n    repoURL: https://elsewhere.test/x.git\n    path: a`,
      ).replace('project: platform', 'project: ghost'),
    });
    expect(r.findings.map((f) => f.rule).sort()).toEqual(['walk/missing-project', 'walk/unknown-repo']);
  });

  it('reports a chart from an undeclared chart repository', async () => {
    const r = await renderWith({
      'apps/dev/cache.yaml': app(
        'cache',
        `  source:\n    repoURL: https://other-charts.test\n    chart: x\n    targetRevision: 1.0.0`,
      ),
    });
    expect(r.findings).toMatchObject([{ rule: 'walk/unknown-repo' }]);
  });

  it('reports a duplicate Application', async () => {
    const r = await renderWith({
      'apps/dev/web2.yaml': app(
        'web',
        `  source:\n    repoURL: ${REPO}\n    path: workloads/web/overlays/dev`,
      ),
    });
    expect(r.findings.map((f) => f.rule)).toEqual(['walk/duplicate-application']);
  });

  it('loads a plain directory recursively only with directory.recurse', async () => {
    const plain = (recurse: boolean) =>
      app(
        'plain',
        `  source:\n    repoURL: ${REPO}\n    path: plain\n    directory:\n      recurse: ${recurse}`,
      );
    const files = {
      'plain/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
      'plain/sub/b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n',
    };
    const flat = await renderWith({ ...files, 'apps/dev/plain.yaml': plain(false) });
    expect(flat.resources.filter((r) => r.app === 'plain').map((r) => r.object.metadata?.name)).toEqual([
      'a',
    ]);
    const deep = await renderWith({ ...files, 'apps/dev/plain.yaml': plain(true) });
    expect(deep.resources.filter((r) => r.app === 'plain').map((r) => r.object.metadata?.name)).toEqual([
      'a',
      'b',
    ]);
  });

  it('points a missing path at the kustomization line that lists it; the failed build follows from it', async () => {
    const r = await renderWith({
      'workloads/web/overlays/dev/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../missing\n',
    });
    expect(r.findings).toMatchObject([
      {
        rule: 'render/missing-file',
        file: 'workloads/web/overlays/dev/kustomization.yaml',
        line: 4,
        message: 'resources lists "../../missing", which does not exist',
        followers: [{ rule: 'render/kustomize', file: 'workloads/web/overlays/dev/kustomization.yaml' }],
      },
    ]);
    // kustomize's own message, without klog's prefix or the throw-away wrapper's paths.
    const build = r.findings[0]!.followers![0]!.message;
    expect(build).toMatch(/missing/);
    expect(build).not.toMatch(/gitops-render-|run\.go|E\d{4}|\/tmp\//);
  });

  it('reports a kustomization that does not build with kustomize’s own message, cleaned', async () => {
    const r = await renderWith({
      'workloads/web/overlays/dev/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../base\nnamePrefixx: a-\n',
    });
    expect(r.findings).toMatchObject([
      { rule: 'render/kustomize', file: 'workloads/web/overlays/dev/kustomization.yaml', line: 5 },
    ]);
    expect(r.findings[0]!.message).toMatch(/unknown field "namePrefixx"/);
  });

  it('reports broken YAML inside a kustomization at its file, line and column, and keeps walking', async () => {
    const r = await renderWith({
      'workloads/web/base/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [web\n',
    });
    expect(r.findings).toMatchObject([
      {
        rule: 'yaml/syntax',
        file: 'workloads/web/base/service.yaml',
        line: 4,
        column: 13,
        followers: [{ rule: 'render/kustomize' }],
      },
    ]);
    expect(r.findings[0]!.message).toMatch(/^invalid YAML: /);
    // The other Applications of the environment are still rendered and checked.
    expect(r.applications.map((a) => a.name)).toEqual(['cache', 'root', 'web']);
  });

  it('reports an environment declared without a folder', async () => {
    const r = await renderWith({ 'clusters/prod': null }, 'prod');
    expect(r.findings).toMatchObject([{ rule: 'walk/environment-folder', file: 'clusters/settings.yaml' }]);
  });
});
