import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { ToolError } from '../errors.ts';

/**
 * Replaces `target` with a folder holding exactly `files`, written in a temp folder beside it and
 * renamed into place, so a failed run never leaves half the files. An existing `target` may hold only
 * `.yaml` files (an earlier output); anything else is refused rather than deleted.
 */
export function replaceDirectory(target: string, files: ReadonlyMap<string, string>): void {
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new ToolError(`--output ${target} exists and is not a folder`);
    const foreign = readdirSync(target, { withFileTypes: true }).find(
      (e) => !e.isFile() || !e.name.endsWith('.yaml'),
    );
    if (foreign)
      throw new ToolError(
        `--output ${target} holds ${foreign.name}, which an earlier render did not write; not replacing it`,
        'pass an empty or new folder',
      );
  }
  const parent = path.dirname(target);
  mkdirSync(parent, { recursive: true });
  const tmp = mkdtempSync(path.join(parent, `.${path.basename(target)}.tmp-`));
  try {
    for (const [name, text] of files) writeFileSync(path.join(tmp, name), text);
    if (existsSync(target)) {
      const old = `${tmp}.old`;
      renameSync(target, old);
      renameSync(tmp, target);
      rmSync(old, { recursive: true, force: true });
    } else renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}
