// The zx entry points run the TypeScript library compiled to JavaScript once per content, so no
// command pays a TypeScript compile at start and users keep running the .mjs files with no build
// step: the first run after a change (or after `npm ci`) bundles the library with esbuild into
// node_modules/.cache/gitops-tools/<content hash>/, every later run imports that bundle.
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SCRIPTS = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(SCRIPTS);

/** Every command an entry point can run, and the module that exports its `main(args, io)`. */
const COMMANDS = {
  validate: 'lib/commands/validate.ts',
  promote: 'lib/commands/promote.ts',
  drift: 'lib/commands/drift.ts',
  health: 'lib/commands/health.ts',
  seal: 'lib/commands/seal.ts',
  diff: 'lib/commands/diff.ts',
  render: 'lib/commands/render.ts',
  'vendor-crds': 'lib/check/schema/vendor-crds.ts',
  'vendor-kustomize-schema': 'lib/repo/kustomize-builtin-schema.ts',
  bench: 'bench/run-bench.ts',
};
const CLI = 'lib/cli/run-cli.ts';
/** Bumped when the way bundles are built changes, so older bundles are not reused. */
const BUILD_FORMAT = 1;
/** Bundles of earlier contents kept, so a command still running from one keeps its lazy chunks. */
const KEEP = 4;

function sourceFiles(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, out);
    else if (entry.name.endsWith('.ts')) out.push(full);
  }
  return out;
}

/**
 * The content key: every TypeScript file the bundles are built from, and the compiler's version.
 * Reading every file at each start costs more than the rest of the start-up, so the key of the last
 * contents is remembered against the files' sizes and modification times and reused while they hold.
 */
function contentKey(home, esbuildVersion) {
  // This file too: the list of commands it bundles is part of what is built.
  const files = [
    fileURLToPath(import.meta.url),
    ...sourceFiles(path.join(SCRIPTS, 'lib')),
    ...sourceFiles(path.join(SCRIPTS, 'bench')),
  ].sort();
  const prefix = `${BUILD_FORMAT}\0${esbuildVersion}\0`;
  const stats = createHash('sha256').update(prefix);
  for (const file of files) {
    const st = statSync(file);
    stats.update(`${path.relative(SCRIPTS, file)}\0${st.size}\0${st.mtimeMs}\0`);
  }
  const statKey = stats.digest('hex');
  const remembered = path.join(home, 'last-key.json');
  try {
    const last = JSON.parse(readFileSync(remembered, 'utf8'));
    if (last.statKey === statKey) return last.contentKey;
  } catch {
    // first run, or the note was lost: compute the key from the contents
  }
  const content = createHash('sha256').update(prefix);
  for (const file of files) {
    content.update(path.relative(SCRIPTS, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  const key = content.digest('hex').slice(0, 24);
  const tmp = `${remembered}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ statKey, contentKey: key }));
  renameSync(tmp, remembered);
  return key;
}

function cacheHome() {
  const preferred = path.join(ROOT, 'node_modules', '.cache', 'gitops-tools');
  try {
    mkdirSync(preferred, { recursive: true });
    return preferred;
  } catch {
    // A read-only node_modules (a shared CI cache) still runs, from a temp folder of this user and
    // checkout. The bundles import their packages by name, which Node looks up in the folders above
    // them: the temp folder links to this checkout's node_modules.
    const checkout = createHash('sha256').update(ROOT).digest('hex').slice(0, 12);
    const fallback = path.join(tmpdir(), `gitops-tools-${process.getuid?.() ?? 'user'}-${checkout}`);
    mkdirSync(fallback, { recursive: true });
    try {
      symlinkSync(path.join(ROOT, 'node_modules'), path.join(fallback, 'node_modules'), 'dir');
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    return fallback;
  }
}

function prune(home, current) {
  const others = readdirSync(home, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() &&
        entry.name !== current &&
        entry.name !== 'node_modules' &&
        !entry.name.endsWith('.tmp'),
    )
    .map((entry) => entry.name)
    .map((name) => ({ name, mtime: statSync(path.join(home, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of others.slice(KEEP - 1))
    rmSync(path.join(home, old.name), { recursive: true, force: true });
}

async function build(esbuild, home, key) {
  const staging = path.join(home, `${key}.${process.pid}.tmp`);
  const entryPoints = { 'run-cli': path.join(SCRIPTS, CLI) };
  for (const [name, file] of Object.entries(COMMANDS)) entryPoints[name] = path.join(SCRIPTS, file);
  await esbuild.build({
    entryPoints,
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    sourcemap: 'linked',
    logLevel: 'error',
  });
  try {
    renameSync(staging, path.join(home, key));
  } catch {
    // another process finished the same bundle first: theirs is identical, use it
    rmSync(staging, { recursive: true, force: true });
  }
  prune(home, key);
}

/** esbuild's version from its package.json: importing esbuild itself is only needed to build. */
function esbuildVersion() {
  const main = createRequire(import.meta.url).resolve('esbuild');
  return JSON.parse(readFileSync(path.join(path.dirname(main), '..', 'package.json'), 'utf8')).version;
}

/** The folder holding the compiled bundles for the library as it is on disk now. */
async function compiledLibrary() {
  const home = cacheHome();
  const key = contentKey(home, esbuildVersion());
  const dir = path.join(home, key);
  try {
    statSync(path.join(dir, 'run-cli.mjs'));
  } catch {
    await build(await import('esbuild'), home, key);
  }
  return dir;
}

/** What every entry point does: load the command's compiled module and run it as the CLI. */
export async function runCommand(name, scriptUrl) {
  const dir = await compiledLibrary();
  // The bundle may run from a temp folder (see cacheHome): the library finds its own files from here.
  globalThis[Symbol.for('gitops-tools.root')] = ROOT;
  // Node 22.1+ keeps V8's compiled code of the bundle between runs; Node 20 has no such cache and
  // compiles it at every start. (The schema validators keep their own: code-cached-require.ts.)
  // Beside the bundles' folder, not in it (pruning would remove it): node_modules/.cache/gitops-tools-v8,
  // or the temp folder's name with -v8 when node_modules is read-only.
  module.enableCompileCache?.(`${path.dirname(dir)}-v8`);
  const [{ runCli }, { main }] = await Promise.all([
    import(pathToFileURL(path.join(dir, 'run-cli.mjs')).href),
    import(pathToFileURL(path.join(dir, `${name}.mjs`)).href),
  ]);
  await runCli(main, scriptUrl);
}
