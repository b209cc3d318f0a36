import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/worker-setup.ts'],
    // Workers that keep the library loaded between test files: most of the suite's time was
    // each file importing and compiling it again. Tests share no mutable module state (caches are
    // keyed by content), and each file builds its own fixtures.
    pool: 'forks',
    isolate: false,
    maxWorkers: 2,
    // Transformed TypeScript kept on disk between runs, keyed by content (no plugins here whose
    // options the key could miss): each worker otherwise transforms every module it imports again.
    experimental: { fsModuleCache: true },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // CI runners ship a helm: tests see a machine without one unless they put a fake helm on PATH.
    // Model validators load file by file: a worker keeps them loaded between test files, so one
    // bundle per kind set would only add builds (test/check/validator-bundle.test.ts covers bundles).
    env: { HELM: '', GITOPS_VALIDATOR_BUNDLE: '0' },
  },
});
