// The resilience-pattern snippets as data: the contributed VS Code snippet files, listed, looked up by prefix,
// and expanded with their placeholder defaults (for previews, the MCP server and the CLI) without VS Code.
import typescriptSnippetFile from '../../snippets/typescript.json';
import javascriptSnippetFile from '../../snippets/javascript.json';
import pythonSnippetFile from '../../snippets/python.json';

export type SnippetLanguage = 'typescript' | 'javascript' | 'python';

export const SNIPPET_LANGUAGES: readonly SnippetLanguage[] = ['typescript', 'javascript', 'python'];

/** One entry of a VS Code snippet file, as written in the JSON. */
export interface SnippetDefinition {
  prefix: string | string[];
  body: string | string[];
  description: string;
}

export interface Snippet {
  /** The entry's key in the snippet file, e.g. "MCP circuit breaker". */
  name: string;
  language: SnippetLanguage;
  /** The first prefix (every prefix of this project starts with `mcp-`). */
  prefix: string;
  prefixes: readonly string[];
  /** Snippet syntax, lines joined with "\n". */
  body: string;
  description: string;
  /** "<playbook-id>" or "<playbook-id>#<section>", read from the description's "playbook: …". */
  playbook: string | undefined;
}

/** Where each language's snippet file lives and which editor languages it is contributed for. */
export const SNIPPET_FILES: Readonly<Record<SnippetLanguage, { path: string; languageIds: readonly string[] }>> = {
  typescript: { path: './snippets/typescript.json', languageIds: ['typescript', 'typescriptreact'] },
  javascript: { path: './snippets/javascript.json', languageIds: ['javascript', 'javascriptreact'] },
  python: { path: './snippets/python.json', languageIds: ['python'] },
};

const FILES: Record<SnippetLanguage, Record<string, SnippetDefinition>> = {
  typescript: typescriptSnippetFile,
  javascript: javascriptSnippetFile,
  python: pythonSnippetFile,
};

