import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  chartsNotRenderedNotice,
  appsWithChartsNotRendered,
} from '../../scripts/lib/repo/helm-not-rendered.ts';
import { openRepository } from '../../scripts/lib/repo/repository.ts';
import { fakeHelm, type FakeHelmOptions } from '../helpers/fake-helm.ts';
import { fixtureRepo } from '../helpers/fixture-repo.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const CHART = {
  'Chart.yaml': 'apiVersion: v2\nname: cache\nversion: 1.2.3\n',
  'values.yaml': 'replicas: 1\nimage:\n  tag: "7.2"\n',
};
const OUTPUT = `---
# Source: cache/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: cache
  namespace: web
spec:
  ports:
    - name: redis
      port: 6379
---
# Source: cache/templates/statefulset.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cache
  namespace: web
spec:
  serviceName: cache
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec:
      containers:
        - name: redis
          image: redis:7.2
`;

// One fixture copy and one render cache for the file: kustomize renders the same folders once.
let shared: { dir: string; cleanup(): void };
let renderCache: string;
beforeAll(() => {
  shared = fixtureRepo('validate/clean');
  renderCache = mkdtempSync(path.join(tmpdir(), 'helm-test-render-'));
});
afterAll(() => {
  shared.cleanup();
  rmSync(renderCache, { recursive: true, force: true });
});

/** A fake helm with its own chart cache (renders of another fake never match: the key holds helm's path). */
function setup(opts: FakeHelmOptions = {}, overrides?: Record<string, string | null>) {
  const fx = overrides ? fixtureRepo('validate/clean', overrides) : undefined;
  const helm = fakeHelm({ output: OUTPUT, charts: { cache: CHART }, ...opts });
  const charts = mkdtempSync(path.join(tmpdir(), 'helm-charts-'));
  cleanups.push(helm.cleanup, () => rmSync(charts, { recursive: true, force: true }));
  if (fx) cleanups.push(fx.cleanup);
  const dir = fx?.dir ?? shared.dir;
  const open = (env: NodeJS.ProcessEnv = helm.env) =>
    openRepository(dir, { cacheDir: renderCache, chartCacheDir: charts, env });
  return { dir, helm, open };
}

describe('Helm chart sources rendered with helm template (fake helm on PATH)', () => {
  it('puts the chart output among the Application’s resources, pointing at its chart source', async () => {
    const { dir, helm, open } = setup();
    const repo = await open();
    const r = await repo.render('dev');
    repo.dispose();
    expect(r.findings).toEqual([]);
    const fromChart = r.resources.filter((x) => x.app === 'cache');
    expect(fromChart.map((x) => `${x.object.kind}/${x.object.metadata?.name}`)).toEqual([
      'Service/cache',
      'StatefulSet/cache',
    ]);
    expect(fromChart[0]!.origin).toEqual({ file: 'apps/dev/cache.yaml', line: 12 });
    expect(r.charts[0]!.notRendered).toBeUndefined();
    const [pull, template] = helm.calls();
    expect(pull!.slice(0, 1)).toEqual(['pull']);
    expect(pull).toContain('--repo');
    expect(pull!.slice(-2)).toEqual(['cache', '--untar']);
    // The chart from the cache, the release named after the Application, the $values file from this repo.
    expect(template!.slice(0, 2)).toEqual([
      'template',
      expect.stringMatching(/\/cache-1\.2\.3-[0-9a-f]{12}\/cache$/),
    ]);
    expect(template!.slice(2)).toEqual([
      '--name-template',
      'cache',
      '--namespace',
      'web',
      // The environment's Kubernetes version (clusters/settings.yaml, default the newest described),
      // as Argo CD passes the cluster's own.
      '--kube-version',
      '1.36',
      '--values',
      path.join(dir, 'values/cache.yaml'),
      '--include-crds',
    ]);
  });

  it('passes the environment’s Kubernetes version and API versions from clusters/settings.yaml', async () => {
    const { helm, open } = setup(
      {},
      {
        'clusters/settings.yaml': `repoURL: https://git.example.test/platform/fixture.git
environments:
  - name: dev
    kubeContext: dev
    kubernetesVersion: '1.33'
    apiVersions: [monitoring.coreos.com/v1, monitoring.coreos.com/v1/ServiceMonitor]
  - name: prod
chartRepositories: [https://charts.example.test]
`,
      },
    );
    const repo = await open();
    await repo.render('dev');
    repo.dispose();
    const template = helm.calls().find((c) => c[0] === 'template')!;
    expect(template.join(' ')).toContain(
      '--kube-version 1.33 --values ' +
        template[template.indexOf('--values') + 1] +
        ' --api-versions monitoring.coreos.com/v1 --api-versions monitoring.coreos.com/v1/ServiceMonitor --include-crds',
    );
  });

  it('pulls a chart once for every render and run, and renders again only when an input changes', async () => {
    const { dir, helm, open } = setup();
    for (const env of ['dev', 'prod', 'dev']) {
      const repo = await open();
      await repo.render(env);
      repo.dispose();
    }
    expect(helm.calls().map((c) => c[0])).toEqual(['pull', 'template']);
    const values = path.join(dir, 'values/cache.yaml');
    const before = readFileSync(values, 'utf8');
    writeFileSync(values, 'replicas: 3\n');
    try {
      const repo = await open();
      await repo.render('dev');
      repo.dispose();
    } finally {
      writeFileSync(values, before);
    }
    expect(helm.calls().map((c) => c[0])).toEqual(['pull', 'template', 'template']);
  });

  it('a failing helm template is an error at the chart source, with helm’s message', async () => {
    const { open } = setup({ fail: 'template: cache/templates/x.yaml:3: function "nope" not defined' });
    const repo = await open();
    const r = await repo.render('dev');
    repo.dispose();
    expect(r.findings).toMatchObject([
      {
        rule: 'render/helm',
        severity: 'error',
        file: 'apps/dev/cache.yaml',
        line: 12,
        message:
          'helm template of chart cache 1.2.3 failed: template: cache/templates/x.yaml:3: function "nope" not defined',
      },
    ]);
    expect(r.charts[0]!.notRendered).toBe('the chart source has errors');
  });

  it('a chart the repository does not have is an error naming chart, version and repository', async () => {
    const { open } = setup({ charts: {} });
    const repo = await open();
    const r = await repo.render('dev');
    repo.dispose();
    expect(r.findings.map((f) => f.message)).toEqual([
      'helm template of chart cache 1.2.3 failed: cannot pull chart cache 1.2.3 from https://charts.example.test: chart "cache" not found in repository',
    ]);
  });

  it('without helm: nothing rendered, the chart recorded as not looked inside, one line to say so', async () => {
    const { open, helm } = setup();
    const repo = await open({ ...process.env, HELM: '' });
    const renders = [await repo.render('dev'), await repo.render('prod')];
    repo.dispose();
    expect(helm.calls()).toEqual([]);
    expect(renders[0]!.resources.some((x) => x.app === 'cache')).toBe(false);
    expect(renders[0]!.charts[0]!.notRendered).toBe('helm not on PATH');
    expect(appsWithChartsNotRendered(renders)).toEqual(['cache']);
    expect(
      chartsNotRenderedNotice(appsWithChartsNotRendered(renders), 'their objects were not validated'),
    ).toBe(
      'info: helm not on PATH: did not look inside the Helm charts of 1 Application (cache); their objects were not validated. Install helm to render them as Argo CD does.\n',
    );
  });
});
