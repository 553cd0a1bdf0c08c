// Resources under stable URIs: the persona, every playbook and every rule's documentation, as Markdown, each listed.
import type { ToolContext } from './tool-context';
import { RULES } from '../core/rules';

export const PERSONA_URI = 'mcp-architect://persona';
export const playbookUri = (id: string) => `mcp-architect://playbooks/${id}`;
export const ruleUri = (id: string) => `mcp-architect://rules/${id}`;

const markdown = (uri: URL, text: string) => ({ contents: [{ uri: uri.href, mimeType: 'text/markdown', text }] });

export function registerResources({ server, data }: ToolContext): void {
  server.registerResource(
    'persona',
    PERSONA_URI,
    { title: 'MCP server architect persona', description: "The architect's rules, patterns, thresholds and playbooks, as written.", mimeType: 'text/markdown' },
    async uri => markdown(uri, data.persona),
  );

  server.registerResource(
    'playbook-index',
    'mcp-architect://playbooks',
    { title: 'Playbooks', description: 'Every playbook with its summary and URI.', mimeType: 'text/markdown' },
    async uri =>
      markdown(uri, `# Playbooks\n\n${data.playbooks.map(p => `- [${p.title}](${playbookUri(p.id)}) — ${p.summary}`).join('\n')}\n`),
  );
  for (const p of data.playbooks) {
    server.registerResource(
      `playbook-${p.id}`,
      playbookUri(p.id),
      { title: `Playbook: ${p.title}`, description: p.summary, mimeType: 'text/markdown' },
      async uri => markdown(uri, data.playbookMarkdown(p.id) ?? ''),
    );
  }

  server.registerResource(
    'rule-index',
    'mcp-architect://rules',
    { title: 'Analyzer rules', description: 'Every rule with its code, default severity and URI.', mimeType: 'text/markdown' },
    async uri =>
      markdown(uri, `# Rules\n\n${RULES.map(r => `- [${r.meta.id}](${ruleUri(r.meta.id)}) (${r.meta.code}, ${r.meta.defaultSeverity}) — ${r.meta.description}`).join('\n')}\n`),
  );
  for (const { meta } of RULES) {
    const page = data.ruleDocs.get(meta.id);
    if (!page) continue;
    server.registerResource(
      `rule-${meta.id}`,
      ruleUri(meta.id),
      { title: `Rule: ${meta.id}`, description: meta.description, mimeType: 'text/markdown' },
      async uri => markdown(uri, page),
    );
  }
}
