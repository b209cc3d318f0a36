import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../cli/write-file-atomic.ts';
import type { EnvironmentDrift } from './drift-report.ts';

/** What was last posted to Slack for an environment. */
export interface PostedDrift {
  fingerprint: string;
  postedAt: string;
  summary: string;
}

export type DriftNotifyState = Record<string, PostedDrift>;

/**
 * A drift result as a fingerprint: every resource's state and identity, every changed field with
 * both values, and what could not be listed. Same fingerprint, same result: nothing new to post.
 */
export function driftFingerprint(r: EnvironmentDrift): string {
  const h = createHash('sha256');
  h.update(
    JSON.stringify([
      r.drift.map((d) => [
        d.state,
        d.id,
        d.state === 'changed' ? d.fields : d.state === 'not-compared' ? d.reason : 0,
      ]),
      [...r.forbidden].sort(),
    ]),
  );
  return h.digest('hex');
}

/** The state file the drift workflow caches between runs; a missing or unreadable file is an empty state. */
export function readNotifyState(file: string): DriftNotifyState {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as DriftNotifyState) : {};
  } catch {
    return {};
  }
}

export function writeNotifyState(file: string, state: DriftNotifyState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
}
