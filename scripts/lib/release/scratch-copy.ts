import {
  copyFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A throw-away copy of the repository's files (without .git and node_modules) with some files
 * replaced: the plan and the validation gate look at the promoted state there, so the work tree is
 * only written once every gate has passed.
 *
 * Files are hard links where the file system allows it (a copy of a large repository is then made
 * in milliseconds) and copies where it does not. An edited file is unlinked before it is written,
 * so the repository's own file is never changed through the link; nothing else writes in the copy.
 * Renders do not depend on where the copy is: the render cache is keyed by content and relative
 * paths, so the folders a promotion does not change come from it.
 */
export function scratchCopy(
  root: string,
  edits: ReadonlyMap<string, string>,
): { dir: string; dispose(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'gitops-promote-'));
  let link = true;
  const place = (from: string, to: string) => {
    if (link) {
      try {
        linkSync(from, to);
        return;
      } catch {
        // another file system (or no hard links): copy from here on
        link = false;
      }
    }
    copyFileSync(from, to);
  };
  const visit = (from: string, to: string, top: boolean) => {
    for (const e of readdirSync(from, { withFileTypes: true })) {
      if (top && (e.name === '.git' || e.name === 'node_modules')) continue;
      const src = path.join(from, e.name);
      const dst = path.join(to, e.name);
      if (e.isDirectory()) {
        mkdirSync(dst);
        visit(src, dst, false);
      } else if (e.isFile()) place(src, dst);
      else if (e.isSymbolicLink()) symlinkSync(readlinkSync(src), dst);
    }
  };
  visit(root, dir, true);
  for (const [file, text] of edits) {
    const target = path.join(dir, file);
    rmSync(target, { force: true });
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
