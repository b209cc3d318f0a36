import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A throw-away copy of the repository's files (without .git and node_modules) with some files
 * replaced: the plan and the validation gate look at the promoted state there, so the work tree is
 * only written once every gate has passed.
 *
 * The copy sits at the same path every time for the same work tree, so the render cache (keyed by
 * folder path and content) serves the folders a promotion does not change, and a repeated dry run
 * renders nothing. While another promotion of the same tree holds that path, a fresh one is used.
 */
export function scratchCopy(
  root: string,
  edits: ReadonlyMap<string, string>,
): { dir: string; dispose(): void } {
  const stable = path.join(
    tmpdir(),
    `gitops-promote-${createHash('sha256').update(root).digest('hex').slice(0, 16)}`,
  );
  let dir: string;
  try {
    mkdirSync(stable);
    dir = stable;
  } catch {
    dir = mkdtempSync(path.join(tmpdir(), 'gitops-promote-'));
  }
  cpSync(root, dir, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(root, src);
      return rel === '' || !/^(\.git|node_modules)(\/|$)/.test(rel.split(path.sep).join('/'));
    },
  });
  for (const [file, text] of edits) writeFileSync(path.join(dir, file), text);
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