const PLAYBOOK_IN_DESCRIPTION = /playbook: ([a-z0-9]+(?:-[a-z0-9]+)*(?:#[a-z0-9]+(?:-[a-z0-9]+)*)?)/;

/** Reads a snippet file's entries into `Snippet`s; throws on an entry that is not a snippet. */
export function snippetsFromFile(language: SnippetLanguage, file: Record<string, unknown>): Snippet[] {
  return Object.entries(file).map(([name, raw]) => {
    const def = raw as Partial<SnippetDefinition> | null;
    const prefixes = typeof def?.prefix === 'string' ? [def.prefix] : def?.prefix;
    const lines = typeof def?.body === 'string' ? [def.body] : def?.body;
    const body = Array.isArray(lines) && lines.every(l => typeof l === 'string') ? lines.join('\n') : undefined;
    if (!prefixes || prefixes.length === 0 || !prefixes.every(p => typeof p === 'string') || body === undefined || typeof def?.description !== 'string') {
      throw new Error(`${language} snippet "${name}" needs a prefix, a body and a description`);
    }
    return {
      name,
      language,
      prefix: prefixes[0],
      prefixes,
      body,
      description: def.description,
      playbook: PLAYBOOK_IN_DESCRIPTION.exec(def.description)?.[1],
    };
  });
}

const cache = new Map<SnippetLanguage, readonly Snippet[]>();

export function listSnippets(language: SnippetLanguage): readonly Snippet[] {
  let list = cache.get(language);
  if (!list) cache.set(language, (list = snippetsFromFile(language, FILES[language])));
  return list;
}

export function getSnippet(prefix: string, language: SnippetLanguage): Snippet | undefined {
  return listSnippets(language).find(s => s.prefixes.includes(prefix));
}

/** The snippet language of a VS Code language id (`typescriptreact` -> `typescript`), if snippets exist for it. */
export function snippetLanguageOf(languageId: string): SnippetLanguage | undefined {
  return SNIPPET_LANGUAGES.find(l => SNIPPET_FILES[l].languageIds.includes(languageId));
}

// ---- snippet syntax (https://code.visualstudio.com/docs/editing/userdefinedsnippets#_grammar) ----

export interface Transform {
  regex: RegExp;
  format: FormatPart[];
}

export type FormatPart =
  | { kind: 'text'; value: string }
  | { kind: 'group'; group: number; modifier?: 'upcase' | 'downcase' | 'capitalize' | 'camelcase' | 'pascalcase'; ifValue?: string; elseValue?: string };

export type SnippetNode =
  | { kind: 'text'; value: string }
  | { kind: 'tabstop'; index: number; transform?: Transform }
  | { kind: 'placeholder'; index: number; children: SnippetNode[] }
  | { kind: 'choice'; index: number; options: string[] }
  | { kind: 'variable'; name: string; children?: SnippetNode[]; transform?: Transform };

export class SnippetSyntaxError extends Error {}

/**
 * Parses snippet syntax. Like VS Code, a `$` that starts no valid construct is text, and `}` outside a
 * placeholder is text; `\` escapes `$`, `}` and `\` (and `,` and `|` inside a choice).
 */
export function parseSnippet(body: string): SnippetNode[] {
  return new SnippetParser(body).parseNodes(false);
}

const MODIFIERS = new Set(['upcase', 'downcase', 'capitalize', 'camelcase', 'pascalcase']);

class SnippetParser {
  private pos = 0;
  constructor(private readonly src: string) {}

  /** Nodes up to the end, or (inside a placeholder) up to the unescaped `}` that closes it, which is consumed. */
  parseNodes(inPlaceholder: boolean): SnippetNode[] {
    const nodes: SnippetNode[] = [];
    let text = '';
    const flush = (): void => {
      if (text) nodes.push({ kind: 'text', value: text });
      text = '';
    };
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (ch === '\\' && this.pos + 1 < this.src.length && '$}\\'.includes(this.src[this.pos + 1])) {
        text += this.src[this.pos + 1];
        this.pos += 2;
      } else if (ch === '}' && inPlaceholder) {
        this.pos++;
        flush();
        return nodes;
      } else if (ch === '$') {
        const start = this.pos;
        const node = this.tryConstruct();
        if (node) {
          flush();
          nodes.push(node);
        } else {
          this.pos = start + 1;
          text += '$';
        }
      } else {
        text += ch;
        this.pos++;
      }
    }
    if (inPlaceholder) throw new SnippetSyntaxError('unclosed placeholder');
    flush();
    return nodes;
  }

  /** At a `$`: a tab stop, placeholder, choice or variable, or undefined (the caller rewinds). */
  private tryConstruct(): SnippetNode | undefined {
    this.pos++; // $
    const int = this.readInt();
    if (int !== undefined) return { kind: 'tabstop', index: int };
    const name = this.readName();
    if (name !== undefined) return { kind: 'variable', name };
    if (this.src[this.pos] !== '{') return undefined;
    this.pos++;
    const index = this.readInt();
    if (index !== undefined) {
      const next = this.src[this.pos];
      if (next === '}') {
        this.pos++;
        return { kind: 'tabstop', index };
      }
      if (next === ':') {
        this.pos++;
        const save = this.pos;
        try {
          return { kind: 'placeholder', index, children: this.parseNodes(true) };
        } catch (error) {
          if (!(error instanceof SnippetSyntaxError)) throw error;
          this.pos = save;
          return undefined;
        }
      }
      if (next === '|') {
        this.pos++;
        const options = this.readChoiceOptions();
        return options ? { kind: 'choice', index, options } : undefined;
      }
      if (next === '/') {
        const transform = this.readTransform();
        return transform ? { kind: 'tabstop', index, transform } : undefined;
      }
      return undefined;
    }
    const varName = this.readName();
    if (varName === undefined) return undefined;
    const next = this.src[this.pos];
    if (next === '}') {
      this.pos++;
      return { kind: 'variable', name: varName };
    }
    if (next === ':') {
      this.pos++;
      try {
        return { kind: 'variable', name: varName, children: this.parseNodes(true) };
      } catch (error) {
        if (!(error instanceof SnippetSyntaxError)) throw error;
        return undefined;
      }
    }
    if (next === '/') {
      const transform = this.readTransform();
      return transform ? { kind: 'variable', name: varName, transform } : undefined;
    }
    return undefined;
  }

  private readInt(): number | undefined {
    const m = /^[0-9]+/.exec(this.src.slice(this.pos, this.pos + 12));
    if (!m) return undefined;
    this.pos += m[0].length;
    return Number(m[0]);
  }

  private readName(): string | undefined {
    const m = /^[_a-zA-Z][_a-zA-Z0-9]*/.exec(this.src.slice(this.pos, this.pos + 200));
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  /** After `${n|`: options up to `|}`. */
  private readChoiceOptions(): string[] | undefined {
    const options: string[] = [];
    let current = '';
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (ch === '\\' && this.pos + 1 < this.src.length && '$}\\,|'.includes(this.src[this.pos + 1])) {
        current += this.src[this.pos + 1];
        this.pos += 2;
      } else if (ch === ',') {
        options.push(current);
        current = '';
        this.pos++;
      } else if (ch === '|' && this.src[this.pos + 1] === '}') {
        options.push(current);
        this.pos += 2;
        return options;
      } else {
        current += ch;
        this.pos++;
      }
    }
    return undefined;
  }

  /** At `/regex/format/options}`: the transform, with the closing `}` consumed. */
  private readTransform(): Transform | undefined {
    this.pos++; // first /
    const regexSource = this.readUntilSlash();
    if (regexSource === undefined) return undefined;
    const format = this.readFormat();
    if (!format) return undefined;
    const m = /^[a-z]*\}/.exec(this.src.slice(this.pos, this.pos + 20));
    if (!m) return undefined;
    this.pos += m[0].length;
    let regex: RegExp;
    try {
      regex = new RegExp(regexSource, m[0].slice(0, -1));
    } catch {
      throw new SnippetSyntaxError(`invalid transform regular expression /${regexSource}/`);
    }
    return { regex, format };
  }

  private readUntilSlash(): string | undefined {
    let out = '';
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (ch === '\\' && this.src[this.pos + 1] === '/') {
        out += '/';
        this.pos += 2;
      } else if (ch === '/') {
        this.pos++;
        return out;
      } else {
        out += ch;
        this.pos++;
      }
    }
    return undefined;
  }

  /** The format of a transform, up to and including its closing `/`. */
  private readFormat(): FormatPart[] | undefined {
    const parts: FormatPart[] = [];
    let text = '';
    const flush = (): void => {
      if (text) parts.push({ kind: 'text', value: text });
      text = '';
    };
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (ch === '\\' && this.pos + 1 < this.src.length && '$}\\/'.includes(this.src[this.pos + 1])) {
        text += this.src[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (ch === '/') {
        this.pos++;
        flush();
        return parts;
      }
      if (ch === '$') {
        const save = this.pos;
        const part = this.readFormatGroup();
        if (part) {
          flush();
          parts.push(part);
          continue;
        }
        this.pos = save;
      }
      text += ch;
      this.pos++;
    }
    return undefined;
  }

  private readFormatGroup(): FormatPart | undefined {
    this.pos++; // $
    const bare = this.readInt();
    if (bare !== undefined) return { kind: 'group', group: bare };
    if (this.src[this.pos] !== '{') return undefined;
    this.pos++;
    const group = this.readInt();
    if (group === undefined) return undefined;
    if (this.src[this.pos] === '}') {
      this.pos++;
      return { kind: 'group', group };
    }
    if (this.src[this.pos] !== ':') return undefined;
    this.pos++;
    const rest = this.src.slice(this.pos);
    const modifier = /^\/([a-z]+)\}/.exec(rest);
    if (modifier && MODIFIERS.has(modifier[1])) {
      this.pos += modifier[0].length;
      return { kind: 'group', group, modifier: modifier[1] as NonNullable<Extract<FormatPart, { kind: 'group' }>['modifier']> };
    }
    const marker = this.src[this.pos];
    if (marker === '+') {
      this.pos++;
      const ifValue = this.readFormatText('}');
      return ifValue === undefined ? undefined : { kind: 'group', group, ifValue };
    }
    if (marker === '?') {
      this.pos++;
      const ifValue = this.readFormatText(':');
      if (ifValue === undefined) return undefined;
      const elseValue = this.readFormatText('}');
      return elseValue === undefined ? undefined : { kind: 'group', group, ifValue, elseValue };
    }
    if (marker === '-') this.pos++;
    const elseValue = this.readFormatText('}');
    return elseValue === undefined ? undefined : { kind: 'group', group, elseValue };
  }

  private readFormatText(terminator: string): string | undefined {
    let out = '';
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (ch === '\\' && this.pos + 1 < this.src.length) {
        out += this.src[this.pos + 1];
        this.pos += 2;
      } else if (ch === terminator) {
        this.pos++;
        return out;
      } else {
        out += ch;
        this.pos++;
      }
    }
    return undefined;
  }
}

