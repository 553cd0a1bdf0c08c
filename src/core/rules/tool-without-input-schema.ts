// Tools whose input contract is missing or accepts anything: the handler gets client data nobody validated.
import type * as ts from 'typescript';
import type { Fix, Rule } from '../types';
import type { FunctionLike, RuleContext } from '../rule-context';
import { declarationOf, isValueReference, isZodCall, methodName, nodesInside, propertyOf, propertyValue, resolveConst, schemaShape, unwrap, zodChain } from '../handler-inputs';
import { addObjectProperty } from '../fix-helpers';

/** Members of the SDK's `RequestHandlerExtra`: what a schema-less tool handler actually receives. */
const EXTRA_KEYS = new Set([
  'signal', 'authInfo', 'sessionId', '_meta', 'requestId', 'taskId', 'taskStore', 'taskRequestedTtl', 'requestInfo',
  'sendNotification', 'sendRequest', 'closeSSEStream', 'closeStandaloneSSEStream',
]);

/** Zod methods that add a real check: a schema refined this way is no longer "anything". */
const CHECKING_METHODS = new Set(['refine', 'superRefine', 'check', 'pipe', 'transform', 'instanceof', 'custom']);
/** Zod methods that keep a catch-all a catch-all. */
const OPENING_METHODS = new Set(['passthrough', 'loose', 'catchall']);

/** JSON Schema keywords that constrain a value; a property schema with none of them accepts anything. */
const CONSTRAINING_KEYWORDS = ['type', 'enum', 'const', '$ref', 'anyOf', 'oneOf', 'allOf', 'not', 'properties', 'items', 'pattern', 'format'];

export const rule: Rule = {
  meta: {
    id: 'tool-without-input-schema',
    code: 61008,
    defaultSeverity: 'warning',
    description: 'MCP tool whose input schema is missing or accepts anything',
    message:
      'This tool has no input schema that describes its arguments: whatever the client sends reaches the handler unvalidated. Declare each argument with a typed schema.',
    playbook: 'federated-governance#technical-standards',
    fix: 'Where a schema-less handler is written as `(args, extra)` but ignores `args`, declares that the tool takes no arguments (`inputSchema: {}`), so the SDK passes `extra` where the handler expects it.',
    languages: ['typescript'],
  },
  check(ctx) {
    const { ts } = ctx;
    let checkedJsonSchemas = false;
    for (const call of ctx.callsNamed(TOOL_REGISTRATION_METHODS)) {
      if (!ts.isPropertyAccessExpression(call.expression)) continue;
      const method = call.expression.name.text;
      if (method === 'registerTool') checkRegisterTool(ctx, call);
      else if (method === 'tool') checkTool(ctx, call);
      else if (method === 'addTool') checkFastMcpTool(ctx, call);
      else if (method === 'setRequestHandler' && !checkedJsonSchemas && isListTools(ctx, call.arguments[0])) {
        checkedJsonSchemas = true;
        checkJsonSchemas(ctx);
      }
    }
  },
};

const TOOL_REGISTRATION_METHODS = ['registerTool', 'tool', 'addTool', 'setRequestHandler'];

// ---- SDK McpServer ----

function checkRegisterTool(ctx: RuleContext, call: ts.CallExpression): void {
  const { ts } = ctx;
  if (!ctx.project.usesMcpServerSdk || call.arguments.length < 3) return;
  const [nameArg, config, cb] = call.arguments;
  if (!ts.isObjectLiteralExpression(config) || config.properties.some(ts.isSpreadAssignment)) return;
  const toolName = ts.isStringLiteralLike(nameArg) ? nameArg.text : undefined;
  const schema = propertyValue(ctx, config, 'inputSchema');
  if (schema) {
    checkSchema(ctx, schema, toolName, 'inputSchema');
    return;
  }
  const handler = ctx.functionOf(cb);
  if (!handler) return;
  const fixFor = (): Fix[] => [{ title: 'Declare that the tool takes no arguments (inputSchema: {})', edits: [addObjectProperty(ctx, config, 'inputSchema: {}')] }];
  reportSchemaLessHandler(ctx, nameArg, handler, `\`registerTool(${label(toolName)})\` declares no \`inputSchema\``, fixFor);
}

