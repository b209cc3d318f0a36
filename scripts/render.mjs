#!/usr/bin/env zx
// Thin entry point: runs the command from the library, compiled once per content (compiled-library.mjs).
import { runCommand } from './compiled-library.mjs';

await runCommand('render', import.meta.url);
