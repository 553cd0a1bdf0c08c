// The one place that builds documentation and playbook links.
export const REPOSITORY_URL = 'https://github.com/mcp-architect/mcp-server-architect';

export function ruleDocUrl(ruleId: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/rules/${ruleId}.md`;
}

/** Relative path of a rule's page inside the extension/repository. */
export function ruleDocPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

/** `playbook` is "<playbook-id>" or "<playbook-id>#<section>". */
export function playbookUrl(playbook: string): string {
  const [id, section] = playbook.split('#');
  return `${REPOSITORY_URL}/blob/main/media/playbooks/${id}.yaml${section ? `#${section}` : ''}`;
}
