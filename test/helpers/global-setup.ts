import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openRepository } from '../../scripts/lib/repo/repository.ts';

/**
 * One render cache for the whole run: renders are keyed by content with paths relative to the
 * folder rendered, so every copy of a fixture shares the renders of the folders it did not change.
 * This repository is rendered into it once, before the workers start, so no two workers render it
 * cold at the same time.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), 'gitops-test-renders-'));
  project.provide('renderCache', dir);
  // HELM='' as in the workers (vitest.config.ts): CI runners ship a helm, and tests never pull charts.
  const repo = await openRepository(path.resolve(import.meta.dirname, '..', '..'), {
    cacheDir: dir,
    env: { ...process.env, HELM: '' },
  });
  try {
    await Promise.all(repo.settings.environments.map((e) => repo.render(e.name)));
  } finally {
    repo.dispose();
  }
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    renderCache: string;
  }
}
