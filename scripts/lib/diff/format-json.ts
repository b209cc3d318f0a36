import type { DiffResult } from './result.ts';

/** Pure: the result as JSON, for scripts (`jq`). */
export function formatDiffJson(result: DiffResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
