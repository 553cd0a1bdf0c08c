// Text-edit builders for Python fixes: keyword arguments, imports, statements. Minimal, keeping the user's layout.
import type { Node } from 'web-tree-sitter';
import type { TextEdit } from '../types';
import type { PyContext } from './context';

/** Adds `text` (e.g. `timeout=30`) as the last argument of a call, on one line or in a multi-line argument list. */
export function addKeywordArgument(ctx: PyContext, call: Node, text: string): TextEdit | undefined {
  const list = call.childForFieldName('arguments');
  if (!list || list.type !== 'argument_list') return undefined;
  const close = list.lastChild;
  if (!close || close.type !== ')' || close.isMissing) return undefined;
  const args = list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  if (args.length === 0) return { start: close.startIndex, end: close.startIndex, newText: text };
  const last = args[args.length - 1];
  // A comma after the last argument (trailing comma).
  let trailingComma: Node | undefined;
  for (let c = last.nextSibling; c && c !== close; c = c.nextSibling) if (c.type === ',') trailingComma = c;
  const multiline = ctx.text.slice(list.startIndex, list.endIndex).includes('\n');
  if (multiline && ctx.text.slice(last.endIndex, close.startIndex).includes('\n')) {
    const indent = ctx.lineIndent(last.startIndex);
    const at = trailingComma ? trailingComma.endIndex : last.endIndex;
    return { start: at, end: at, newText: `${trailingComma ? '' : ','}${ctx.newline}${indent}${text}${trailingComma ? ',' : ''}` };
  }
  if (trailingComma) return { start: trailingComma.endIndex, end: trailingComma.endIndex, newText: ` ${text},` };
  return { start: last.endIndex, end: last.endIndex, newText: `, ${text}` };
}

/** Replaces a node's text. */
export function replaceNode(node: Node, newText: string): TextEdit {
  return { start: node.startIndex, end: node.endIndex, newText };
}

/** The local name of `import <module>` in the file, adding the import when there is none. */
export function ensureModuleImport(ctx: PyContext, module: string): { local: string; edits: TextEdit[] } {
  for (const [local, b] of ctx.imports) {
    if (b.name === '*' && b.module === module && (local === module || !module.includes('.'))) return { local, edits: [] };
  }
  return { local: module, edits: [insertImport(ctx, `import ${module}`)] };
}

/** An expression for `<module>.<member>`: the name of a `from module import member`, or `module.member`. */
export function moduleMember(ctx: PyContext, module: string, member: string): { expr: string; edits: TextEdit[] } {
  for (const [local, b] of ctx.imports) {
    if (b.module === module && b.name === member && !ctx.isRebound(local)) return { expr: local, edits: [] };
  }
  const m = ensureModuleImport(ctx, module);
  return { expr: `${m.local}.${member}`, edits: m.edits };
}

/**
 * Inserts an import line after the imports at the top of the module (after its docstring and `__future__`
 * imports when there are no others), so that code below can use it.
 */
export function insertImport(ctx: PyContext, line: string): TextEdit {
  let anchor: Node | undefined;
  let first: Node | undefined;
  let index = 0;
  for (const child of ctx.root.namedChildren) {
    if (!child || child.type === 'comment') continue;
    first ??= child;
    const isDocstring = index === 0 && child.type === 'expression_statement' && child.namedChildren[0]?.type === 'string';
    index++;
    if (isDocstring || child.type === 'import_statement' || child.type === 'import_from_statement' || child.type === 'future_import_statement') {
      anchor = child;
      continue;
    }
    break;
  }
  if (anchor) return { start: anchor.endIndex, end: anchor.endIndex, newText: `${ctx.newline}${line}` };
  if (first) return { start: first.startIndex, end: first.startIndex, newText: `${line}${ctx.newline}` };
  const end = ctx.text.length;
  const sep = end === 0 || ctx.text.endsWith('\n') ? '' : ctx.newline;
  return { start: end, end, newText: `${sep}${line}${ctx.newline}` };
}

/** Inserts `line` as a statement of its own before `statement`, at the same indentation. Undefined when the statement does not start its line. */
export function insertStatementBefore(ctx: PyContext, statement: Node, line: string): TextEdit | undefined {
  const indent = ctx.lineIndent(statement.startIndex);
  const lineStart = statement.startIndex - indent.length;
  if (lineStart < 0 || ctx.text.slice(lineStart, statement.startIndex) !== indent || (lineStart > 0 && !/[\r\n]/.test(ctx.text[lineStart - 1]))) return undefined;
  return { start: statement.startIndex, end: statement.startIndex, newText: `${line}${ctx.newline}${indent}` };
}

/** The statement node (a child of a block or the module) that holds `node`. */
export function statementOf(node: Node): Node | undefined {
  let n: Node | null = node;
  while (n && n.parent && n.parent.type !== 'block' && n.parent.type !== 'module') n = n.parent;
  return n ?? undefined;
}
