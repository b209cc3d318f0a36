import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { main as bench } from '../../scripts/bench/run-bench.ts';
import type { CommandIO } from '../../scripts/lib/cli/io.ts';
import { main as diff } from '../../scripts/lib/commands/diff.ts';
import { main as drift } from '../../scripts/lib/commands/drift.ts';
import { main as health } from '../../scripts/lib/commands/health.ts';
import { main as promote } from '../../scripts/lib/commands/promote.ts';
import { main as render } from '../../scripts/lib/commands/render.ts';
import { main as seal } from '../../scripts/lib/commands/seal.ts';
import { main as validate } from '../../scripts/lib/commands/validate.ts';
import { REPO_ROOT } from '../helpers/fixture-repo.ts';
import { git, GIT_ENV, initRepo } from '../helpers/git-fixture.ts';
import { runInProcess } from '../helpers/run-main.ts';
import { runProcess } from '../helpers/run-process.ts';
import { documentedCommands, splitWords, type DocumentedCommand } from './documented-commands.ts';

type Main = (args: string[], io: CommandIO) => Promise<number>;
const MAINS: Record<string, Main> = { validate, promote, diff, render, drift, health, seal, bench };

/**
 * Commands the docs show that a copy of the repository cannot run here, and why. Everything else in
 * README.md and docs/quickstart.md runs, and must exit as the docs say.
 */
const NOT_RUN: [RegExp, string][] = [
  [/^npm ci\b/, 'installs from the registry'],
  [/^npm test\b/, 'is this suite'],
  [/^npm install --global\b/, 'installs from the registry'],
  [/^git clone https?:/, 'clones from the network'],
  [
    /^kubeseal --fetch-cert\b/,
    'talks to a real controller: the test writes a throw-away certificate there instead',
  ],
];

/**
 * A copy of this repository's files, committed on main in a git repository with a bare remote.
 * Without test/: no documented command reads it (`npm test` is not run here), and it is a third of
 * the files every promote and diff in the copy would link and remove again.
 */
function copyRepository(top: string): string {
  const dir = path.join(top, 'istio-gitops-platform');
  cpSync(REPO_ROOT, dir, {
    recursive: true,
    filter: (src) => !/^(\.git|node_modules|test)(\/|$)/.test(path.relative(REPO_ROOT, src)),
  });
  initRepo(dir, 'docs test');
  // As after `npm ci`: this checkout's packages, outside git.
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  git(top, 'clone', '-q', '--bare', dir, 'origin.git');
  git(dir, 'remote', 'add', 'origin', path.join(top, 'origin.git'));
  git(dir, 'fetch', '-q', 'origin');
  git(dir, 'branch', '-q', '--set-upstream-to', 'origin/main');
  return dir;
}

/**
 * One of the scripts, called as the docs call it (`npx zx scripts/x.mjs …`, `zx …`, `npm run x -- …`)
 * with nothing else on the line: run in-process through the CLI's own handling, without a process
 * start each. Anything with pipes, redirects or expansions goes to the shell.
 */
function asScript(line: string): { main: Main; args: string[] } | undefined {
  if (/[|<>;&$`*?]/.test(line.replace(/"[^"]*"|'[^']*'/g, ''))) return undefined;
  const words = splitWords(line);
  let name: string | undefined;
  let args: string[] = [];
  if ((words[0] === 'npx' && words[1] === 'zx') || words[0] === 'zx') {
    const script = words[words[0] === 'npx' ? 2 : 1] ?? '';
    name = /^scripts\/(\w+)\.mjs$/.exec(script)?.[1];
    args = words.slice(words[0] === 'npx' ? 3 : 2);
  } else if (words[0] === 'npm' && words[1] === 'run') {
    name = words[2];
    args = words[3] === '--' ? words.slice(4) : words.slice(3);
  }
  const main = name ? MAINS[name] : undefined;
  return main ? { main, args } : undefined;
}

/** What one documented command did. */
export interface CommandResult {
  command: string;
  where: string;
  code: number;
  expected: number;
  output: string;
}

/** A copy of the repository to run a doc's commands in, and how to run them there. */
export interface DocsWorkspace {
  top: string;
  repo: string;
  /**
   * The environment the commands run in: this copy's zx on PATH, no user config, no helm, and the
   * run's render cache (worker-setup.ts puts it in process.env).
   */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /**
   * Runs one command in the folder the doc's earlier `cd` lines left it in (a `cd` line itself only
   * moves there): undefined for those and for commands the copy cannot run (NOT_RUN).
   */
  run(command: DocumentedCommand, env: NodeJS.ProcessEnv): Promise<CommandResult | undefined>;
  close(): void;
}

export function openWorkspace(): DocsWorkspace {
  const top = mkdtempSync(path.join(tmpdir(), 'docs-commands-'));
  const repo = copyRepository(top);
  let cwd = repo;
  return {
    top,
    repo,
    env: (extra = {}) => ({
      ...process.env,
      ...GIT_ENV,
      PATH: `${path.join(repo, 'node_modules', '.bin')}:${process.env.PATH}`,
      HOME: top,
      KUBECONFIG: '',
      HELM: '',
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      FORCE_COLOR: '0',
      ...extra,
    }),
    async run(c, env) {
      if (NOT_RUN.some(([re]) => re.test(c.line))) return undefined;
      const cd = /^cd (\S+)$/.exec(c.line);
      if (cd) {
        cwd = path.resolve(cwd, cd[1]!);
        return undefined;
      }
      const script = asScript(c.line);
      // Everything that is not one of the scripts (git, perl, openssl, pipes) goes to the shell.
      const r = script
        ? await runInProcess(script.main, script.args, { cwd, env })
        : await runProcess('bash', ['-c', c.line], { cwd, env });
      return { command: c.line, where: c.where, code: r.code, expected: c.exit, output: r.stderr + r.stdout };
    },
    close: () => rmSync(top, { recursive: true, force: true }),
  };
}

/** The commands of a doc of this repository. */
export function docCommands(file: string): DocumentedCommand[] {
  return documentedCommands(file, readFileSync(path.join(REPO_ROOT, file), 'utf8'));
}

/** The command exited as its doc says; on a mismatch, what it printed. */
export function expectAsDocumented(r: CommandResult | undefined): void {
  if (!r) return;
  expect({
    command: r.command,
    where: r.where,
    code: r.code,
    output: r.code === r.expected ? '' : r.output.slice(0, 2000),
  }).toEqual({ command: r.command, where: r.where, code: r.expected, output: '' });
}

/** A test's title for a documented command: where the doc shows it, and the line. */
export function commandTitle(c: DocumentedCommand): string {
  return `${c.where}: ${c.line.length > 100 ? `${c.line.slice(0, 97)}...` : c.line}`;
}
