import { inject } from 'vitest';

// Commands called in-process read the render cache from the environment, as the CLI does: every
// test file uses the run's shared cache (see global-setup.ts), not the tool's own.
process.env.GITOPS_RENDER_CACHE = inject('renderCache');