function checkTool(ctx: RuleContext, call: ts.CallExpression): void {
  const { ts } = ctx;
  const args = call.arguments;
  if (!ctx.project.usesMcpServerSdk || args.length < 2 || !ts.isStringLiteralLike(args[0])) return;
  const cb = args[args.length - 1];
  const handler = ctx.functionOf(cb);
  if (!handler) return;
  const toolName = args[0].text;
  const middle = args.slice(1, -1).filter(a => !ts.isStringLiteralLike(a));
  const first = middle[0];
  if (first && !isAnnotationsObject(ctx, first)) {
    // tool() takes a raw shape here; Zod schema objects are not accepted by this overload.
    checkSchema(ctx, first, toolName, 'schema');
    return;
  }
  const fixFor = (): Fix[] => [{ title: 'Declare that the tool takes no arguments (an empty schema)', edits: [{ start: cb.getStart(ctx.sourceFile), end: cb.getStart(ctx.sourceFile), newText: '{}, ' }] }];
  reportSchemaLessHandler(ctx, args[0], handler, `\`tool(${label(toolName)})\` is registered without a schema`, fixFor);
}

/** `{ readOnlyHint: true, title: 'x' }`: tool annotations, which take the schema's place in `tool()`. */
function isAnnotationsObject(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  if (!ts.isObjectLiteralExpression(e) || e.properties.length === 0) return false;
  return e.properties.every(
    p => ts.isPropertyAssignment(p) && (p.initializer.kind === ts.SyntaxKind.TrueKeyword || p.initializer.kind === ts.SyntaxKind.FalseKeyword || ts.isStringLiteralLike(p.initializer)),
  );
}

/**
 * A schema-less SDK tool is a tool without arguments: the SDK calls its handler with `extra` only.
 * That is fine (and not reported) unless the handler is written to read arguments.
 */
function reportSchemaLessHandler(ctx: RuleContext, at: ts.Node, handler: FunctionLike, what: string, fixFor: () => Fix[]): void {
  const params = handler.parameters;
  if (params.length >= 2) {
    const first = params[0];
    const unused = isUnusedParameter(ctx, handler, first);
    ctx.report({
      node: at,
      message: `${what}, so the SDK calls the handler with \`extra\` as its only argument: \`${ctx.getText(first.name)}\` receives the request context and \`${ctx.getText(params[1].name)}\` is undefined. ${
        unused ? 'A tool without arguments declares an empty schema.' : 'Declare the arguments it reads with a typed schema.'
      }`,
      fixes: unused ? fixFor() : [],
    });
    return;
  }
  if (params.length === 0) return;
  const read = argumentsRead(ctx, handler, params[0]).filter(n => !EXTRA_KEYS.has(n));
  if (read.length === 0) return;
  ctx.report({
    node: at,
    message: `${what}, so the SDK validates nothing and calls the handler with \`extra\` only: ${list(read)} ${read.length === 1 ? 'is' : 'are'} undefined at run time. Declare ${read.length === 1 ? 'it' : 'them'} in a typed schema (e.g. \`inputSchema: { ${read[0]}: z.string() }\`).`,
  });
}

/** Property names read from a parameter: `({ a, b })`, `p.a`, `const { a } = p`, `p['a']`. */
function argumentsRead(ctx: RuleContext, fn: FunctionLike, p: ts.ParameterDeclaration): string[] {
  const { ts } = ctx;
  const names = new Set<string>();
  const fromPattern = (pattern: ts.BindingPattern) => {
    if (!ts.isObjectBindingPattern(pattern)) return;
    for (const el of pattern.elements) {
      const key = el.propertyName ?? el.name;
      if (ts.isIdentifier(key) || ts.isStringLiteral(key)) names.add(key.text);
    }
  };
  if (!ts.isIdentifier(p.name)) {
    fromPattern(p.name);
    return [...names];
  }
  for (const id of nodesInside<ts.Identifier>(ctx, fn, ts.SyntaxKind.Identifier)) {
    if (id.text !== p.name.text || !isValueReference(ctx, id)) continue;
    if (declarationOf(ctx, id) !== p) continue;
    const parent = id.parent;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === id) names.add(parent.name.text);
    else if (ts.isElementAccessExpression(parent) && parent.expression === id && ts.isStringLiteralLike(parent.argumentExpression)) names.add(parent.argumentExpression.text);
    else if (ts.isVariableDeclaration(parent) && parent.initializer === id && ts.isObjectBindingPattern(parent.name)) fromPattern(parent.name);
  }
  return [...names];
}

