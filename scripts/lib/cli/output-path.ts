import { statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.ts';

/**
 * Checked before any work: a report goes into an existing folder and never onto a folder, so a
 * long run does not end in a write that fails (and leaves nothing half written).
 */
export function checkOutputPath(target: string, shownAs: string): void {
  let dir;
  try {
    dir = statSync(path.dirname(target));
  } catch {
    throw new UsageError(
      `--output ${shownAs}: folder ${path.dirname(shownAs)} does not exist`,
      'create the folder first or write the report elsewhere',
    );
  }
  if (!dir.isDirectory())
    throw new UsageError(`--output ${shownAs}: ${path.dirname(shownAs)} is not a folder`);
  try {
    if (statSync(target).isDirectory())
      throw new UsageError(`--output ${shownAs} is a folder`, 'give a file name, e.g. report.json');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // no file there yet: the report creates it
  }
}

/** `--output FILE` as given (relative to `cwd`), checked; undefined when the flag is absent. */
export function outputFlag(value: string | undefined, cwd: string): string | undefined {
  if (value === undefined) return undefined;
  const target = path.resolve(cwd, value);
  checkOutputPath(target, value);
  return target;
}
