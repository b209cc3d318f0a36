#!/usr/bin/env zx
// `npm run bench`: throughput and wall times, measured, never asserted in tests.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./bench/run-bench.ts');
const { runCli } = await import('./lib/cli/run-cli.ts');
await runCli(main, import.meta.url);
