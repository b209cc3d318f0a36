/** Where a command writes; injectable so commands run in tests without a process. */
export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Is stdin a terminal a person can answer prompts on? */
  interactive: boolean;
  /** All of standard input (`--files -`). */
  readStdin?: () => string;
  /** Reads a line from the person at the terminal (only called when interactive). */
  prompt?: (question: string) => Promise<string>;
}

export type CommandMain = (args: string[], io: CommandIO) => Promise<number>;
