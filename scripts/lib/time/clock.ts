/**
 * Time as the tools use it: read, waited on, and raced against. Every retry, backoff, timeout and
 * poll goes through one of these so tests drive time by hand instead of waiting on the wall clock.
 */
export interface Clock {
  /** Milliseconds since some fixed point; only differences matter. */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Calls `fire` after `ms` unless the returned cancel function is called first. */
  timer(ms: number, fire: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  timer: (ms, fire) => {
    const handle = setTimeout(fire, ms);
    return () => clearTimeout(handle);
  },
};
