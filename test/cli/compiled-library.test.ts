import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/fixture-repo.ts';
import { runProcess, type ProcessResult } from '../helpers/run-process.ts';

/**
 * A checkout whose node_modules cannot hold the compiled library (as on a CI runner that mounts a
 * shared, read-only cache there): its own copy of scripts/, and a node_modules with this checkout's
 * packages in which `.cache` is a file, so no folder can be made under it.
 */
let top: string;
let root: string;
let tmp: string;
let home: string;
beforeAll(() => {
  top = mkdtempSync(path.join(tmpdir(), 'compiled-library-'));
  root = path.join(top, 'checkout');
  tmp = path.join(top, 'tmp');
  mkdirSync(tmp);
  cpSync(path.join(REPO_ROOT, 'scripts'), path.join(root, 'scripts'), { recursive: true });
  const modules = path.join(root, 'node_modules');
  mkdirSync(modules);
  for (const name of readdirSync(path.join(REPO_ROOT, 'node_modules')))
    if (name !== '.cache') symlinkSync(path.join(REPO_ROOT, 'node_modules', name), path.join(modules, name));
  writeFileSync(path.join(modules, '.cache'), 'not a folder\n');
  writeFileSync(
    path.join(top, 'configmap.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: default\ndata:\n  level: info\n',
  );
  // A kind whose schema is vendored here: its validator is compiled into the tool's cache on first use.
  writeFileSync(
    path.join(top, 'kafkatopic.yaml'),
    'apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata:\n  name: orders\n  namespace: kafka\n  labels:\n    strimzi.io/cluster: events\nspec:\n  partitions: 3\n  replicass: 3\n',
  );
});
afterAll(() => rmSync(top, { recursive: true, force: true }));

function validateFiles(file = 'configmap.yaml'): Promise<ProcessResult> {
  return runProcess(
    process.execPath,
    [
      path.join(REPO_ROOT, 'node_modules', 'zx', 'build', 'cli.js'),
      path.join(root, 'scripts', 'validate.mjs'),
      '--files',
      file,
    ],
    // As users run it: the package validators from their bundle (the test workers load them file by file).
    { cwd: top, env: { ...process.env, GITOPS_VALIDATOR_BUNDLE: undefined, TMPDIR: tmp, FORCE_COLOR: '0' } },
  );
}

describe('the compiled library when node_modules cannot hold it', () => {
  it('builds in a temp folder of its own and runs there, finding its packages', async () => {
    const r = await validateFiles();
    expect(r.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find package/);
    expect(r.code).toBe(0);
    // Not the caches beside it: -v8 is Node 22's compile cache (module.enableCompileCache).
    const homes = readdirSync(tmp).filter((n) => /^gitops-tools-(?!cache-)/.test(n) && !n.endsWith('-v8'));
    expect(homes).toHaveLength(1);
    home = path.join(tmp, homes[0]!);
    expect(lstatSync(path.join(home, 'node_modules')).isSymbolicLink()).toBe(true);
    const bundles = readdirSync(home).filter((n) => existsSync(path.join(home, n, 'run-cli.mjs')));
    expect(bundles).toHaveLength(1);
    // Where Node keeps compiled code between runs (22.1 and later), it is the home's name with -v8.
    const compileCache = (module as { enableCompileCache?: unknown }).enableCompileCache;
    expect(existsSync(`${home}-v8`)).toBe(typeof compileCache === 'function');
  });

  it('a second run reuses that folder, its link and its bundle', async () => {
    const before = [readdirSync(tmp), readdirSync(home)];
    const r = await validateFiles();
    expect(r.code).toBe(0);
    expect([readdirSync(tmp), readdirSync(home)]).toEqual(before);
  });

  it('keeps its caches in a temp folder too, and still checks what they serve', async () => {
    const r = await validateFiles('kafkatopic.yaml');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('kafkatopic.yaml:10');
    expect(r.stdout).toContain('unknown field "replicass"');
    const caches = readdirSync(tmp).filter((n) => n.startsWith('gitops-tools-cache-'));
    expect(caches).toHaveLength(1);
    expect(readdirSync(path.join(tmp, caches[0]!))).toContain('gitops-schemas');
    expect(readdirSync(path.join(tmp, caches[0]!, 'gitops-schemas', 'validators'))).toContain('current.json');
  });
});
