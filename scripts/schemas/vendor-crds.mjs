#!/usr/bin/env zx
// Thin entry point: regenerates the vendored CRD schemas from local CRD files (never downloads).
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../lib/cli/run-cli.ts');
const { main } = await import('../lib/check/schema/vendor-crds.ts');
await runCli(main, import.meta.url);
