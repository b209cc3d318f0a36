import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A throw-away copy of the repository's files (without .git and node_modules) with some files
 * replaced: the plan and the validation gate look at the promoted state there, so the work tree is
 * only written once every gate has passed.
 */
export function scratchCopy(
  root: string,
  edits: ReadonlyMap<string, string>,
): { dir: string; dispose(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'promote-'));
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
