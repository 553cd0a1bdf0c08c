// Tool: analyze source code sent by the client.
import { z } from 'zod';
import type { ToolContext } from '../tool-context';
import { MAX_CODE_BYTES, MAX_FILE_NAME_LENGTH } from '../limits';
import { analysisOutputShape, analysisText } from '../findings-output';

export function registerAnalyzeCode({ server, analyze }: ToolContext): void {
  server.registerTool(
    'analyze_code',
    {
      title: 'Analyze MCP server code',
      description:
        'Runs the MCP Server Architect rules (timeouts, unbounded caches, blocking I/O in handlers, stdout on stdio, shell injection, ' +
        'input schemas, transport security, retries, shutdown, secrets, ...) over source code and returns the findings with fixes and playbook links.',
      inputSchema: {
        code: z.string().describe('The source code (at most 1 MB).'),
        fileName: z
          .string()
          .max(MAX_FILE_NAME_LENGTH)
          .default('server.ts')
          .describe('A file name whose extension selects the language: .ts .tsx .mts .cts .js .jsx .mjs .cjs .py'),
      },
      outputSchema: analysisOutputShape,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ code, fileName }) => {
      const bytes = Buffer.byteLength(code, 'utf8');
      if (bytes > MAX_CODE_BYTES) {
        return errorResult(`The code is ${bytes} bytes; the limit is ${MAX_CODE_BYTES} bytes (1 MB). Send a single file or a smaller excerpt.`);
      }
      const result = await analyze(fileName, code);
      if ('error' in result) return errorResult(result.error);
      return { content: [{ type: 'text', text: analysisText(result) }], structuredContent: result };
    },
  );
}

export function errorResult(message: string) {
  return { content: [{ type: 'text' as const, text: message }], isError: true };
}
