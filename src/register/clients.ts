// The MCP clients we can register the architect with: where each keeps its configuration and in what shape.
import * as os from 'node:os';
import * as path from 'node:path';

export type ClientId = 'vscode' | 'claude-code' | 'claude-desktop' | 'cursor' | 'windsurf' | 'copilot';
export type Scope = 'workspace' | 'user';

export const CLIENT_IDS: readonly ClientId[] = ['vscode', 'claude-code', 'claude-desktop', 'cursor', 'windsurf', 'copilot'];
export const SERVER_KEY = 'mcp-server-architect';

/** The command line a client runs to start the server. */
export interface ServerLaunch {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

export interface Environment {
  workspace: string;
  home: string;
  platform: NodeJS.Platform;
  /** %APPDATA% on Windows. */
  appData?: string;
}

export function defaultEnvironment(workspace: string): Environment {
  return { workspace, home: os.homedir(), platform: process.platform, appData: process.env.APPDATA };
}

/** A JSON config file that gets a server entry under `serversKey`. */
export interface JsonTarget {
  kind: 'json';
  file: string;
  serversKey: 'servers' | 'mcpServers';
  /** The client reads strict JSON: no comments or trailing commas may be present or written. */
  strictJson: boolean;
  entry: Record<string, unknown>;
}

/** A Markdown agent file the client discovers (Claude Code subagent, GitHub Copilot custom agent). */
export interface AgentTarget {
  kind: 'agent';
  file: string;
  content: string;
}

export type Target = JsonTarget | AgentTarget;

export interface ClientPlan {
  client: ClientId;
  scope: Scope;
  targets: Target[];
}

export interface PlanOptions {
  client: ClientId;
  scope?: Scope;
  /** Write here instead of the default location (JSON clients; for copilot, the agent file). */
  configFile?: string;
  launch: ServerLaunch;
  /** Persona text for agent files. */
  agentPrompt: string;
  env: Environment;
}

export class RegisterError extends Error {}

function claudeDesktopConfig(env: Environment): string {
  switch (env.platform) {
    case 'darwin':
      return path.join(env.home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json');
    case 'win32':
      return path.join(env.appData ?? path.join(env.home, 'AppData', 'Roaming'), 'Claude', 'claude_desktop_config.json');
    default:
      return path.join(env.home, '.config', 'Claude', 'claude_desktop_config.json');
  }
}

function stdioEntry(launch: ServerLaunch, withType: boolean): Record<string, unknown> {
  return {
    ...(withType ? { type: 'stdio' } : {}),
    command: launch.command,
    args: launch.args,
    ...(launch.env && Object.keys(launch.env).length ? { env: launch.env } : {}),
  };
}

/** Where and what to write for a client; nothing is touched here. */
export function planRegistration(o: PlanOptions): ClientPlan {
  const { env, launch } = o;
  const ws = (...p: string[]) => path.join(env.workspace, ...p);
  const scopeOr = (def: Scope) => o.scope ?? def;
  const json = (file: string, serversKey: JsonTarget['serversKey'], strictJson: boolean, withType: boolean): JsonTarget => ({
    kind: 'json',
    file: o.configFile ?? file,
    serversKey,
    strictJson,
    entry: stdioEntry(launch, withType),
  });
  switch (o.client) {
    case 'vscode': {
      const scope = scopeOr('workspace');
      if (scope === 'user' && !o.configFile) {
        throw new RegisterError('VS Code user-level servers live in the user profile: pass --config <path to the profile mcp.json>, or use the workspace scope. In VS Code itself the server is already listed with no file written.');
      }
      return { client: o.client, scope, targets: [json(ws('.vscode', 'mcp.json'), 'servers', false, true)] };
    }
    case 'claude-code': {
      const scope = scopeOr('workspace');
      const file = scope === 'workspace' ? ws('.mcp.json') : path.join(env.home, '.claude.json');
      const agentDir = scope === 'workspace' ? ws('.claude', 'agents') : path.join(env.home, '.claude', 'agents');
      return {
        client: o.client,
        scope,
        targets: [
          json(file, 'mcpServers', true, true),
          { kind: 'agent', file: path.join(agentDir, 'mcp-server-architect.md'), content: claudeAgent(o.agentPrompt) },
        ],
      };
    }
    case 'claude-desktop':
      return { client: o.client, scope: 'user', targets: [json(claudeDesktopConfig(env), 'mcpServers', true, false)] };
    case 'cursor': {
      const scope = scopeOr('workspace');
      const file = scope === 'workspace' ? ws('.cursor', 'mcp.json') : path.join(env.home, '.cursor', 'mcp.json');
      return { client: o.client, scope, targets: [json(file, 'mcpServers', false, false)] };
    }
    case 'windsurf':
      return { client: o.client, scope: 'user', targets: [json(path.join(env.home, '.codeium', 'windsurf', 'mcp_config.json'), 'mcpServers', false, false)] };
    case 'copilot': {
      const file = o.configFile ?? ws('.github', 'agents', 'mcp-server-architect.agent.md');
      return { client: o.client, scope: 'workspace', targets: [{ kind: 'agent', file, content: copilotAgent(o.agentPrompt, launch) }] };
    }
  }
}

/** Marks agent files this tool wrote, so unregister removes only its own. */
export const AGENT_MARKER = '<!-- written by mcp-server-architect; `mcp-architect unregister` removes this file -->';

const AGENT_DESCRIPTION =
  'Senior MCP server architect: reviews and designs MCP servers for resilience (timeouts, circuit breakers, bulkheads, bounded caches), security, observability and migrations. Use proactively for MCP server architecture, incidents and code review.';

function claudeAgent(prompt: string): string {
  return `---\nname: mcp-server-architect\ndescription: ${AGENT_DESCRIPTION}\n---\n${AGENT_MARKER}\n\n${stripFrontMatter(prompt)}\n`;
}

function copilotAgent(prompt: string, launch: ServerLaunch): string {
  // Custom agents may declare MCP servers in their front matter; the agent then has the analyzer tools too.
  const yamlString = (s: string) => JSON.stringify(s);
  const envLines = launch.env ? Object.entries(launch.env).map(([k, v]) => `      ${k}: ${yamlString(v)}`) : [];
  return [
    '---',
    'name: mcp-server-architect',
    `description: ${yamlString(AGENT_DESCRIPTION)}`,
    'mcp-servers:',
    `  ${SERVER_KEY}:`,
    '    type: local',
    `    command: ${yamlString(launch.command)}`,
    `    args: [${launch.args.map(yamlString).join(', ')}]`,
    "    tools: ['*']",
    ...(envLines.length ? ['    env:', ...envLines] : []),
    '---',
    AGENT_MARKER,
    '',
    stripFrontMatter(prompt),
    '',
  ].join('\n');
}

function stripFrontMatter(md: string): string {
  return md.replace(/^---\n[\s\S]*?\n---\n/, '').trim();
}
