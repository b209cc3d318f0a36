/**
 * Errors a user can act on. Entry points print `message` (never a stack) and exit with `exitCode`:
 * 2 means the tool could not run (bad flag, unparseable input, missing kubectl, unreachable cluster).
 */
export class ToolError extends Error {
  readonly exitCode: number = 2;
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A bad flag or argument: names the flag. */
export class UsageError extends ToolError {}

/** Input the tool cannot read: names the file and, where known, the line. */
export class InputError extends ToolError {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    hint?: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${message}`, hint);
  }
}

/** A program the tool shells out to is not installed. */
export class MissingToolError extends ToolError {}

/** A cluster or service that cannot be reached or refuses our credentials. */
export class ConnectionError extends ToolError {}