function isUnusedParameter(ctx: RuleContext, fn: FunctionLike, p: ts.ParameterDeclaration): boolean {
  const { ts } = ctx;
  if (ts.isObjectBindingPattern(p.name) || ts.isArrayBindingPattern(p.name)) return p.name.elements.length === 0;
  const name = p.name.text;
  if (name.startsWith('_')) return true;
  return !nodesInside<ts.Identifier>(ctx, fn, ts.SyntaxKind.Identifier).some(
    id => id.text === name && id !== p.name && isValueReference(ctx, id) && declarationOf(ctx, id) === p,
  );
}

// ---- FastMCP ----

function checkFastMcpTool(ctx: RuleContext, call: ts.CallExpression): void {
  const { ts } = ctx;
  const obj = call.arguments[0];
  if (!ctx.project.usesMcpServerSdk || !obj || !ts.isObjectLiteralExpression(obj) || obj.properties.some(ts.isSpreadAssignment)) return;
  const execute = propertyOf(ctx, obj, 'execute');
  if (!execute) return;
  const toolName = propertyValue(ctx, obj, 'name');
  const nameText = toolName && ts.isStringLiteralLike(toolName) ? toolName.text : undefined;
  const parameters = propertyValue(ctx, obj, 'parameters');
  if (parameters) {
    checkSchema(ctx, parameters, nameText, 'parameters');
    return;
  }
  const fn = ts.isMethodDeclaration(execute) ? execute : ts.isPropertyAssignment(execute) ? ctx.functionOf(execute.initializer) : undefined;
  const first = fn?.parameters[0];
  if (!fn || !first) return;
  const used = ts.isIdentifier(first.name) ? !isUnusedParameter(ctx, fn, first) : first.name.elements.length > 0;
  if (!used) return;
  const read = argumentsRead(ctx, fn, first);
  ctx.report({
    node: toolName ?? call.expression,
    message: `\`addTool(${label(nameText)})\` has no \`parameters\`, so FastMCP validates nothing and passes \`undefined\` as the arguments: ${
      read.length > 0 ? `reading ${list(read)} throws` : `\`${ctx.getText(first.name)}\` is undefined`
    }. Declare them: \`parameters: z.object({ ${read[0] ?? 'name'}: z.string() })\`.`,
  });
}

// ---- schemas that accept anything ----

function checkSchema(ctx: RuleContext, schema: ts.Expression, toolName: string | undefined, where: string): void {
  const { ts } = ctx;
  const whole = catchAll(ctx, schema);
  if (whole) {
    ctx.report({
      node: schema,
      message: `The ${where} of tool ${label(toolName)} is \`${whole}\`: it accepts any arguments, so the handler gets whatever the client sends, unvalidated. Declare each argument: \`z.object({ path: z.string(), ... })\`.`,
    });
    return;
  }
  const shape = schemaShape(ctx, schema);
  if (!shape) return;
  for (const p of shape.properties) {
    if (!ts.isPropertyAssignment(p)) continue;
    const field = catchAll(ctx, p.initializer);
    if (!field) continue;
    ctx.report({
      node: p,
      message: `Argument \`${ctx.getText(p.name)}\` of tool ${label(toolName)} is \`${field}\`: whatever the client puts there reaches the handler unvalidated. Give it a type (\`z.string()\`, \`z.enum([...])\`, \`z.object({...})\`).`,
    });
  }
}

/** The catch-all a schema is built on (`z.any()`, `z.object({}).passthrough()`), or undefined. */
function catchAll(ctx: RuleContext, schema: ts.Expression, depth = 0): string | undefined {
  const { ts } = ctx;
  if (depth > 4) return undefined;
  const e = resolveConst(ctx, unwrap(ts, schema));
  const chain = zodChain(ctx, e);
  if (!chain) return undefined;
  const methods = chain.methods.map(m => methodName(ctx, m) ?? '');
  if (methods.some(m => CHECKING_METHODS.has(m))) return undefined;
  const base = chain.base;
  const baseText = () => ctx.getText(base);
  if (isZodCall(ctx, base, ['any', 'unknown'])) return baseText();
  if (isZodCall(ctx, base, ['object', 'looseObject'])) {
    const shape = base.arguments[0];
    const empty = shape !== undefined && ts.isObjectLiteralExpression(unwrap(ts, shape)) && (unwrap(ts, shape) as ts.ObjectLiteralExpression).properties.length === 0;
    if (!empty) return undefined;
    const opener = chain.methods.find(m => OPENING_METHODS.has(methodName(ctx, m) ?? ''));
    if (isZodCall(ctx, base, ['looseObject'])) return baseText();
    if (!opener) return undefined;
    if (methodName(ctx, opener) === 'catchall' && !(opener.arguments[0] && catchAll(ctx, opener.arguments[0], depth + 1))) return undefined;
    return `${baseText()}.${methodName(ctx, opener)}(${opener.arguments.map(a => ctx.getText(a)).join(', ')})`;
  }
  if (isZodCall(ctx, base, ['record'])) {
    const value = base.arguments[base.arguments.length - 1];
    return value && catchAll(ctx, value, depth + 1) ? baseText() : undefined;
  }
  if (isZodCall(ctx, base, ['array'])) {
    const item = base.arguments[0];
    return item && catchAll(ctx, item, depth + 1) ? baseText() : undefined;
  }
  return undefined;
}

