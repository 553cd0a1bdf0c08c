// Tool: the implementation of a pattern (circuit breaker, TTL cache, retry, ...) in TypeScript, JavaScript or Python.
import { z } from 'zod';
import type { ToolContext } from '../tool-context';
import { expandSnippet, SNIPPET_LANGUAGES } from '../../core/snippets';
import { errorResult } from './analyze-code';

export function registerGetSnippet({ server, data }: ToolContext): void {
  server.registerTool(
    'get_snippet',
    {
      title: 'Get a pattern snippet',
      description:
        'Returns ready-to-use code for a resilience or MCP server pattern, with the placeholders filled with their defaults. ' +
        'Patterns are snippet prefixes such as mcp-circuit-breaker, mcp-ttl-cache, mcp-retry-backoff, mcp-bulkhead, mcp-server-stdio; ' +
        'the "mcp-" may be left out.',
      inputSchema: {
        pattern: z.string().min(1).max(100).describe('Snippet prefix, e.g. mcp-circuit-breaker or circuit-breaker.'),
        language: z.enum(['typescript', 'javascript', 'python']).default('typescript'),
      },
      outputSchema: {
        prefix: z.string(),
        name: z.string(),
        language: z.string(),
        description: z.string(),
        playbook: z.string().optional(),
        code: z.string(),
      },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ pattern, language }) => {
      const prefix = pattern.startsWith('mcp-') ? pattern : `mcp-${pattern}`;
      const snippet = data.snippets.get(prefix, language);
      if (!snippet) {
        const known = data.snippets.list(language).map(s => s.prefix);
        const elsewhere = SNIPPET_LANGUAGES.filter(l => l !== language && data.snippets.get(prefix, l));
        return errorResult(
          `No ${language} snippet '${prefix}'.${elsewhere.length ? ` It exists for ${elsewhere.join(', ')}.` : ''} Known ${language} patterns: ${known.join(', ')}.`,
        );
      }
      const code = expandSnippet(snippet.body, { language });
      return {
        content: [{ type: 'text', text: `${snippet.description}\n\n\`\`\`${language}\n${code}\n\`\`\`` }],
        structuredContent: {
          prefix: snippet.prefix,
          name: snippet.name,
          language,
          description: snippet.description,
          ...(snippet.playbook ? { playbook: snippet.playbook } : {}),
          code,
        },
      };
    },
  );
}