// ---- expansion ----

export interface ExpandOptions {
  /** Language the body is inserted into (comment variables). Default: typescript. */
  language?: SnippetLanguage;
  /** File the snippet is inserted into; gives TM_FILENAME, TM_FILENAME_BASE, TM_DIRECTORY, TM_FILEPATH. */
  fileName?: string;
  /** Values of variables, overriding the defaults. */
  variables?: Record<string, string>;
  /** Clock for the date variables. Default: now. */
  now?: Date;
  /** Unknown variables: insert their name as VS Code does ('name', the default) or throw ('error'). */
  unknownVariables?: 'name' | 'error';
  /** Text typed into tab stops, by index, instead of their defaults (mirrors follow). */
  tabStops?: Record<number, string>;
}

const DEFAULT_FILE: Record<SnippetLanguage, string> = {
  typescript: '/workspace/src/server.ts',
  javascript: '/workspace/src/server.mjs',
  python: '/workspace/src/server.py',
};

const COMMENTS: Record<SnippetLanguage, { line: string; blockStart: string; blockEnd: string }> = {
  typescript: { line: '//', blockStart: '/*', blockEnd: '*/' },
  javascript: { line: '//', blockStart: '/*', blockEnd: '*/' },
  python: { line: '#', blockStart: '"""', blockEnd: '"""' },
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The variables VS Code defines, with values for a snippet inserted at the start of an empty line of `fileName`. */
export function defaultVariables(options: ExpandOptions = {}): Record<string, string> {
  const language = options.language ?? 'typescript';
  const filePath = (options.fileName ?? DEFAULT_FILE[language]).replace(/\\/g, '/');
  const slash = filePath.lastIndexOf('/');
  const fileName = filePath.slice(slash + 1);
  const directory = slash >= 0 ? filePath.slice(0, slash) : '';
  const dot = fileName.lastIndexOf('.');
  const now = options.now ?? new Date();
  const pad = (n: number): string => String(n).padStart(2, '0');
  const comments = COMMENTS[language];
  const hex = (bytes: number): string =>
    Array.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes)), b => b.toString(16).padStart(2, '0')).join('');
  return {
    TM_SELECTED_TEXT: '',
    TM_CURRENT_LINE: '',
    TM_CURRENT_WORD: '',
    TM_LINE_INDEX: '0',
    TM_LINE_NUMBER: '1',
    TM_FILENAME: fileName,
    TM_FILENAME_BASE: dot > 0 ? fileName.slice(0, dot) : fileName,
    TM_DIRECTORY: directory,
    TM_FILEPATH: filePath,
    RELATIVE_FILEPATH: fileName,
    CLIPBOARD: '',
    WORKSPACE_NAME: 'workspace',
    WORKSPACE_FOLDER: directory,
    CURSOR_INDEX: '0',
    CURSOR_NUMBER: '1',
    CURRENT_YEAR: String(now.getFullYear()),
    CURRENT_YEAR_SHORT: String(now.getFullYear()).slice(-2),
    CURRENT_MONTH: pad(now.getMonth() + 1),
    CURRENT_MONTH_NAME: MONTHS[now.getMonth()],
    CURRENT_MONTH_NAME_SHORT: MONTHS[now.getMonth()].slice(0, 3),
    CURRENT_DATE: pad(now.getDate()),
    CURRENT_DAY_NAME: DAYS[now.getDay()],
    CURRENT_DAY_NAME_SHORT: DAYS[now.getDay()].slice(0, 3),
    CURRENT_HOUR: pad(now.getHours()),
    CURRENT_MINUTE: pad(now.getMinutes()),
    CURRENT_SECOND: pad(now.getSeconds()),
    CURRENT_SECONDS_UNIX: String(Math.floor(now.getTime() / 1000)),
    CURRENT_TIMEZONE_OFFSET: timezoneOffset(now),
    RANDOM: String(100000 + Math.floor(Math.random() * 900000)),
    RANDOM_HEX: hex(3),
    UUID: globalThis.crypto.randomUUID(),
    LINE_COMMENT: comments.line,
    BLOCK_COMMENT_START: comments.blockStart,
    BLOCK_COMMENT_END: comments.blockEnd,
  };
}

