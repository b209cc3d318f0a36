import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, fixtureRepo } from '../helpers/fixture-repo.ts';
import { main } from '../../scripts/lib/commands/validate.ts';
import { findKubectl } from '../../scripts/lib/repo/kubectl.ts';
import { runInProcess } from '../helpers/run-main.ts';
import { runScript } from '../helpers/run-script.ts';
import { standInProgram } from '../helpers/stand-in.ts';

/** Most cases run in this process, through the CLI's own error handling; a few start zx as users do. */
const validateCli = (args: string[], opts: { cwd: string }) => runInProcess(main, args, opts);

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function repo(overrides: Record<string, string | null> = {}) {
  const fx = fixtureRepo('validate/clean', overrides);
  cleanups.push(fx.cleanup);
  return fx.dir;
}

const DEPLOYMENT_FILE = 'workloads/web/base/deployment.yaml';
const DEPLOYMENT = readFileSync(path.join(FIXTURES, 'validate/clean', DEPLOYMENT_FILE), 'utf8');
describe('zx scripts/validate.mjs (end to end)', () => {
  it('exits 0 on a clean repo with a tally', async () => {
    const r = await runScript('validate', [], { cwd: repo() });
    // Without helm (as in every test), the one line saying which charts were not looked inside.
    expect(r.stderr).toBe(
      'info: helm not on PATH: did not look inside the Helm charts of 1 Application (cache); their objects were not validated. Install helm to render them as Argo CD does.\n',
    );
    expect(r.stdout).toMatch(/0 errors, 0 warnings, 0 info — \d+ resources checked in dev, prod/);
    expect(r.code).toBe(0);
  });

  it('reports broken YAML as a finding at file, line and column, exit 1, without a stack trace', async () => {
    const r = await validateCli([], {
      cwd: repo({ [DEPLOYMENT_FILE]: DEPLOYMENT.replace('  replicas: 2', '  replicas: [2') }),
    });
    expect(r.code).toBe(1);
    // Only the note that the chart was not looked inside (no helm here): no error, no stack.
    expect(r.stderr).toMatch(/^info: helm not on PATH: [^\n]*\n$/);
    expect(r.stdout).toMatch(
      /workloads\/web\/base\/deployment\.yaml:\d+:\d+ {2}error {2}yaml\/syntax .* invalid YAML/,
    );
    expect(r.stdout).not.toMatch(/\n\s+at /);
  });

  it.each([
    [
      'an unknown field',
      DEPLOYMENT.replace('          image:', '          imagePullPolicyy: Always\n          image:'),
      'schema/unknown-field',
      21,
      /imagePullPolicyy/,
    ],
    ['a wrong type', DEPLOYMENT.replace('replicas: 2', 'replicas: two'), 'schema/type', 9, /replicas/],
    [
      'a missing required field',
      DEPLOYMENT.replace('        - name: web\n          image', '        - image'),
      'schema/required',
      20,
      /name/,
    ],
  ])('exits 1 on %s, naming file, line and field', async (_name, text, rule, line, field) => {
    const r = await validateCli(['--format', 'json'], { cwd: repo({ [DEPLOYMENT_FILE]: text }) });
    expect(r.code).toBe(1);
    const { findings } = JSON.parse(r.stdout);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule,
      file: DEPLOYMENT_FILE,
      line,
      severity: 'error',
      env: 'dev,prod',
    });
    expect(findings[0].message).toMatch(field);
  });

  it('reports a missing source path, a cycle and a missing value file', async () => {
    const r = await validateCli(['--env', 'dev', '--format', 'json'], {
      cwd: repo({
        'apps/dev/web.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
  namespace: argocd
spec:
  project: platform
  source:
    repoURL: https://git.example.test/platform/fixture.git
    path: workloads/gone
  destination:
    server: https://kubernetes.default.svc
`,
        'apps/dev/loop.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: loop
  namespace: argocd
spec:
  project: platform
  source:
    repoURL: https://git.example.test/platform/fixture.git
    path: apps/dev
  destination:
    server: https://kubernetes.default.svc
`,
        'values/cache.yaml': null,
      }),
    });
    expect(r.code).toBe(1);
    const rules = JSON.parse(r.stdout).findings.map(
      (f: { rule: string; file: string }) => `${f.rule} ${f.file}`,
    );
    expect(rules).toEqual(
      expect.arrayContaining([
        'walk/missing-source-path apps/dev/web.yaml',
        'walk/cycle apps/dev/loop.yaml',
        'walk/helm-values apps/dev/cache.yaml',
      ]),
    );
  });

  it('--files renders a kustomize directory as Argo CD would, pointing at the defining file', async () => {
    const dir = repo({
      [DEPLOYMENT_FILE]: DEPLOYMENT.replace(
        'registry.example.test/web:1.0.0',
        'registry.example.test/web:latest',
      ),
      'workloads/web/overlays/prod/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: web\nresources:\n  - ../../base\n',
    });
    const r = await validateCli(['--files', 'workloads/web/overlays/prod', '--format', 'json'], {
      cwd: dir,
    });
    const report = JSON.parse(r.stdout);
    const pinned = report.findings.filter((f: { rule: string }) => f.rule === 'workload/image-pinned');
    // The overlay's namespace is applied, and the finding names the base file, not the overlay.
    expect(pinned).toMatchObject([{ file: DEPLOYMENT_FILE, message: expect.stringContaining('web/') }]);
    expect(pinned[0].line).toBeGreaterThan(1);
    // A policy, not something the cluster rejects: a warning outside this repository's own config.
    expect(pinned[0].severity).toBe('warning');
    expect(r.code).toBe(0);
  });

  it('--files on a kustomization that does not build: exit 1, the listing line named', async () => {
    const dir = repo({ 'workloads/web/overlays/prod/kustomization.yaml': 'resources:\n  - missing.yaml\n' });
    const r = await validateCli(['--files', 'workloads/web/overlays/prod'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /workloads\/web\/overlays\/prod\/kustomization\.yaml:2 {2}error {2}render\/missing-file .*"missing\.yaml"/,
    );
    expect(r.stdout).toMatch(/and 1 finding that follows from it/);
    expect(r.stderr).toBe('');
  });

  it('exits 2 with the flag named on a bad flag or environment', async () => {
    const bad = await validateCli(['--formt', 'json'], { cwd: repo() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--formt/);
    const env = await validateCli(['--env', 'qa'], { cwd: repo() });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/unknown environment "qa"/);
  });

  it('says clearly when kubectl is missing, exit 2', async () => {
    const r = await runScript('validate', [], { cwd: repo(), env: { PATH: path_without_kubectl() } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/kubectl not found/);
    expect(r.stderr).toMatch(/install kubectl/);
  });

  it('stops, exit 2, when kubectl ships a kustomize older than Argo CD needs, and names it', async () => {
    // kubectl 1.29's answer; it would build, but not the way Argo CD does.
    const {
      dir,
      path: kubectl,
      remove,
    } = standInProgram(
      'kubectl',
      () =>
        `#!/bin/sh\nif [ "$1" = version ]; then echo '{"kustomizeVersion": "v5.0.4-0.20230601165947-6ce0bf390ce3"}'; exit 0; fi\nexec "${findKubectl().path}" "$@"\n`,
    );
    cleanups.push(remove);
    const r = await runScript('validate', [], {
      cwd: repo(),
      env: { KUBECTL: kubectl, GITOPS_RENDER_CACHE: path.join(dir, 'cache') },
    });
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(
      /ships kustomize v5\.0\.4-0\.20230601165947-6ce0bf390ce3, older than the v5\.4\.2/,
    );
    expect(r.stderr).toMatch(/install kubectl 1\.31 or later/);
    expect(r.stderr).not.toMatch(/\bat .*\.(ts|mjs|js):\d+/);
  });

  it('writes github annotations and sarif', async () => {
    const dir = repo({ [DEPLOYMENT_FILE]: DEPLOYMENT.replace('replicas: 2', 'replicas: two') });
    const gh = await validateCli(['--format', 'github'], { cwd: dir });
    expect(gh.stdout).toMatch(
      /^::error file=workloads\/web\/base\/deployment\.yaml,line=9,title=schema\/type::/m,
    );
    const sarif = await validateCli(['--format', 'sarif', '--output', 'out.sarif'], { cwd: dir });
    expect(sarif.code).toBe(1);
    // With --output, stdout stays empty and the tally goes to stderr.
    expect(sarif.stdout).toBe('');
    expect(sarif.stderr).toMatch(/report written to out\.sarif/);
    expect(JSON.parse(readFileSync(path.join(dir, 'out.sarif'), 'utf8')).runs[0].results[0]).toMatchObject({
      ruleId: 'schema/type',
      locations: [{ physicalLocation: { region: { startLine: 9 } } }],
    });
  });
});

/** A PATH holding only node: kubectl often shares node's directory, so link node alone into a temp one. */
function path_without_kubectl(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'path-'));
  symlinkSync(process.execPath, path.join(dir, 'node'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
