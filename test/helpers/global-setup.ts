import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { toolCacheDir } from '../../scripts/lib/repo/repo-root.ts';
import { openRepository } from '../../scripts/lib/repo/repository.ts';
import { keptRenderCache } from './kept-render-cache.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/**
 * One render cache for the whole run: renders are keyed by content with paths relative to the
 * folder rendered, so every copy of a fixture shares the renders of the folders it did not change.
 * It is kept between runs while the render code is unchanged (kept-render-cache.ts), as tsc and
 * prettier keep theirs; GITOPS_TEST_COLD=1 renders everything again in a cache of this run only,
 * as on a fresh clone. This repository is rendered into it before the workers start, so no two
 * workers render it cold at the same time.
 */
export default async function setup(project: TestProject) {
  const cold = process.env.GITOPS_TEST_COLD === '1';
  const dir = cold
    ? mkdtempSync(path.join(tmpdir(), 'gitops-test-renders-'))
    : keptRenderCache(ROOT, toolCacheDir('gitops-test-renders'));
  project.provide('renderCache', dir);
  // HELM='' as in the workers (vitest.config.ts): CI runners ship a helm, and tests never pull charts.
  const repo = await openRepository(ROOT, {
    cacheDir: dir,
    env: { ...process.env, HELM: '' },
  });
  try {
    await Promise.all(repo.settings.environments.map((e) => repo.render(e.name)));
  } finally {
    repo.dispose();
  }
  return cold ? () => rmSync(dir, { recursive: true, force: true }) : undefined;
}

declare module 'vitest' {
  export interface ProvidedContext {
    renderCache: string;
  }
}
