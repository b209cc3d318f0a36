#!/usr/bin/env zx
// Thin entry point: loads the TypeScript library through tsx (no build step), runs, sets the exit code.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('./lib/cli/run-cli.ts');
const { main } = await import('./lib/commands/render.ts');
await runCli(main, import.meta.url);
