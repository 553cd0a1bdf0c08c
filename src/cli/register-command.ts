// `mcp-architect register|unregister --client <id>`: writes the server into an MCP client's configuration.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXIT_OK, UsageError, type CliCommand } from './command';
import { CLIENT_IDS, RegisterError, type ClientId, type Scope } from '../register/clients';
import { describeChange, runRegistration, serverLaunch } from '../register/register';
import { findAssetRoot } from '../mcp-server/server-data';

const usage = (verb: string) => `Usage: mcp-architect ${verb} --client <${CLIENT_IDS.join('|')}> [--scope workspace|user] [--config FILE] [--dry-run]${verb === 'register' ? ' [--force]' : ' [--force]'}

${verb === 'register' ? 'Writes the MCP Server Architect server into the client\'s configuration' : 'Removes the MCP Server Architect server from the client\'s configuration'}:
  vscode          .vscode/mcp.json ("servers")
  claude-code     .mcp.json ("mcpServers") and .claude/agents/mcp-server-architect.md (user scope: ~/.claude.json, ~/.claude/agents)
  claude-desktop  claude_desktop_config.json in the per-OS location
  cursor          .cursor/mcp.json (user scope: ~/.cursor/mcp.json)
  windsurf        ~/.codeium/windsurf/mcp_config.json
  copilot         .github/agents/mcp-server-architect.agent.md (a custom agent with the server)

Options:
  --client ID      the client (required)
  --scope S        workspace (default where the client has one) or user
  --config FILE    write to FILE instead of the default location
  --dry-run        show what would change; write nothing
  --force          replace an existing, different entry or agent file
Comments and other entries are kept; a malformed file is refused and left untouched; the first version is backed up
as <file>.mcp-architect.bak.
`;

function parse(args: string[]) {
  let client: ClientId | undefined;
  let scope: Scope | undefined;
  let config: string | undefined;
  let dryRun = false;
  let force = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--client') {
      const v = value();
      if (!(CLIENT_IDS as readonly string[]).includes(v)) throw new UsageError(`unknown client '${v}' (one of ${CLIENT_IDS.join(', ')})`);
      client = v as ClientId;
    } else if (a === '--scope') {
      const v = value();
      if (v !== 'workspace' && v !== 'user') throw new UsageError(`--scope is workspace or user, not '${v}'`);
      scope = v;
    } else if (a === '--config') config = value();
    else if (a === '--dry-run') dryRun = true;
    else if (a === '--force') force = true;
    else throw new UsageError(`unknown argument '${a}'`);
  }
  if (!client) throw new UsageError('--client is required');
  return { client, scope, config, dryRun, force };
}

function makeCommand(mode: 'register' | 'unregister'): CliCommand {
  return {
    name: mode,
    summary: mode === 'register' ? "Write the MCP server into an MCP client's configuration" : "Remove the MCP server from an MCP client's configuration",
    usage: usage(mode),
    async run(args, io) {
      const o = parse(args);
      const assets = findAssetRoot(__dirname);
      const launch = serverLaunch(path.join(__dirname, 'mcp-server.js'), { execPath: process.execPath, isElectron: Boolean(process.versions.electron) });
      if (mode === 'register') io.stderr(`Server command: ${[launch.command, ...launch.args].map(a => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
      try {
        const changes = runRegistration({
          client: o.client,
          mode,
          scope: o.scope,
          configFile: o.config,
          dryRun: o.dryRun,
          force: o.force,
          workspace: io.cwd,
          launch,
          agentPrompt: fs.readFileSync(path.join(assets, 'media', 'persona.md'), 'utf8'),
        });
        for (const c of changes) io.stdout(`${o.dryRun ? describeChange(c) : `${c.action}: ${c.message}${c.backup ? ` (first version saved as ${c.backup})` : ''}`}\n`);
        if (o.dryRun) io.stdout('Dry run: nothing was written.\n');
        return EXIT_OK;
      } catch (error) {
        if (error instanceof RegisterError) throw new UsageError(error.message, false);
        throw error;
      }
    },
  };
}

export const registerCommand = makeCommand('register');
export const unregisterCommand = makeCommand('unregister');
