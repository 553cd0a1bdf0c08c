// Tool: a playbook by id, or the best match for a search query.
import { z } from 'zod';
import type { ToolContext } from '../tool-context';
import { getPlaybook, searchPlaybooks } from '../../core/playbooks';
import { errorResult } from './analyze-code';
import { playbookUri } from '../resources';

export function registerGetPlaybook({ server, data }: ToolContext): void {
  server.registerTool(
    'get_playbook',
    {
      title: 'Get a playbook',
      description:
        "Returns one of the architect's playbooks (steps, thresholds, checklists, rules and snippets) by id, or the best match for a query " +
        '(e.g. "circuit breaker", "p99", "strangler fig", "postmortem").',
      inputSchema: {
        id: z.string().max(100).optional().describe('Playbook id, e.g. circuit-breaker-cascade.'),
        query: z.string().max(500).optional().describe('Words to search titles, text and thresholds for, when the id is not known.'),
      },
      outputSchema: {
        id: z.string(),
        title: z.string(),
        theme: z.string(),
        summary: z.string(),
        uri: z.string(),
        markdown: z.string(),
        rules: z.array(z.string()),
        snippets: z.array(z.string()),
        otherMatches: z.array(z.object({ id: z.string(), title: z.string() })),
      },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ id, query }) => {
      let playbook = id ? getPlaybook(data.playbooks, id) : undefined;
      let others: { id: string; title: string }[] = [];
      if (id && !playbook) return errorResult(`No playbook '${id}'. Known ids: ${data.playbooks.map(p => p.id).join(', ')}.`);
      if (!playbook) {
        if (!query?.trim()) return errorResult('Give a playbook `id` or a search `query`.');
        const hits = searchPlaybooks(data.playbooks, query);
        if (hits.length === 0) return errorResult(`No playbook matches "${query}".`);
        playbook = hits[0].playbook;
        others = hits.slice(1, 6).map(h => ({ id: h.playbook.id, title: h.playbook.title }));
      }
      const markdown = data.playbookMarkdown(playbook.id) ?? '';
      return {
        content: [{ type: 'text', text: markdown }],
        structuredContent: {
          id: playbook.id,
          title: playbook.title,
          theme: playbook.theme,
          summary: playbook.summary,
          uri: playbookUri(playbook.id),
          markdown,
          rules: [...playbook.rules],
          snippets: [...playbook.snippets],
          otherMatches: others,
        },
      };
    },
  );
}
