// The subcommands of `mcp-architect`, in the order `--help` lists them.
// A new command is one module exporting a `CliCommand`, added to this list.
import type { CliCommand } from './command';
import { lintCommand } from './lint/command';
import { registerCommand, unregisterCommand } from './register-command';
import { serveCommand } from './serve-command';

export const COMMANDS: readonly CliCommand[] = [lintCommand, serveCommand, registerCommand, unregisterCommand];
