import { existsSync, readFileSync } from 'node:fs';
import { InputError, UsageError } from '../errors.ts';

/** What a Secret key may be called (Kubernetes: alphanumerics, `-`, `_`, `.`). */
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** `KEY=VALUE` from --from-literal; the value may itself contain `=`. */
export function parseLiteral(literal: string): [string, string] {
  const i = literal.indexOf('=');
  const key = i < 0 ? literal : literal.slice(0, i);
  if (i < 0 || !SECRET_KEY.test(key))
    throw new UsageError(
      `--from-literal takes KEY=VALUE with a key of letters, digits, "-", "_" or "." (got "${key}")`,
    );
  return [key, literal.slice(i + 1)];
}

/**
 * `KEY=VALUE` lines of an env file, as `kubectl create secret --from-env-file` reads them: blank
 * lines and `#` comments skipped, the value taken verbatim after the first `=`. A bad line is named
 * by number, never echoed: it may hold a secret.
 */
export function parseEnvFile(file: string, shownAs: string): [string, string][] {
  if (!existsSync(file))
    throw new InputError('no such file', shownAs, undefined, 'check the path given to --from-env-file');
  const out: [string, string][] = [];
  readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (line.trim() === '' || line.trimStart().startsWith('#')) return;
      const eq = line.indexOf('=');
      const key = eq < 0 ? '' : line.slice(0, eq).trim();
      if (!SECRET_KEY.test(key))
        throw new InputError(
          'not a KEY=VALUE line',
          shownAs,
          i + 1,
          'write each value as KEY=VALUE on its own line',
        );
      out.push([key, line.slice(eq + 1)]);
    });
  return out;
}
