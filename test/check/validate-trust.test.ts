import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/lib/commands/validate.ts';
import { runInProcess } from '../helpers/run-main.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A folder of loose manifests (no repository settings): what a user points --files at. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'validate-trust-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

const run = (cwd: string, args: string[], input?: string) =>
  runInProcess(main, args, { cwd, ...(input === undefined ? {} : { input }) });
const json = async (cwd: string, args: string[], input?: string) => {
  const r = await run(cwd, [...args, '--format', 'json'], input);
  return { ...r, report: JSON.parse(r.stdout) as { findings: any[]; summary: any; notes: string[] } };
};

const CM = (name: string, extra = '') => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  a: b
${extra}`;

describe('recovery: every broken file is reported and every other file still checked', () => {
  const files = {
    'a-broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n    bad: indent\n',
    'b-good.yaml': CM('b', '  extra: [oops\n').replace('  extra: [oops\n', '') + 'dataa: {}\n',
    'c-broken.yaml': `${CM('c')}---\nkind: [\n`,
  };

  it('reports each syntax error at file, line and column, and the schema error of the good file; exit 1', async () => {
    const { code, report } = await json(folder(files), ['--files', '.']);
    expect(code).toBe(1);
    expect(report.findings.map((f) => [f.rule, f.file, f.line, f.column])).toEqual([
      ['yaml/syntax', 'a-broken.yaml', 5, 8],
      ['schema/unknown-field', 'b-good.yaml', 7, undefined],
      ['yaml/syntax', 'c-broken.yaml', 8, 8],
    ]);
    // The document of c-broken.yaml before the broken one is still checked.
    expect(report.summary.resources).toBe(2);
  });

  it.each([
    ['text', /a-broken\.yaml:5:8 {2}error {2}yaml\/syntax/],
    ['github', /^::error file=a-broken\.yaml,line=5,col=8,title=yaml\/syntax::/m],
    ['sarif', /"startLine": 5,\s+"startColumn": 8/],
  ])('in %s too', async (format, pattern) => {
    const r = await run(folder(files), ['--files', '.', '--format', format]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(pattern);
  });

  it('a duplicate mapping key is an error at the repeated key, as kubectl rejects it', async () => {
    const { report } = await json(folder({ 'd.yaml': CM('d', 'metadata:\n  name: again\n') }), [
      '--files',
      'd.yaml',
    ]);
    expect(report.findings).toMatchObject([
      { rule: 'yaml/syntax', line: 7, message: 'invalid YAML: duplicated mapping key' },
    ]);
  });

  it('an unquoted yes is a boolean, as kubectl reads it: an error where a string goes; 0644 is octal', async () => {
    const pod = (value: string) => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: c
      image: registry.example.test/c:1.0.0
      env:
        - name: FEATURE
          value: ${value}
      volumeMounts:
        - name: cfg
          mountPath: /etc/c
  volumes:
    - name: cfg
      configMap:
        name: c
        defaultMode: 0644
`;
    const bare = await json(folder({ 'p.yaml': pod('yes') }), ['--files', 'p.yaml']);
    expect(bare.report.findings.filter((f) => f.severity === 'error')).toMatchObject([
      { rule: 'schema/type', line: 11 },
    ]);
    const quoted = await json(folder({ 'p.yaml': pod('"yes"') }), ['--files', 'p.yaml']);
    expect(quoted.report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it("kubectl's escapes are accepted: \\' inside double quotes", async () => {
    const text = `${CM('e').replace('a: b', `a: "echo \\'x\\'"`)}`;
    const { code, report } = await json(folder({ 'e.yaml': text }), ['--files', 'e.yaml']);
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
  });
});

describe('--files reads a tree as Argo CD and kustomize would', () => {
  const kustomization = (body: string) =>
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;
  const tree = {
    'app/base/kustomization.yaml': kustomization('resources:\n  - cm.yaml\n'),
    'app/base/cm.yaml': CM('settings'),
    'app/overlays/dev/kustomization.yaml': kustomization(
      'namespace: dev\nresources:\n  - ../../base\npatches:\n  - path: cm.patch.yaml\n',
    ),
    // A partial document: read as a manifest on its own it would be an incomplete ConfigMap.
    'app/overlays/dev/cm.patch.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: dev\n',
    'app/overlays/prod/kustomization.yaml': kustomization('namespace: prod\nresources:\n  - ../../base\n'),
    'chart/Chart.yaml': 'apiVersion: v2\nname: chart\nversion: 0.1.0\n',
    'chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n',
    'values.yaml': 'replicaCount: 2\nimage:\n  tag: 1.0.0\n',
  };

  it('renders every overlay once, never reads a patch alone, skips charts and values with a note', async () => {
    const { code, report } = await json(folder(tree), ['--files', '.']);
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
    // dev and prod overlays of one app: each checked in its own set, so no duplicate across them.
    expect(report.summary.environments).toEqual(['dev', 'prod']);
    expect(report.summary.resources).toBe(2);
    expect(report.notes).toEqual([
      '2 files skipped, not Kubernetes objects: values.yaml, chart/ (Helm chart)',
    ]);
  });

  it('a nested overlay given directly is rendered as a root', async () => {
    const { report } = await json(folder(tree), ['--files', 'app/overlays/dev']);
    expect(report.summary).toMatchObject({ resources: 1, error: 0 });
  });

  it('input with no Kubernetes object at all is exit 2, never a pass', async () => {
    const empty = await run(folder({}), ['--files', '-'], '');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^error: stdin: no resources found/);
    const values = await run(folder({ 'values.yaml': 'a: 1\n' }), ['--files', 'values.yaml']);
    expect(values.code).toBe(2);
    expect(values.stderr).toMatch(/no resources found/);
  });
});

