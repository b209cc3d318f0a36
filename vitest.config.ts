import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // CI runners ship a helm: tests see a machine without one unless they put a fake helm on PATH.
    env: { HELM: '' },
  },
});