// ---- low-level Server: JSON Schemas listed by a tools/list handler ----

function isListTools(ctx: RuleContext, schemaArg: ts.Expression | undefined): boolean {
  if (!schemaArg) return false;
  const name = ctx.dottedName(schemaArg);
  return name !== undefined && name.split('.').pop() === 'ListToolsRequestSchema';
}

function checkJsonSchemas(ctx: RuleContext): void {
  const { ts } = ctx;
  for (const prop of ctx.nodesOfKind<ts.PropertyAssignment>(ts.SyntaxKind.PropertyAssignment)) {
    if (!(ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name)) || prop.name.text !== 'inputSchema') continue;
    const schema = unwrap(ts, prop.initializer);
    if (!ts.isObjectLiteralExpression(schema)) continue;
    const typeValue = propertyValue(ctx, schema, 'type');
    const type = typeValue && unwrap(ts, typeValue);
    if (!type || !ts.isStringLiteralLike(type) || type.text !== 'object') continue;
    const toolName = siblingName(ctx, prop);
    const properties = propertyValue(ctx, schema, 'properties');
    const additional = propertyValue(ctx, schema, 'additionalProperties');
    const closed = additional !== undefined && unwrap(ts, additional).kind === ts.SyntaxKind.FalseKeyword;
    const props = properties && ts.isObjectLiteralExpression(properties) ? properties : undefined;
    // `properties: {}` is the usual (and the SDK's own) way to say "no arguments"; `{ type: 'object' }` alone says nothing.
    const emptyProps = props !== undefined && props.properties.length === 0;
    const open = properties === undefined || (emptyProps && additional !== undefined);
    if (open && !closed && !['anyOf', 'oneOf', 'allOf', '$ref', 'patternProperties'].some(k => propertyOf(ctx, schema, k))) {
      ctx.report({
        node: prop,
        message: `Tool ${label(toolName)} lists \`inputSchema\` as an object with no properties and open \`additionalProperties\`: it tells clients any arguments are fine, and the call handler receives them raw. List its \`properties\` and \`required\` (\`properties: {}\` for a tool without arguments).`,
      });
      continue;
    }
    if (!props) continue;
    for (const field of props.properties) {
      if (!ts.isPropertyAssignment(field)) continue;
      const v = unwrap(ts, field.initializer);
      if (!ts.isObjectLiteralExpression(v) || v.properties.some(ts.isSpreadAssignment)) continue;
      if (CONSTRAINING_KEYWORDS.some(k => propertyOf(ctx, v, k))) continue;
      ctx.report({
        node: field,
        message: `Argument \`${ctx.getText(field.name)}\` of tool ${label(toolName)} has a JSON Schema without \`type\`, \`enum\` or \`properties\`: it accepts any value, and the call handler receives it raw. Give it a type.`,
      });
    }
  }
}

/** `name: 'x'` next to `inputSchema` in a tool definition. */
function siblingName(ctx: RuleContext, prop: ts.PropertyAssignment): string | undefined {
  const { ts } = ctx;
  const obj = prop.parent;
  if (!ts.isObjectLiteralExpression(obj)) return undefined;
  const n = propertyValue(ctx, obj, 'name');
  return n && ts.isStringLiteralLike(n) ? n.text : undefined;
}

function label(name: string | undefined): string {
  return name === undefined ? '(unnamed)' : `'${name}'`;
}

function list(names: string[]): string {
  const shown = names.slice(0, 3).map(n => `\`${n}\``);
  return names.length > 3 ? `${shown.join(', ')} and ${names.length - 3} more` : shown.join(names.length === 2 ? ' and ' : ', ');
}
