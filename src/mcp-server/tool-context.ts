// What every tool, prompt and resource module receives from `createServer`.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ProjectFacts } from '../core/types';
import type { AnalysisOutput } from './findings-output';
import type { ServerData } from './server-data';

export interface ToolContext {
  server: McpServer;
  data: ServerData;
  /**
   * Analyses one file's text, with the facts of its program when known (`programFacts`); `{ error }` for a file the
   * engine cannot take (unknown extension, ...).
   */
  analyze(fileName: string, text: string, project?: ProjectFacts): Promise<AnalysisOutput | { error: string }>;
  /** What the other files of the program of `file` (a real path inside `root`) do. */
  programFacts(file: string, root: string): Promise<ProjectFacts>;
  /** Directories the client allows file access in (its roots, else the working directory). */
  allowedRoots(): Promise<string[]>;
  log(message: string): void;
}
