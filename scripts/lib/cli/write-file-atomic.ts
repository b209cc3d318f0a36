import { renameSync, writeFileSync } from 'node:fs';

/** Writes through a temp file and a rename, so a failed run never leaves half a report or half a pin file. */
export function writeFileAtomic(target: string, text: string | NodeJS.ArrayBufferView): void {
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, target);
}
