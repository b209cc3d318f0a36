import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main, renderedDiff, type DiffOptions } from '../../scripts/lib/commands/diff.ts';
import { formatDiffJson } from '../../scripts/lib/diff/format-json.ts';
import { formatDiffMarkdown } from '../../scripts/lib/diff/format-markdown.ts';
import { formatDiffText } from '../../scripts/lib/diff/format-text.ts';
import type { DiffResult, EnvironmentDiff } from '../../scripts/lib/diff/result.ts';
import { ToolError } from '../../scripts/lib/errors.ts';
import { captureIO } from '../helpers/capture-io.ts';
import { renderCache } from '../helpers/fixture-repo.ts';
import { git, GIT_ENV, gitFixture } from '../helpers/git-fixture.ts';
import { runScript } from '../helpers/run-script.ts';

// One repository for the whole file: `main` holds the fixture; each case edits the work tree (or
// commits on a branch) and is reset afterwards. The render cache is shared, so the work tree's
// unchanged folders render once.
let top: string;
let repo: string;
let cacheDir: string;
let initial: string;
let cleanup: () => void;

beforeAll(() => {
  ({ top, repo, commit: initial, cleanup } = gitFixture('promote/three-envs', 'diff/three-envs-extras'));
  // The run's render cache: the fixture's folders other test files rendered come from it.
  cacheDir = renderCache();
});
afterAll(() => cleanup());
beforeEach(() => {
  git(repo, 'checkout', '-q', '-f', 'main');
  git(repo, 'clean', '-fdq');
});

const file = (f: string) => path.join(repo, f);
const read = (f: string) => readFileSync(file(f), 'utf8');
/** Edits a work tree file: `from` must be in it, so a fixture change cannot silently void a test. */
function edit(f: string, from: string, to: string) {
  const text = read(f);
  expect(text).toContain(from);
  writeFileSync(file(f), text.replace(from, to));
}
const diff = (opts: Partial<DiffOptions> = {}) => renderedDiff({ cwd: repo, cacheDir, ...opts });
const env = (r: DiffResult, name: string) => r.environments.find((e) => e.env === name)!;
const apps = (e: EnvironmentDiff) => e.applications.map((a) => [a.name, a.status]);

const BASE_DEPLOYMENT = 'workloads/web/base/deployment.yaml';
const SEALED = 'workloads/web/overlays/prod/sealedsecret-web-credentials.yaml';
const OLD_CIPHER = 'AgBvA1nQd3Fx0pT8kRkq2mV7cL9sWuE4yZ6hJ3oP5iN1bX8tG2fD0aC7eK4rM9wS';
const NEW_CIPHER = 'AgDz8Yx3Wv1Ut6Sr4Qp2On9Ml7Kj5Ih0Gf8Ed3Cb6Az1Yx4Wv7Ut2Sr9Qp5On3Ml8';

