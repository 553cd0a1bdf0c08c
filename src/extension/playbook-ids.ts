// Ids of the playbook sidebar's contributions (package.json `contributes`), shared by the code that uses them.
export const PLAYBOOK_CONTAINER_ID = 'mcpArchitect';
export const PLAYBOOK_VIEW_ID = 'mcpArchitect.playbooks';
/** `mcpArchitect.openPlaybook([ref])`: ref is "<playbook-id>" or "<playbook-id>#<section-id>"; without it, a quick pick. */
export const COMMAND_OPEN_PLAYBOOK = 'mcpArchitect.openPlaybook';
export const COMMAND_EXPORT_REVIEW = 'mcpArchitect.exportReview';
