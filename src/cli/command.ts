// What a subcommand of `mcp-architect` is, and the error that means "bad usage" (exit code 2).

/** Where a command writes; the real process streams in production, buffers in-process if ever needed. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Directory that relative paths and report URIs are resolved against. */
  cwd: string;
  /** True when stdout is a terminal that may be coloured. */
  color: boolean;
  /** The CLI bundle, which lint can start as worker threads; absent when the CLI runs in-process. */
  workerScript?: string;
}

export interface CliCommand {
  /** The word after `mcp-architect`, e.g. `lint`. */
  name: string;
  /** One line for the command list in `mcp-architect --help`. */
  summary: string;
  /** Full usage text, printed by `mcp-architect <name> --help` and after a usage error. */
  usage: string;
  /** Runs the command and resolves to the process exit code. Throws `UsageError` for bad arguments. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** Bad arguments or unreadable input: reported on stderr with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** Print the command's usage after the message (not for e.g. an unreadable file). */
    readonly showUsage = true,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
