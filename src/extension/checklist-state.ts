// Checked playbook checklist items of one workspace, kept in the extension's workspaceState (a Memento), so that
// they survive reloads and belong to the workspace rather than to the webview. No `vscode` import.

/** The part of `vscode.Memento` used here. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export const CHECKLIST_STATE_KEY = 'mcpArchitect.playbookChecklists';

export class ChecklistState {
  private readonly checked: Set<string>;
  private writing: Promise<void> = Promise.resolve();

  /** `knownKeys`: every checklist item that exists; stored keys of items that no longer exist are dropped. */
  constructor(
    private readonly store: StateStore,
    private readonly knownKeys: ReadonlySet<string>,
  ) {
    const stored = store.get<unknown>(CHECKLIST_STATE_KEY);
    const keys = Array.isArray(stored) ? stored.filter((k): k is string => typeof k === 'string' && knownKeys.has(k)) : [];
    this.checked = new Set(keys);
  }

  /** Checked keys, in the order of `knownKeys`. */
  keys(): string[] {
    return [...this.knownKeys].filter(k => this.checked.has(k));
  }

  isChecked(key: string): boolean {
    return this.checked.has(key);
  }

  /** Updates one item; writes are queued so that the store always ends with the last state. */
  set(key: string, checked: boolean): Promise<void> {
    if (!this.knownKeys.has(key)) return Promise.reject(new Error(`unknown checklist item ${JSON.stringify(key)}`));
    if (checked) this.checked.add(key);
    else this.checked.delete(key);
    const snapshot = this.keys();
    this.writing = this.writing.catch(() => undefined).then(() => this.store.update(CHECKLIST_STATE_KEY, snapshot));
    return this.writing;
  }
}