describe('rendered diff over real git (in-process)', () => {
  it('a comment-only change is no change: exit 0', async () => {
    edit(
      BASE_DEPLOYMENT,
      '# The web frontend.',
      '# The web frontend, served behind the gateway.\n# Owned by team web.',
    );
    edit('workloads/web/overlays/dev/kustomization.yaml', '# release tag', '# release tag (promoted)');
    const r = await diff();
    expect(r.changed).toBe(false);
    expect(r.environments.map((e) => e.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(r.base.commit).toBe(initial);
    expect(r.base.label).toBe(`${initial.slice(0, 7)} (merge base of HEAD and main)`);
    expect(r.head.label).toBe('work tree');
    expect(formatDiffText(r)).toContain('dev: no change\nstaging: no change\nprod: no change\n');
  });

  it('an image pin shows only in its environment, field by field', async () => {
    edit('workloads/web/overlays/staging/kustomization.yaml', 'newTag: 1.4.0', 'newTag: 1.5.0');
    const r = await diff();
    expect(r.changed).toBe(true);
    expect(r.environments.map((e) => [e.env, e.status])).toEqual([
      ['dev', 'unchanged'],
      ['staging', 'changed'],
      ['prod', 'unchanged'],
    ]);
    expect(env(r, 'staging').applications).toEqual([
      {
        name: 'web',
        status: 'changed',
        wave: { old: 0, new: 0 },
        charts: [],
        resources: [
          {
            change: 'changed',
            resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'web', name: 'web' },
            fields: [
              {
                path: 'spec.template.spec.containers[web].image',
                old: 'registry.example.test/web:1.4.0',
                new: 'registry.example.test/web:1.5.0',
              },
            ],
          },
        ],
      },
    ]);
  });

  it('a shared base change shows in every environment; reordered maps and 500m vs 0.5 do not', async () => {
    edit(BASE_DEPLOYMENT, 'cpu: 500m', "cpu: '0.5'");
    edit(BASE_DEPLOYMENT, 'memory: 256Mi', 'memory: 512Mi');
    edit(
      BASE_DEPLOYMENT,
      '            runAsNonRoot: true\n            allowPrivilegeEscalation: false\n',
      '            allowPrivilegeEscalation: false\n            runAsNonRoot: true\n',
    );
    edit(
      BASE_DEPLOYMENT,
      '          ports:',
      '          env:\n            - name: LOG_FORMAT\n              value: json\n          ports:',
    );
    const r = await diff();
    for (const name of ['dev', 'staging', 'prod']) {
      const [web] = env(r, name).applications;
      expect(web!.name).toBe('web');
      expect(web!.resources).toEqual([
        {
          change: 'changed',
          resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'web', name: 'web' },
          fields: [
            { path: 'spec.template.spec.containers[web].env', new: [{ name: 'LOG_FORMAT', value: 'json' }] },
            {
              path: 'spec.template.spec.containers[web].resources.limits.memory',
              old: '256Mi',
              new: '512Mi',
            },
          ],
        },
      ]);
    }
    // --env and --app narrow the report.
    const one = await diff({ envs: ['prod'], apps: ['web'] });
    expect(one.environments.map((e) => e.env)).toEqual(['prod']);
    expect(apps(one.environments[0]!)).toEqual([['web', 'changed']]);
  });

  it('a removed Application: listed, with every resource it deployed', async () => {
    edit('apps/overlays/prod/kustomization.yaml', '  - web.yaml\n', '');
    rmSync(file('apps/overlays/prod/web.yaml'));
    const r = await diff();
    expect(env(r, 'dev').status).toBe('unchanged');
    expect(env(r, 'staging').status).toBe('unchanged');
    const prod = env(r, 'prod');
    expect(apps(prod)).toEqual([
      ['root', 'changed'],
      ['web', 'removed'],
    ]);
    expect(prod.applications[0]!.resources).toEqual([
      {
        change: 'removed',
        resource: {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          namespace: 'argocd',
          name: 'web',
        },
      },
    ]);
    expect(prod.applications[1]!.resources.map((c) => `${c.change} ${c.resource.kind}`)).toEqual([
      'removed Deployment',
      'removed SealedSecret',
      'removed Service',
    ]);
    expect(formatDiffText(r)).toContain('  Applications: removed web (wave 0)\n');
  });

  it('a changed sealed value reads "sealed value changed" and no ciphertext is ever printed', async () => {
    edit(SEALED, OLD_CIPHER, NEW_CIPHER);
    const r = await diff();
    const [web] = env(r, 'prod').applications;
    expect(web!.resources).toEqual([
      {
        change: 'changed',
        resource: {
          apiVersion: 'bitnami.com/v1alpha1',
          kind: 'SealedSecret',
          namespace: 'web',
          name: 'web-credentials',
        },
        fields: [{ path: 'spec.encryptedData.password', note: 'sealed value changed' }],
      },
    ]);
    for (const report of [formatDiffText(r), formatDiffJson(r), formatDiffMarkdown(r)]) {
      expect(report).toContain('sealed value changed');
      expect(report).not.toContain(OLD_CIPHER.slice(0, 12));
      expect(report).not.toContain(NEW_CIPHER.slice(0, 12));
    }
  });

  it('chart pins, value files and sync waves: Applications moved between waves, charts not rendered named', async () => {
    edit('apps/overlays/dev/release-pins.yaml', "cache: '1.3.0'", "cache: '1.4.0'");
    edit(
      'apps/overlays/dev/web.yaml',
      '  namespace: argocd\n',
      "  namespace: argocd\n  annotations:\n    argocd.argoproj.io/sync-wave: '2'\n",
    );
    edit('values/cache.yaml', 'replicas: 1', 'replicas: 2');
    const r = await diff();
    const dev = env(r, 'dev');
    // By sync wave, then name.
    expect(apps(dev)).toEqual([
      ['cache', 'changed'],
      ['root', 'changed'],
      ['web', 'changed'],
    ]);
    const [cache, root, web] = dev.applications;
    expect(web!.wave).toEqual({ old: 0, new: 2 });
    expect(web!.resources).toEqual([]);
    expect(cache!.charts).toEqual([
      {
        chart: 'cache',
        repoURL: 'https://charts.example.test',
        oldVersion: '1.3.0',
        newVersion: '1.4.0',
        changes: ['version 1.3.0 → 1.4.0', 'values values/cache.yaml changed'],
      },
    ]);
    expect(root!.resources.flatMap((c) => (c.change === 'changed' ? c.fields : []))).toEqual([
      { path: 'spec.sources[0].targetRevision', old: '1.3.0', new: '1.4.0' },
      { path: 'metadata.annotations', new: { 'argocd.argoproj.io/sync-wave': '2' } },
    ]);
    // The value file is shared: every environment's chart input changed.
    expect(env(r, 'prod').applications.map((a) => [a.name, a.charts[0]?.changes])).toEqual([
      ['cache', ['values values/cache.yaml changed']],
    ]);
    expect(dev.chartsNotRendered).toEqual(['cache']);
    const text = formatDiffText(r);
    expect(text).toContain('  Applications: moved web wave 0 → 2\n');
    expect(text).toContain(
      '    chart cache source changed, not rendered: version 1.3.0 → 1.4.0; values values/cache.yaml changed\n',
    );
  });

  it('--base and --head read both sides from git: the work tree does not count', async () => {
    git(repo, 'checkout', '-q', '-b', 'pin');
    edit('workloads/web/overlays/staging/kustomization.yaml', 'newTag: 1.4.0', 'newTag: 1.5.0');
    git(repo, 'commit', '-q', '-am', 'pin');
    edit('workloads/web/overlays/dev/kustomization.yaml', 'count: 1', 'count: 9'); // uncommitted: ignored
    const r = await diff({ base: 'main', head: 'pin' });
    expect(r.head.label).toMatch(/^[0-9a-f]{7} \(pin\)$/);
    expect(r.environments.map((e) => e.status)).toEqual(['unchanged', 'changed', 'unchanged']);
    // Without --base, the head is compared with its merge base with main.
    const fromBranch = await diff({ head: 'pin', envs: ['staging'] });
    expect(fromBranch.base.commit).toBe(initial);
    expect(fromBranch.base.label).toBe(`${initial.slice(0, 7)} (merge base of pin and main)`);
    expect(fromBranch.environments.map((e) => [e.env, e.status])).toEqual([['staging', 'changed']]);
  });
});