function timezoneOffset(now: Date): string {
  const minutes = -now.getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * The text VS Code inserts when every tab stop keeps its default: placeholders give their default text
 * (mirrored to the other occurrences of the same tab stop), choices their first option, `$0` nothing,
 * variables their value (or their default when empty). `options.tabStops` stands for text typed into tab stops.
 */
export function expandSnippet(body: string, options: ExpandOptions = {}): string {
  const nodes = parseSnippet(body);
  const variables = { ...defaultVariables(options), ...options.variables };
  const unknown = options.unknownVariables ?? 'name';
  const tabStopValues = new Map<number, string>(Object.entries(options.tabStops ?? {}).map(([index, value]) => [Number(index), value]));

  const variableValue = (node: Extract<SnippetNode, { kind: 'variable' }>): string => {
    const known = Object.prototype.hasOwnProperty.call(variables, node.name);
    if (!known && unknown === 'error') throw new SnippetSyntaxError(`unknown variable $${node.name}`);
    let value: string;
    if (known && variables[node.name] !== '') value = variables[node.name];
    else if (node.children) value = render(node.children);
    else value = known ? '' : node.name; // VS Code inserts an unknown variable's name
    return node.transform ? applyTransform(value, node.transform) : value;
  };

  // First pass: the value of each tab stop is the first placeholder or choice that defines it.
  const collect = (list: SnippetNode[]): void => {
    for (const node of list) {
      if (node.kind === 'placeholder') {
        collect(node.children);
        if (!tabStopValues.has(node.index)) tabStopValues.set(node.index, render(node.children));
      } else if (node.kind === 'choice') {
        if (!tabStopValues.has(node.index)) tabStopValues.set(node.index, node.options[0] ?? '');
      } else if (node.kind === 'variable' && node.children) {
        collect(node.children);
      }
    }
  };

  const render = (list: SnippetNode[]): string => {
    let out = '';
    for (const node of list) {
      switch (node.kind) {
        case 'text':
          out += node.value;
          break;
        case 'tabstop': {
          const value = node.index === 0 ? '' : (tabStopValues.get(node.index) ?? '');
          out += node.transform ? applyTransform(value, node.transform) : value;
          break;
        }
        case 'placeholder':
        case 'choice':
          out += tabStopValues.get(node.index) ?? '';
          break;
        case 'variable':
          out += variableValue(node);
          break;
      }
    }
    return out;
  };

  collect(nodes);
  return render(nodes);
}

/** Applies a `/regex/format/options` transform as VS Code does (first match, or all with `g`). */
export function applyTransform(value: string, transform: Transform): string {
  const { regex, format } = transform;
  const replacer = (match: string, ...rest: unknown[]): string => {
    // rest is p1..pn, offset, input, and the named groups object when the expression has named groups.
    const hasNamedGroups = typeof rest[rest.length - 1] === 'object' && rest[rest.length - 1] !== null;
    const groups = [match, ...rest.slice(0, rest.length - (hasNamedGroups ? 3 : 2))];
    let out = '';
    for (const part of format) {
      if (part.kind === 'text') {
        out += part.value;
        continue;
      }
      const raw = groups[part.group];
      const captured = typeof raw === 'string' ? raw : '';
      if (part.modifier) out += applyModifier(captured, part.modifier);
      else if (part.ifValue !== undefined) out += captured ? part.ifValue : (part.elseValue ?? '');
      else if (part.elseValue !== undefined) out += captured || part.elseValue;
      else out += captured;
    }
    return out;
  };
  return value.replace(regex, replacer);
}

function applyModifier(value: string, modifier: NonNullable<Extract<FormatPart, { kind: 'group' }>['modifier']>): string {
  switch (modifier) {
    case 'upcase':
      return value.toUpperCase();
    case 'downcase':
      return value.toLowerCase();
    case 'capitalize':
      return value.charAt(0).toUpperCase() + value.slice(1);
    case 'camelcase':
    case 'pascalcase': {
      const words = value.match(/[a-zA-Z0-9]+/g) ?? [];
      const joined = words.map(w => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join('');
      return modifier === 'camelcase' ? joined.charAt(0).toLowerCase() + joined.slice(1) : joined;
    }
  }
}
