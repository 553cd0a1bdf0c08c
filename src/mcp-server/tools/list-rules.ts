// Tool: the rules the analyzer knows, with their metadata and documentation links.
import { z } from 'zod';
import type { ToolContext } from '../tool-context';
import { RULES } from '../../core/rules';
import { ruleDocUrl } from '../../core/docs';

export function registerListRules({ server }: ToolContext): void {
  server.registerTool(
    'list_rules',
    {
      title: 'List analyzer rules',
      description: 'Lists the MCP Server Architect rules: id, numeric code, default severity, what each flags, its fix and its playbook.',
      inputSchema: {
        language: z.enum(['typescript', 'python']).optional().describe('Only rules implemented for this language.'),
      },
      outputSchema: {
        rules: z.array(
          z.object({
            id: z.string(),
            code: z.number().int(),
            defaultSeverity: z.string(),
            description: z.string(),
            fix: z.string().nullable(),
            playbook: z.string(),
            languages: z.array(z.string()),
            docUrl: z.string(),
            resourceUri: z.string(),
          }),
        ),
      },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ language }) => {
      const rules = RULES.filter(r => !language || r.meta.languages.includes(language)).map(({ meta }) => ({
        id: meta.id,
        code: meta.code,
        defaultSeverity: meta.defaultSeverity,
        description: meta.description,
        fix: meta.fix,
        playbook: meta.playbook,
        languages: [...meta.languages],
        docUrl: ruleDocUrl(meta.id),
        resourceUri: `mcp-architect://rules/${meta.id}`,
      }));
      const text = rules.map(r => `${r.id} (${r.code}, ${r.defaultSeverity}): ${r.description}`).join('\n');
      return { content: [{ type: 'text', text }], structuredContent: { rules } };
    },
  );
}
