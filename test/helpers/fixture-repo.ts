import { inject } from 'vitest';
import { cpSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures');
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Copies a fixture repo to a temp folder and applies file overrides (null deletes a file). */
export function fixtureRepo(
  name: string,
  overrides: Record<string, string | null> = {},
): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), `fixture-${name.replace(/\W/g, '-')}-`));
  cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  for (const [file, content] of Object.entries(overrides)) {
    const target = path.join(dir, file);
    if (content === null) rmSync(target, { recursive: true, force: true });
    else {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The run's shared render cache (see global-setup.ts). */
export function renderCache(): string {
  return inject('renderCache');
}
