#!/usr/bin/env zx
// Thin entry point: regenerates the vendored CRD schemas from local CRD files (never downloads).
import { runCommand } from '../compiled-library.mjs';

await runCommand('vendor-crds', import.meta.url);
