// Messages between the playbook sidebar (webview) and the extension. Types only, shared by both sides:
// the webview script imports them, the extension validates every incoming message against them
// (src/extension/playbook-messages.ts) before it acts.
import type { Playbook } from '../core/playbooks';
import type { SnippetLanguage } from '../core/snippets';

/** A place in the sidebar: a playbook, optionally one of its sections. */
export interface PlaybookLocation {
  playbookId: string;
  sectionId?: string;
}

export interface RuleSummary {
  id: string;
  description: string;
  /** docs/rules/<id>.md ships with the extension. */
  hasDoc: boolean;
}

export interface SnippetSummary {
  prefix: string;
  /** The snippet's name in the snippet files, e.g. "MCP circuit breaker". */
  name: string;
  description: string;
  /** Editor languages the snippet exists for. */
  languages: SnippetLanguage[];
}

// ---------------------------------------------------------------------------------------------- extension -> webview

export interface InitMessage {
  type: 'init';
  playbooks: readonly Playbook[];
  rules: RuleSummary[];
  snippets: SnippetSummary[];
  /** Checked checklist item keys ("<playbook>/<checklist>/<item>") of this workspace. */
  checked: string[];
  /** Where to open, when the sidebar was revealed for a playbook. */
  reveal?: PlaybookLocation;
}

export interface CheckedMessage {
  type: 'checked';
  checked: string[];
}

export interface RevealMessage {
  type: 'reveal';
  location: PlaybookLocation;
}

export type ExtensionMessage = InitMessage | CheckedMessage | RevealMessage;

// ---------------------------------------------------------------------------------------------- webview -> extension

export type ViewMessage =
  /** The page's script runs and wants its data. */
  | { type: 'ready' }
  | { type: 'setChecked'; key: string; checked: boolean }
  | { type: 'insertSnippet'; prefix: string }
  | { type: 'openRuleDoc'; ruleId: string }
  /** The playbook as a Markdown document. */
  | { type: 'openMarkdown'; playbookId: string };

export type ViewMessageType = ViewMessage['type'];
