// What every tool, prompt and resource module receives from `createServer`.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AnalysisOutput } from './findings-output';
import type { ServerData } from './server-data';

export interface ToolContext {
  server: McpServer;
  data: ServerData;
  /** Analyses one file's text; `{ error }` for a file the engine cannot take (unknown extension, ...). */
  analyze(fileName: string, text: string): Promise<AnalysisOutput | { error: string }>;
  /** Directories the client allows file access in (its roots, else the working directory). */
  allowedRoots(): Promise<string[]>;
  log(message: string): void;
}
