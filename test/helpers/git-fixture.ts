import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FIXTURES } from './fixture-repo.ts';

/** git with a fixed identity and no user or system config, so tests do not depend on the machine. */
export const GIT_ENV = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Ada Lovelace',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada Lovelace',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' }).trim();
}

/** Makes `dir` a git repository on `main` with one commit holding all its files; returns that commit. */
export function initRepo(dir: string, message = 'initial'): string {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

/**
 * A git repository on `main` with one commit holding the fixture folders, each copied over the
 * previous one, in `<top>/work`; `<top>` is a temp folder for anything else the test writes.
 */
export function gitFixture(...fixtures: string[]): {
  top: string;
  repo: string;
  commit: string;
  cleanup(): void;
} {
  const top = mkdtempSync(path.join(tmpdir(), 'git-fixture-'));
  const repo = path.join(top, 'work');
  for (const f of fixtures) cpSync(path.join(FIXTURES, f), repo, { recursive: true });
  const commit = initRepo(repo);
  return {
    top,
    repo,
    commit,
    cleanup: () => rmSync(top, { recursive: true, force: true }),
  };
}
