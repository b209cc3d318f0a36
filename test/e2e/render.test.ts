import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main, renderManifests } from '../../scripts/lib/commands/render.ts';
import type { KubeObject } from '../../scripts/lib/repo/resource.ts';
import { captureIO } from '../helpers/capture-io.ts';
import { renderCache } from '../helpers/fixture-repo.ts';
import { git, GIT_ENV, gitFixture } from '../helpers/git-fixture.ts';
import { runScript } from '../helpers/run-script.ts';

let top: string;
let repo: string;
let cacheDir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ top, repo, cleanup } = gitFixture('promote/three-envs', 'diff/three-envs-extras'));
  // The run's render cache: the fixture's folders other test files rendered come from it.
  cacheDir = renderCache();
});
afterAll(() => cleanup());
beforeEach(() => {
  git(repo, 'checkout', '-q', '-f', 'main');
  git(repo, 'clean', '-fdq');
});

const kinds = (stream: string) =>
  (yaml.loadAll(stream) as KubeObject[]).filter(Boolean).map((o) => `${o.kind} ${o.metadata?.name}`);
const PROD_STAGE = 'workloads/web/overlays/prod/kustomization.yaml';

describe('render (in-process)', () => {
  it('an environment: bootstrap first, then Applications by wave; charts not rendered are named', async () => {
    const r = await renderManifests({ cwd: repo, env: 'prod', cacheDir });
    expect(
      r.applications.map((a) => [a.name, a.wave, a.objects.map((o) => `${o.kind} ${o.metadata?.name}`)]),
    ).toEqual([
      ['', 0, ['AppProject platform', 'Application root']],
      ['cache', 0, []],
      ['root', 0, ['Application cache', 'Application web']],
      ['web', 0, ['Deployment web', 'Service web', 'SealedSecret web-credentials']],
    ]);
    expect(r.applications[1]!.chartsNotRendered.map((c) => `${c.chart} ${c.version}`)).toEqual([
      'cache 1.2.3',
    ]);
    const out = captureIO(repo);
    expect(await main(['--env', 'prod'], out.io)).toBe(0);
    expect(out.stdout()).toMatch(/^# clusters\/prod \(bootstrap\): kubectl apply -k clusters\/prod\n---\n/);
    expect(out.stdout()).toContain(
      '# Application cache (wave 0)\n# Helm chart cache 1.2.3 (https://charts.example.test) not rendered: its resources are not listed\n# Application root (wave 0)\n',
    );
    expect(kinds(out.stdout())).toEqual([
      'AppProject platform',
      'Application root',
      'Application cache',
      'Application web',
      'Deployment web',
      'Service web',
      'SealedSecret web-credentials',
    ]);
    expect(out.stderr()).toBe(
      'note: Helm charts not rendered, their resources are not in the output: cache\n',
    );
  });

  it('--ref renders a commit from git objects, whatever the work tree holds', async () => {
    const text = readFileSync(path.join(repo, PROD_STAGE), 'utf8');
    writeFileSync(path.join(repo, PROD_STAGE), text.replace('newTag: 1.4.0', 'newTag: 9.9.9'));
    const image = async (ref?: string) => {
      const r = await renderManifests({
        cwd: repo,
        env: 'prod',
        apps: ['web'],
        cacheDir,
        ...(ref ? { ref } : {}),
      });
      const dep = r.applications[0]!.objects.find((o) => o.kind === 'Deployment') as { spec: any };
      return dep.spec.template.spec.containers[0].image;
    };
    expect(await image()).toBe('registry.example.test/web:9.9.9');
    expect(await image('main')).toBe('registry.example.test/web:1.4.0');
  });

  it('Secret values are masked', async () => {
    writeFileSync(
      path.join(repo, 'workloads/web/base/secret.yaml'),
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: plain\ndata:\n  password: c3VwZXJzZWNyZXQ=\nstringData:\n  token: hunter2\n',
    );
    const k = path.join(repo, 'workloads/web/base/kustomization.yaml');
    writeFileSync(
      k,
      readFileSync(k, 'utf8').replace('  - service.yaml', '  - service.yaml\n  - secret.yaml'),
    );
    const out = captureIO(repo);
    expect(await main(['--env', 'dev', '--app', 'web'], out.io)).toBe(0);
    expect(out.stdout()).toContain('data:\n  password: ++++++++\n');
    expect(out.stdout()).toContain('stringData:\n  token: ++++++++\n');
    expect(out.stdout()).not.toMatch(/c3VwZXJzZWNyZXQ=|hunter2/);
  });

  it('--output: one file per Application, the folder replaced as a whole; a foreign file stops it', async () => {
    const dir = path.join(top, 'out', 'prod');
    expect(await main(['--env', 'prod', '--output', dir], captureIO(repo).io)).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['_bootstrap.yaml', 'cache.yaml', 'root.yaml', 'web.yaml']);
    expect(kinds(readFileSync(path.join(dir, 'web.yaml'), 'utf8'))).toEqual([
      'Deployment web',
      'Service web',
      'SealedSecret web-credentials',
    ]);
    expect(await main(['--env', 'prod', '--app', 'web', '--output', dir], captureIO(repo).io)).toBe(0);
    expect(readdirSync(dir)).toEqual(['web.yaml']);
    expect(readdirSync(path.dirname(dir))).toEqual(['prod']); // no temp folder left beside it

    writeFileSync(path.join(dir, 'NOTES.md'), 'mine\n');
    await expect(main(['--env', 'prod', '--output', dir], captureIO(repo).io)).rejects.toThrow(
      /holds NOTES\.md, which an earlier render did not write/,
    );
    expect(readdirSync(dir).sort()).toEqual(['NOTES.md', 'web.yaml']);
    mkdirSync(path.join(top, 'empty'));
    expect(
      await main(['--env', 'dev', '--app', 'cache', '--output', path.join(top, 'empty')], captureIO(repo).io),
    ).toBe(0);
    expect(existsSync(path.join(top, 'empty', 'cache.yaml'))).toBe(true);
  });

  it('flags: --env required, unknown Application or environment named', async () => {
    await expect(main([], captureIO(repo).io)).rejects.toThrow('--env NAME is required');
    await expect(main(['--env', 'prod', '--app', 'nope'], captureIO(repo).io)).rejects.toThrow(
      'unknown Application "nope" in prod (known: cache, root, web)',
    );
    await expect(main(['--env', 'qa'], captureIO(repo).io)).rejects.toThrow('unknown environment "qa"');
  });
});

describe('zx scripts/render.mjs (real process)', () => {
  it('prints the stream of one Application', async () => {
    const r = await runScript('render', ['--env', 'dev', '--app', 'web'], { cwd: repo, env: GIT_ENV });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(kinds(r.stdout)).toEqual(['Deployment web', 'Service web']);
  });
});
