// ESLint-style suppression comments:
//   // mcp-architect-disable-next-line rule-a, rule-b
//   foo(); // mcp-architect-disable-line rule-a
//   /* mcp-architect-disable rule-a */   (from here to the end of the file, or to mcp-architect-enable)
//   /* mcp-architect-enable rule-a */
// With no rule ids, a comment applies to every rule. Python uses `#` comments with the same words.

export interface CommentInfo {
  /** The comment text without its markers. */
  text: string;
  /** 0-based line where the comment starts and ends. */
  line: number;
  endLine: number;
}

export type SuppressionKind = 'disable-next-line' | 'disable-line' | 'disable' | 'enable';

interface Directive {
  kind: SuppressionKind;
  rules: string[] | null;
  line: number;
  endLine: number;
}

const DIRECTIVE = /^\s*mcp-architect-(disable-next-line|disable-line|disable|enable)(?=\s|$)([^]*)$/;

export function parseDirective(text: string): { kind: SuppressionKind; rules: string[] | null } | undefined {
  const m = DIRECTIVE.exec(text);
  if (!m) return undefined;
  // Text after `--` is a reason, as in ESLint.
  const list = m[2].split('--')[0];
  const rules = list.split(/[\s,]+/).filter(Boolean);
  return { kind: m[1] as SuppressionKind, rules: rules.length ? rules : null };
}

export class Suppressions {
  private readonly directives: Directive[] = [];

  constructor(comments: Iterable<CommentInfo>) {
    for (const c of comments) {
      const d = parseDirective(c.text);
      if (d) this.directives.push({ ...d, line: c.line, endLine: c.endLine });
    }
  }

  get isEmpty(): boolean {
    return this.directives.length === 0;
  }

  isSuppressed(ruleId: string, line: number): boolean {
    let blockDisabled = false;
    for (const d of this.directives) {
      const applies = d.rules === null || d.rules.includes(ruleId);
      if (!applies) continue;
      if (d.kind === 'disable-next-line' && d.endLine + 1 === line) return true;
      if (d.kind === 'disable-line' && d.line <= line && line <= d.endLine) return true;
      if (d.kind === 'disable' && d.line <= line) blockDisabled = true;
      if (d.kind === 'enable' && d.line <= line) blockDisabled = false;
    }
    return blockDisabled;
  }
}

/** Suppression comments of a parsed TypeScript/JavaScript file (never text inside strings or templates); `lineStarts`: the file's, when the caller has them. */
export function scanComments(ts: typeof import('typescript'), sf: import('typescript').SourceFile, lineStarts?: number[]): CommentInfo[] {
  const text = sf.text;
  if (!text.includes('mcp-architect-')) return [];
  const out: CommentInfo[] = [];
  const seen = new Set<number>();
  lineStarts ??= computeLineStarts(text);
  for (let at = text.indexOf('mcp-architect-'); at !== -1; at = text.indexOf('mcp-architect-', at + 1)) {
    // Descend to the innermost node whose full span holds `at`; a comment there is in its leading trivia.
    let node: import('typescript').Node = sf;
    for (;;) {
      const child: import('typescript').Node | undefined = ts.forEachChild(node, c => (c.pos <= at && at < c.end ? c : undefined));
      if (!child) break;
      node = child;
    }
    const ranges = [
      ...(ts.getLeadingCommentRanges(text, node.pos) ?? []),
      ...(node === sf ? ts.getLeadingCommentRanges(text, sf.endOfFileToken.pos) ?? [] : []),
    ];
    // Trivia between children of `node` (e.g. before a closing brace) belongs to no child: scan from each gap.
    ts.forEachChild(node, c => {
      if (c.end <= at) ranges.push(...(ts.getTrailingCommentRanges(text, c.end) ?? []), ...(ts.getLeadingCommentRanges(text, c.end) ?? []));
    });
    for (const r of ranges) {
      if (r.pos > at || at >= r.end || seen.has(r.pos)) continue;
      seen.add(r.pos);
      const raw = text.slice(r.pos, r.end);
      const body = r.kind === ts.SyntaxKind.SingleLineCommentTrivia ? raw.slice(2) : raw.slice(2, -2).replace(/^\s*\*/gm, ' ');
      out.push({ text: body.trim(), line: lineOf(lineStarts, r.pos), endLine: lineOf(lineStarts, r.end - 1) });
    }
  }
  return out;
}

export function computeLineStarts(text: string): number[] {
  const starts = [0];
  if (!text.includes('\r')) {
    // Newlines found by the engine's native search: several times faster than a loop over every character.
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

export function lineOf(lineStarts: number[], pos: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
