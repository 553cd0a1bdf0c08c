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

/**
 * Makes the export `name` of `module` usable in the file. Returns the expression to use for it
 * (`readFile`, or `fsp.readFile` through an existing namespace import) and the edits: none when it is
 * already imported, an added specifier in an existing `import { ... } from`, or a new `import` (ESM)
 * or `require` (CommonJS) line. Undefined when `name` is already taken by something else in the file.
 * `module` is compared without a `node:` prefix; `specifier` is what a new line imports from.
 */
export function ensureNamedImport(ctx: RuleContext, module: string, name: string, specifier = module): { local: string; edits: TextEdit[] } | undefined {
  const { ts, sourceFile: sf } = ctx;
  for (const [local, b] of ctx.imports) {
    if (b.module === module && b.name === name) return { local, edits: [] };
  }
  for (const [local, b] of ctx.imports) {
    if (b.module === module && b.name === '*') return { local: `${local}.${name}`, edits: [] };
  }
  if (isNameTaken(ctx, name)) return undefined;
  const imports = sf.statements.filter(ts.isImportDeclaration);
  const quote = imports.length > 0 && ctx.text[imports[0].moduleSpecifier.getStart(sf)] === '"' ? '"' : "'";
  if (usesEsm(ctx, imports.length > 0)) {
    for (const decl of imports) {
      const clause = decl.importClause;
      const nb = clause?.namedBindings;
      if (!ts.isStringLiteral(decl.moduleSpecifier) || !clause || clause.isTypeOnly || !nb || !ts.isNamedImports(nb)) continue;
      if (decl.moduleSpecifier.text.replace(/^node:/, '') !== module) continue;
      const els = nb.elements;
      if (els.length === 0) return { local: name, edits: [{ start: nb.getStart(sf), end: nb.end, newText: `{ ${name} }` }] };
      const last = els[els.length - 1];
      if (els.hasTrailingComma) {
        const comma = ctx.text.indexOf(',', last.end);
        return { local: name, edits: [{ start: comma + 1, end: comma + 1, newText: ` ${name},` }] };
      }
      return { local: name, edits: [{ start: last.end, end: last.end, newText: `, ${name}` }] };
    }
    const semi = imports.length === 0 || ctx.text[imports[imports.length - 1].end - 1] === ';' ? ';' : '';
    const line = `import { ${name} } from ${quote}${specifier}${quote}${semi}`;
    return { local: name, edits: [lineAfterOrAtTop(ctx, imports[imports.length - 1], line)] };
  }
  const requires = sf.statements.filter(
    s => ts.isVariableStatement(s) && s.declarationList.declarations.some(d => d.initializer !== undefined && /^require\(|^\(?await import\(/.test(ctx.getText(d.initializer))),
  );
  const anchor = requires[requires.length - 1];
  const semi = !anchor || ctx.text[anchor.end - 1] === ';' ? ';' : '';
  return { local: name, edits: [lineAfterOrAtTop(ctx, anchor, `const { ${name} } = require(${quote}${specifier}${quote})${semi}`)] };
}

function usesEsm(ctx: RuleContext, hasImports: boolean): boolean {
  if (hasImports) return true;
  const file = ctx.sourceFile.fileName.toLowerCase();
  if (file.endsWith('.cjs') || file.endsWith('.cts')) return false;
  if (file.endsWith('.mjs') || file.endsWith('.mts')) return true;
  return !/\brequire\s*\(|\bmodule\.exports\b/.test(ctx.text);
}

/** A new line after `anchor`, or before the first statement that is not a directive (`'use strict'`). */
function lineAfterOrAtTop(ctx: RuleContext, anchor: ts.Statement | undefined, line: string): TextEdit {
  const { ts, sourceFile: sf } = ctx;
  if (anchor) return { start: anchor.end, end: anchor.end, newText: `${ctx.newline}${line}` };
  const first = sf.statements.find(s => !(ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression)));
  if (!first) return appendToFile(ctx, line);
  const start = first.getStart(sf);
  return { start, end: start, newText: `${line}${ctx.newline}` };
}

/** True when an identifier `name` is declared or referenced anywhere in the file (property names excepted). */
export function isNameTaken(ctx: RuleContext, name: string): boolean {
  return takenNames(ctx).has(name);
}

// One scan per file, however many fixes ask (a file with hundreds of findings would otherwise rescan for each).
function takenNames(ctx: RuleContext): Set<string> {
  return ctx.memo(scanTakenNames, () => scanTakenNames(ctx));
}

function scanTakenNames(ctx: RuleContext): Set<string> {
  const { ts } = ctx;
  const names = new Set<string>();
  for (const id of ctx.nodesOfKind<ts.Identifier>(ts.SyntaxKind.Identifier)) {
    const p = id.parent;
    if (ts.isPropertyAccessExpression(p) && p.name === id) continue;
    if ((ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p)) && p.name === id) continue;
    names.add(id.text);
  }
  return names;
}

/**
 * Inserts `text` as argument number `index` (0 = first) of a call or `new` expression, keeping the others;
 * `new X` without parentheses gets them.
 */
export function insertArgument(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression, index: number, text: string): TextEdit {
  const args = call.arguments;
  if (!args) return { start: call.end, end: call.end, newText: `(${text})` };
  if (args.length === 0) return { start: args.pos, end: args.pos, newText: text };
  if (index >= args.length) {
    const last = args[args.length - 1];
    return { start: last.end, end: last.end, newText: `, ${text}` };
  }
  const start = args[index].getStart(ctx.sourceFile);
  return { start, end: start, newText: `${text}, ` };
}

/** Inserts several properties into an object literal: one per line in a multi-line object, else side by side. */
export function addObjectProperties(ctx: RuleContext, obj: ts.ObjectLiteralExpression, properties: readonly string[]): TextEdit {
  const multiline = obj.properties.length > 0 && ctx.text.slice(obj.getStart(ctx.sourceFile), obj.end).includes('\n');
  const separator = multiline ? `,${ctx.newline}${ctx.lineIndent(obj.properties[obj.properties.length - 1].getStart(ctx.sourceFile))}` : ', ';
  return addObjectProperty(ctx, obj, properties.join(separator));
}
