// The subcommands of `mcp-architect`, in the order `--help` lists them.
// A new command is one module exporting a `CliCommand`, added to this list.
import type { CliCommand } from './command';
import { lintCommand } from './lint/command';

export const COMMANDS: readonly CliCommand[] = [lintCommand];
