// Text-edit builders shared by rule fixes. Edits are minimal and keep the user's formatting.
import type * as ts from 'typescript';
import type { TextEdit } from './types';
import type { RuleContext } from './rule-context';

/** Inserts `propertyText` (e.g. `timeout: 30_000`) into an object literal, single- or multi-line. */
export function addObjectProperty(ctx: RuleContext, obj: ts.ObjectLiteralExpression, propertyText: string): TextEdit {
  const { text } = ctx;
  const props = obj.properties;
  if (props.length === 0) {
    return { start: obj.getStart(ctx.sourceFile), end: obj.end, newText: `{ ${propertyText} }` };
  }
  const last = props[props.length - 1];
  const multiline = text.slice(obj.getStart(ctx.sourceFile), obj.end).includes('\n');
  const hasTrailingComma = props.hasTrailingComma;
  if (multiline) {
    const indent = ctx.lineIndent(last.getStart(ctx.sourceFile));
    const insertAt = hasTrailingComma ? text.indexOf(',', last.end) + 1 : last.end;
    return {
      start: insertAt,
      end: insertAt,
      newText: `${hasTrailingComma ? '' : ','}${ctx.newline}${indent}${propertyText}${hasTrailingComma ? ',' : ''}`,
    };
  }
  if (hasTrailingComma) {
    const comma = text.indexOf(',', last.end);
    return { start: comma + 1, end: comma + 1, newText: ` ${propertyText},` };
  }
  return { start: last.end, end: last.end, newText: `, ${propertyText}` };
}

/** Inserts a new statement on its own line before the statement that contains `pos`. */
export function insertLineBefore(ctx: RuleContext, statement: ts.Node, line: string): TextEdit {
  const start = statement.getStart(ctx.sourceFile);
  const indent = ctx.lineIndent(start);
  return { start, end: start, newText: `${line}${ctx.newline}${indent}` };
}

/** Appends text at the end of the file, on a new line. */
export function appendToFile(ctx: RuleContext, block: string): TextEdit {
  const end = ctx.text.length;
  const sep = ctx.text.endsWith('\n') ? '' : ctx.newline;
  return { start: end, end, newText: `${sep}${block.replace(/\n/g, ctx.newline)}${ctx.newline}` };
}

/** Replaces a node's text. */
export function replaceNode(ctx: RuleContext, node: ts.Node, newText: string): TextEdit {
  return { start: node.getStart(ctx.sourceFile), end: node.end, newText };
}