describe('objects as the API server sees them', () => {
  it('a generateName hook is checked like any other, shown as name-*', async () => {
    const job = `apiVersion: batch/v1
kind: Job
metadata:
  generateName: upgrade-
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  backofLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: upgrade
          image: registry.example.test/upgrade:1.0.0
`;
    const { report } = await json(folder({ 'job.yaml': job }), ['--files', 'job.yaml']);
    const unknown = report.findings.filter((f) => f.rule === 'schema/unknown-field');
    expect(unknown).toMatchObject([
      { line: 8, message: expect.stringMatching(/^Job upgrade-\*: .*backofLimit/) },
    ]);
  });

  it('stdin findings point at the field line, as a file does', async () => {
    const { report } = await json(folder({}), ['--files', '-'], CM('s', 'dataa: {}\n'));
    expect(report.findings).toMatchObject([{ rule: 'schema/unknown-field', file: '-', line: 7 }]);
  });

  it('an object larger than the API server stores is an error', async () => {
    const big = CM('big').replace('a: b', `a: "${'x'.repeat(1.6 * 1024 * 1024)}"`);
    const { report } = await json(folder({ 'big.yaml': big }), ['--files', 'big.yaml']);
    expect(report.findings.map((f) => f.rule)).toContain('limits/object-size');
  });

  it('annotations over 256 KiB once client-side apply adds its copy: an error', async () => {
    const cm = CM('dash').replace('a: b', `a: "${'x'.repeat(300 * 1024)}"`);
    const { report } = await json(folder({ 'dash.yaml': cm }), ['--files', 'dash.yaml']);
    expect(report.findings.map((f) => f.rule)).toEqual(['limits/last-applied-size']);
    const ssa = cm.replace(
      '  name: dash\n',
      '  name: dash\n  annotations:\n    argocd.argoproj.io/sync-options: ServerSideApply=true\n',
    );
    expect((await json(folder({ 'dash.yaml': ssa }), ['--files', 'dash.yaml'])).report.findings).toEqual([]);
  });

  it('a workload whose selector does not match its template labels is an error at the selector', async () => {
    const dep = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: website
    spec:
      containers:
        - name: web
          image: registry.example.test/web:1.0.0
`;
    const { report } = await json(folder({ 'dep.yaml': dep }), ['--files', 'dep.yaml']);
    expect(report.findings.filter((f) => f.rule === 'workload/selector-matches-template')).toMatchObject([
      { severity: 'error', line: 6 },
    ]);
  });
});

describe('--output', () => {
  it.each([
    ['into a missing folder', 'missing/report.json', /folder missing does not exist/],
    ['onto a folder', 'out', /--output out is a folder/],
  ])('%s: exit 2, one line naming it, nothing left behind', async (_name, target, message) => {
    const dir = folder({ 'cm.yaml': CM('a'), 'out/.keep': '' });
    const r = await run(dir, ['--files', 'cm.yaml', '--output', target]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter(Boolean)[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(existsSync(path.join(dir, 'missing'))).toBe(false);
    expect(readdirSync(path.join(dir, 'out'))).toEqual(['.keep']);
  });
});

describe('severity the way teams run it', () => {
  const dep = (image: string) => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: c
      image: ${image}
`;

  it('--fail-on warning fails on warnings too', async () => {
    const dir = folder({
      'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n    - port: 80\n',
    });
    const lenient = await json(dir, ['--files', 'svc.yaml']);
    expect(lenient.report.summary).toMatchObject({ error: 0 });
    expect(lenient.report.summary.warning).toBeGreaterThan(0);
    expect(lenient.code).toBe(0);
    expect((await run(dir, ['--files', 'svc.yaml', '--fail-on', 'warning'])).code).toBe(1);
  });

  it('a config file turns a rule off or changes its level; an unknown rule id names file and line', async () => {
    const dir = folder({
      'pod.yaml': dep('registry.example.test/app:latest'),
      'levels.yaml': 'severity:\n  workload/image-pinned: off\n',
      'typo.yaml': 'severity:\n  workload/image-pined: off\n',
    });
    const before = await json(dir, ['--files', 'pod.yaml']);
    expect(before.report.findings.map((f) => f.rule)).toContain('workload/image-pinned');
    const after = await json(dir, ['--files', 'pod.yaml', '--config', 'levels.yaml']);
    expect(after.report.findings.map((f) => f.rule)).not.toContain('workload/image-pinned');
    const typo = await run(dir, ['--files', 'pod.yaml', '--config', 'typo.yaml']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^error: typo\.yaml:2: unknown rule "workload\/image-pined"/);
  });
});
