import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * One render cache for the whole run: renders are keyed by content with paths relative to the
 * folder rendered, so every copy of a fixture shares the renders of the folders it did not change.
 */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), 'gitops-test-renders-'));
  project.provide('renderCache', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    renderCache: string;
  }
}
