import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, with unknown flags and missing values turned into UsageError naming the flag. */
export function parseFlags<O extends Options>(args: string[], options: O, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    // Node's own advice about `--` only confuses here: keep its first sentence.
    const msg = (err as Error).message
      .split('\n')[0]!
      .split('. ')[0]!
      .replace(/^Unknown option/, 'unknown flag');
    throw new UsageError(msg, `${usage.split('\n')[0]} (--help for all flags)`);
  }
}

export function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
}
