// Dispatches `mcp-architect <command> [args]` to the command table and maps errors to exit codes.
import { EXIT_OK, EXIT_USAGE, UsageError, type CliCommand, type CliIo } from './command';
import { COMMANDS } from './commands';
import { CLI_NAME, VERSION } from './version';

export function mainUsage(commands: readonly CliCommand[] = COMMANDS): string {
  const width = Math.max(...commands.map(c => c.name.length));
  return [
    `Usage: ${CLI_NAME} <command> [options]`,
    '',
    'Commands:',
    ...commands.map(c => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Run \`${CLI_NAME} <command> --help\` for the options of a command.`,
    `       ${CLI_NAME} --version prints the version.`,
    '',
  ].join('\n');
}

export async function runCli(argv: readonly string[], io: CliIo, commands: readonly CliCommand[] = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(mainUsage(commands));
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? commands.find(c => c.name === rest[0]) : undefined;
    io.stdout(topic ? topic.usage : mainUsage(commands));
    return EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return EXIT_OK;
  }
  const command = commands.find(c => c.name === name);
  if (!command) {
    io.stderr(`${CLI_NAME}: unknown command '${name}'\n\n${mainUsage(commands)}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage);
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${CLI_NAME} ${command.name}: ${error.message}\n${error.showUsage ? `\n${command.usage}` : ''}`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
