// createServer(): the MCP server that serves the architect persona, playbooks, rule docs and the analyzer.
// One tool per file under tools/; transports are attached by the caller (main.ts uses stdio).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { RootsListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { fileURLToPath } from 'node:url';
import type { ServerData } from './server-data';
import type { ToolContext } from './tool-context';
import { toAnalysisOutput } from './findings-output';
import { ProgramFacts } from './program-facts';
import { analyzeText } from '../core/analyzer';
import { languageOf } from '../core/languages';
import type { TypeScriptModule } from '../core/types';
import { registerAnalyzeCode } from './tools/analyze-code';
import { registerAnalyzeFile } from './tools/analyze-file';
import { registerListRules } from './tools/list-rules';
import { registerGetPlaybook } from './tools/get-playbook';
import { registerGetSnippet } from './tools/get-snippet';
import { registerPrompts } from './prompts/architect-prompts';
import { registerResources } from './resources';
import { SERVER_NAME } from './server-name';

export { SERVER_NAME };

export interface CreateServerOptions {
  ts: TypeScriptModule;
  data: ServerData;
  version: string;
  /** Used when the client declares no roots. */
  workingDirectory?: string;
  log?: (message: string) => void;
}

export function createServer(options: CreateServerOptions): McpServer {
  const { ts, data } = options;
  const log = options.log ?? ((m: string) => process.stderr.write(`[${SERVER_NAME}] ${m}\n`));
  const server = new McpServer(
    { name: SERVER_NAME, title: 'MCP Server Architect', version: options.version },
    {
      capabilities: { logging: {} },
      instructions:
        'A senior MCP server architect. Use analyze_code / analyze_file to review MCP server code, get_playbook for the playbooks ' +
        '(resilience, migration, incidents, observability, security, teams), get_snippet for implementations of the patterns, and the ' +
        '`architect` prompt for the persona.',
    },
  );

  let rootsCache: string[] | undefined;
  server.server.setNotificationHandler(RootsListChangedNotificationSchema, async () => {
    rootsCache = undefined;
  });

  const programs = new ProgramFacts(ts, data.pythonFacts);
  const ctx: ToolContext = {
    server,
    data,
    log,
    async analyze(fileName, text, project) {
      const language = languageOf(fileName);
      if (!language) return { error: `Cannot analyse ${fileName}: use a .ts, .tsx, .mts, .cts, .js, .jsx, .mjs, .cjs or .py file name.` };
      if (language === 'python') {
        if (!data.analyzePython) return { error: 'Python analysis is not available in this build.' };
        return toAnalysisOutput(fileName, language, await data.analyzePython(fileName, text, project));
      }
      return toAnalysisOutput(fileName, language, analyzeText(ts, fileName, text, { scope: 'all', project, onRuleError: (id, e) => log(`rule ${id} failed: ${String(e)}`) }));
    },
    programFacts: (file, root) => programs.of(file, root),
    async allowedRoots() {
      if (rootsCache) return rootsCache;
      const fallback = [options.workingDirectory ?? process.cwd()];
      if (!server.server.getClientCapabilities()?.roots) return fallback;
      try {
        const { roots } = await server.server.listRoots(undefined, { timeout: 10_000 });
        const dirs = roots.filter(r => r.uri.startsWith('file:')).map(r => fileURLToPath(r.uri));
        rootsCache = dirs.length > 0 ? dirs : fallback;
      } catch (error) {
        log(`roots/list failed, using the working directory: ${String(error)}`);
        return fallback;
      }
      return rootsCache;
    },
  };

  registerAnalyzeCode(ctx);
  registerAnalyzeFile(ctx);
  registerListRules(ctx);
  registerGetPlaybook(ctx);
  registerGetSnippet(ctx);
  registerPrompts(ctx);
  registerResources(ctx);
  return server;
}
