// Python: `except:` / `except Exception:` in an MCP handler that makes the error vanish: no raise, no log, no use
// of the exception, only `pass`, `...`, `continue` or a quiet fallback value. The client sees success.
import type { Node } from 'web-tree-sitter';
import type { Fix, TextEdit } from '../../types';
import { rule } from '../../rules/swallowed-error';
import { type PyContext, descendants, unparen } from '../context';
import { ensureModuleImport, insertStatementBefore } from '../edits';
import type { PythonRule } from './index';

const BROAD = new Set(['Exception', 'BaseException', 'builtins.Exception', 'builtins.BaseException']);
/** Calls whose failure is rightly ignored: cleanup and best-effort notifications. */
const BEST_EFFORT = /^(close|aclose|unlink|remove|rmtree|kill|terminate|cancel|disconnect|release|shutdown|flush|send_log_message|send_progress_notification|report_progress|log|info|debug|warning)$/;
const QUIET_VALUES = new Set(['none', 'true', 'false', 'integer', 'float', 'string', 'list', 'dictionary', 'tuple', 'set']);

export const pythonRule: PythonRule = {
  meta: rule.meta,
  check(ctx) {
    if (ctx.handlers.length === 0) return;
    for (const clause of ctx.nodesOfType('except_clause')) {
      const handler = ctx.handlerOf(clause);
      if (!handler) continue;
      const caught = clause.childForFieldName('value') ?? clause.namedChildren.find(c => !!c && c.type !== 'block' && c.type !== 'comment') ?? null;
      const { types, alias } = caughtTypes(caught);
      if (types.length > 0 && !types.some(t => BROAD.has(ctx.qualify(t)?.fqn ?? t.text))) continue;
      const block = clause.namedChildren.find(c => c?.type === 'block');
      if (!block) continue;
      const statements = block.namedChildren.filter((s): s is Node => !!s && s.type !== 'comment');
      if (statements.length === 0 || !statements.every(s => isQuiet(s))) continue;
      if (alias && usesName(block, alias)) continue;
      const tryStatement = clause.parent;
      const tryBody = tryStatement?.childForFieldName('body');
      if (tryBody && onlyBestEffort(ctx, tryBody)) continue;
      ctx.report({
        start: clause.startIndex,
        end: clause.children.find(c => c?.type === ':')?.endIndex ?? clause.endIndex,
        message: `This \`${headerText(clause)}\` in MCP handler \`${handler.name}\` swallows the error: the client gets success or a quiet fallback, and the failure leaves no log line, metric or alert, so nobody is paged and nobody can debug it. Log it (\`logging.exception(...)\`, to stderr) and raise, or return an error result.`,
        fixes: fixesFor(ctx, handler.name, statements),
      });
    }
  },
};

function headerText(clause: Node): string {
  const block = clause.namedChildren.find(c => c?.type === 'block');
  const text = block ? clause.text.slice(0, block.startIndex - clause.startIndex) : clause.text;
  return text.replace(/\s+/g, ' ').trim();
}

function caughtTypes(caught: Node | null): { types: Node[]; alias?: string } {
  let n = caught;
  let alias: string | undefined;
  if (n?.type === 'as_pattern') {
    alias = n.childForFieldName('alias')?.text;
    n = n.namedChildren[0] ?? null;
  }
  n = unparen(n) ?? null;
  if (!n) return { types: [], alias };
  if (n.type === 'tuple') return { types: n.namedChildren.filter((c): c is Node => !!c), alias };
  return { types: [n], alias };
}

/** `pass`, `...`, `continue`, `return` of nothing or a literal, `x = <literal>`. */
function isQuiet(s: Node): boolean {
  if (s.type === 'pass_statement' || s.type === 'continue_statement' || s.type === 'break_statement') return true;
  if (s.type === 'expression_statement') {
    const e = s.namedChildren[0];
    if (e?.type === 'ellipsis') return true;
    if (e?.type === 'assignment') return QUIET_VALUES.has(unparen(e.childForFieldName('right'))?.type ?? '-');
    return false;
  }
  if (s.type === 'return_statement') {
    const v = s.namedChildren[0];
    return !v || QUIET_VALUES.has(unparen(v)?.type ?? '-');
  }
  return false;
}

function usesName(block: Node, name: string): boolean {
  let used = false;
  descendants(block, n => {
    if (n.type === 'identifier' && n.text === name) used = true;
    return !used;
  });
  return used;
}

/** A try body of cleanup calls only (`conn.close()`, `os.unlink(tmp)`): ignoring their failure is deliberate. */
function onlyBestEffort(ctx: PyContext, body: Node): boolean {
  const statements = body.namedChildren.filter((s): s is Node => !!s && s.type !== 'comment');
  return statements.length > 0 && statements.every(s => {
    let e = s.type === 'expression_statement' ? s.namedChildren[0] : null;
    if (e?.type === 'await') e = e.namedChildren[0];
    if (e?.type !== 'call') return false;
    const name = (ctx.callee(e)?.dotted ?? '').split('.').pop() ?? '';
    return BEST_EFFORT.test(name);
  });
}

/** Log with the traceback (logging writes to stderr), keeping the flow; or log and re-raise. */
function fixesFor(ctx: PyContext, handlerName: string, statements: Node[]): Fix[] {
  const first = statements[0];
  const logging = ensureModuleImport(ctx, 'logging');
  const line = `${logging.local}.exception("${handlerName} failed")`;
  const fixes: Fix[] = [];
  const log = insertStatementBefore(ctx, first, line);
  const onlyPass = statements.length === 1 && (first.type === 'pass_statement' || (first.type === 'expression_statement' && first.namedChildren[0]?.type === 'ellipsis'));
  if (onlyPass) {
    // `except Exception: pass` on one line keeps the statements on that line.
    const separator = log ? `${ctx.newline}${ctx.lineIndent(first.startIndex)}` : '; ';
    fixes.push({ title: 'Log the error to stderr (logging.exception)', edits: [replaceStatement(first, line), ...logging.edits] });
    fixes.push({ title: 'Log the error and re-raise it', edits: [replaceStatement(first, `${line}${separator}raise`), ...logging.edits] });
  } else if (log) {
    fixes.push({ title: 'Log the error to stderr (logging.exception)', edits: [log, ...logging.edits] });
  }
  return fixes;
}

function replaceStatement(s: Node, text: string): TextEdit {
  return { start: s.startIndex, end: s.endIndex, newText: text };
}
