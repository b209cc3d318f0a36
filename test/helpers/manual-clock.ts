import type { Clock } from '../../scripts/lib/time/clock.ts';

/**
 * A clock that only moves when told: `sleep` advances it at once and records the wait, timers fire
 * when a test calls `fireTimers()` (say, once a test double has received the request being timed).
 */
export function manualClock(start = 0) {
  let now = start;
  const waits: number[] = [];
  const pending = new Set<{ at: number; fire: () => void }>();
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
    timer: (ms, fire) => {
      const t = { at: now + ms, fire };
      pending.add(t);
      return () => pending.delete(t);
    },
  };
  return {
    clock,
    /** Every sleep so far, in order. */
    waits,
    /** Fires every pending timer, moving the clock to the latest of them. */
    fireTimers(): number {
      const due = [...pending].sort((a, b) => a.at - b.at);
      pending.clear();
      for (const t of due) {
        now = Math.max(now, t.at);
        t.fire();
      }
      return due.length;
    },
  };
}
