#!/usr/bin/env zx
// Thin entry point: regenerates the vendored kustomize built-in schema from kustomize's own bundle (never downloads).
import { runCommand } from '../compiled-library.mjs';

await runCommand('vendor-kustomize-schema', import.meta.url);
