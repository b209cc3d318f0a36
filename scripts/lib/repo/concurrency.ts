import { availableParallelism } from 'node:os';

/** Runs at most `limit` tasks at once: kubectl processes are heavy on this 2-core machine. */
export function createLimiter(limit = Math.max(2, availableParallelism())) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
