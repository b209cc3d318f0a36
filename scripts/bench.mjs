#!/usr/bin/env zx
// `npm run bench`: throughput and wall times, measured, never asserted in tests.
import { runCommand } from './compiled-library.mjs';

await runCommand('bench', import.meta.url);