describe('zx scripts/diff.mjs main(args, io)', () => {
  it('never writes the work tree, the index or refs', async () => {
    edit('workloads/web/overlays/dev/kustomization.yaml', 'count: 1', 'count: 2');
    git(repo, 'add', 'workloads/web/overlays/dev/kustomization.yaml'); // staged
    edit('workloads/web/overlays/prod/kustomization.yaml', 'count: 3', 'count: 4'); // unstaged
    writeFileSync(file('notes.txt'), 'untracked\n');
    git(repo, 'status', '--porcelain'); // let git settle the index's stat data first
    const snapshot = () => ({
      index: createHash('sha256')
        .update(readFileSync(file('.git/index')))
        .digest('hex'),
      refs: git(repo, 'for-each-ref'),
      worktrees: git(repo, 'worktree', 'list', '--porcelain'),
      stash: git(repo, 'stash', 'list'),
      files: [
        'workloads/web/overlays/dev/kustomization.yaml',
        'workloads/web/overlays/prod/kustomization.yaml',
        'notes.txt',
      ].map(read),
      status: git(repo, 'status', '--porcelain'),
    });
    const before = snapshot();
    const out = captureIO(repo);
    const code = await main(['--format', 'json'], out.io);
    expect(out.stderr()).toBe('');
    expect(code).toBe(1);
    const result = JSON.parse(out.stdout()) as DiffResult;
    // The head is the work tree: staged and unstaged edits both count.
    expect(result.environments.map((e) => e.status)).toEqual(['changed', 'unchanged', 'changed']);
    expect(snapshot()).toEqual(before);
  });

  it('--output writes the report and stdout stays empty; flags are checked', async () => {
    edit('workloads/web/overlays/staging/kustomization.yaml', 'newTag: 1.4.0', 'newTag: 1.5.0');
    const out = captureIO(repo);
    expect(
      await main(['--format', 'markdown', '--output', path.join(top, 'diff.md'), '--env', 'staging'], out.io),
    ).toBe(1);
    expect(out.stdout()).toBe('');
    const md = readFileSync(path.join(top, 'diff.md'), 'utf8');
    expect(md.startsWith('<!-- gitops-diff -->\n')).toBe(true);
    expect(md).toContain('| staging | web | 0 | 1 | 0 |');

    await expect(main(['--env', 'qa'], captureIO(repo).io)).rejects.toThrow(
      'unknown environment "qa" (known: dev, staging, prod)',
    );
    await expect(main(['--base', 'no-such-ref'], captureIO(repo).io)).rejects.toThrow(
      'unknown revision "no-such-ref"',
    );
    await expect(main(['--format', 'html'], captureIO(repo).io)).rejects.toThrow(
      '--format must be one of text, json, markdown',
    );
  });

  it('a side that does not render is exit 2 naming the file, not a diff of half an environment', async () => {
    writeFileSync(
      file('workloads/web/overlays/dev/kustomization.yaml'),
      read('workloads/web/overlays/dev/kustomization.yaml').replace('../../base', '../../nope'),
    );
    const err = await main([], captureIO(repo).io).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ToolError);
    expect((err as ToolError).exitCode).toBe(2);
    expect((err as ToolError).message).toMatch(
      /^cannot render dev: workloads\/web\/overlays\/dev\/kustomization\.yaml:\d+ /,
    );
  });
});

describe('zx scripts/diff.mjs (real process)', () => {
  it('prints the markdown comment and exits 1 on a change', async () => {
    edit('workloads/web/overlays/staging/kustomization.yaml', 'newTag: 1.4.0', 'newTag: 1.5.0');
    const r = await runScript('diff', ['--format', 'markdown'], { cwd: repo, env: GIT_ENV });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('| staging | web | 0 | 1 | 0 |');
    expect(r.stdout).toContain(
      '- spec.template.spec.containers[web].image: registry.example.test/web:1.4.0\n+ spec.template.spec.containers[web].image: registry.example.test/web:1.5.0\n',
    );
  });
});
