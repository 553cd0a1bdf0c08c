// Program facts (does it use an MCP server SDK, does it serve stdio or HTTP), derived per file and merged.
import type * as ts from 'typescript';
import type { ProjectFacts, TypeScriptModule } from './types';
import { HTTP_TRANSPORT_NAMES, MCP_SERVER_MODULE_PREFIXES, STDIO_TRANSPORT_NAMES, isMcpServerModule, normaliseModule } from './mcp-modules';

export const NO_FACTS: ProjectFacts = { usesMcpServerSdk: false, servesStdio: false, servesHttp: false };

const HTTP_TRANSPORT_TYPES = new Set(['httpStream', 'http', 'sse', 'streamable-http', 'streamableHttp']);
const HTTP_MODULES = ['mcp-handler', '@vercel/mcp-adapter', '@modelcontextprotocol/express', '@modelcontextprotocol/hono', 'agents/mcp'];

/** Facts visible in one file. Cheap: a scan of imports plus a walk for `new X` and `transportType`. */
export function fileFacts(ts: TypeScriptModule, sf: ts.SourceFile): ProjectFacts {
  // Fast path: most files of a large program mention none of this.
  if (!mayHaveFacts(sf.text)) return { ...NO_FACTS };
  const collector = new FactsCollector(ts);
  const visit = (node: ts.Node): undefined => {
    collector.note(node);
    ts.forEachChild(node, visit);
    return undefined;
  };
  visit(sf);
  return collector.facts();
}

/**
 * A collector of the same facts as `fileFacts`, fed node by node by a walk the caller makes anyway (the analyzer's
 * index), so that a file being analysed is not walked a second time. Only for a text that `mayHaveFacts`.
 */
export function factsCollector(ts: TypeScriptModule): { kinds: readonly ts.SyntaxKind[]; note(node: ts.Node): void; facts(): ProjectFacts } {
  const collector = new FactsCollector(ts);
  const K = ts.SyntaxKind;
  return { kinds: [K.ImportDeclaration, K.ExportDeclaration, K.CallExpression, K.NewExpression, K.PropertyAssignment], note: node => collector.note(node), facts: () => collector.facts() };
}

/** False when the text mentions nothing a fact could come from (most files of a large program). */
export function mayHaveFacts(text: string): boolean {
  return /modelcontextprotocol|mcp|Transport|transportType/i.test(text);
}

const ALL_FACTS: ProjectFacts = { usesMcpServerSdk: true, servesStdio: true, servesHttp: true };
// Words without which FactsCollector cannot find a fact: module specifiers, transport class names, the FastMCP
// import behind `start()`, and the `transportType` option (which can name either transport).
const STDIO_WORDS = ['/server/stdio', ...STDIO_TRANSPORT_NAMES, 'fastmcp', 'transportType'];
const HTTP_WORDS = [...HTTP_MODULES, '/server/sse', '/server/streamableHttp', ...HTTP_TRANSPORT_NAMES, 'transportType'];
// An escape can spell any of those words without writing it: \u and \x escapes, octal escapes, line continuations.
const SPELLING_ESCAPE = /\\(?:[ux0-7]|\r|\n|\u2028|\u2029)/;

/**
 * The facts a text could have, from its words alone, without parsing: a bound from above of what `fileFacts`
 * finds in it (a file whose bound adds nothing to what its program is already known to do cannot change the
 * program, so its syntax tree need not be kept until the program is known). Tested against FactsCollector.
 */
export function possibleFacts(text: string): ProjectFacts {
  if (!mayHaveFacts(text)) return { ...NO_FACTS };
  if (SPELLING_ESCAPE.test(text)) return { ...ALL_FACTS };
  return {
    usesMcpServerSdk: MCP_SERVER_MODULE_PREFIXES.some(p => text.includes(p)),
    servesStdio: STDIO_WORDS.some(w => text.includes(w)),
    servesHttp: HTTP_WORDS.some(w => text.includes(w)),
  };
}

/** True when every fact of `facts` is already in `known`. */
export function factsWithin(facts: ProjectFacts, known: ProjectFacts): boolean {
  return (!facts.usesMcpServerSdk || known.usesMcpServerSdk) && (!facts.servesStdio || known.servesStdio) && (!facts.servesHttp || known.servesHttp);
}

/** Gathers facts node by node; only imports/exports, calls, `new` expressions and property assignments tell anything. */
class FactsCollector {
  private readonly result: ProjectFacts = { usesMcpServerSdk: false, servesStdio: false, servesHttp: false };
  private importsFastMcp = false;
  private startsWithDefaultTransport = false;

  constructor(private readonly ts: TypeScriptModule) {}

  note(node: ts.Node): void {
    const { ts } = this;
    const K = ts.SyntaxKind;
    const kind = node.kind;
    if (kind !== K.ImportDeclaration && kind !== K.ExportDeclaration && kind !== K.CallExpression && kind !== K.NewExpression && kind !== K.PropertyAssignment) return;
    const facts = this.result;
    let spec: string | undefined;
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      spec = node.moduleSpecifier.text;
    } else if (
      ts.isCallExpression(node) &&
      node.arguments.length === 1 &&
      ts.isStringLiteralLike(node.arguments[0]) &&
      ((ts.isIdentifier(node.expression) && node.expression.text === 'require') || node.expression.kind === ts.SyntaxKind.ImportKeyword)
    ) {
      spec = (node.arguments[0] as ts.StringLiteral).text;
    }
    if (spec !== undefined) {
      const m = normaliseModule(spec);
      if (isMcpServerModule(m)) facts.usesMcpServerSdk = true;
      if (m === 'fastmcp') this.importsFastMcp = true;
      if (HTTP_MODULES.some(h => m === h || m.startsWith(h + '/'))) facts.servesHttp = true;
      if (/\/server\/stdio(\.js)?$/.test(m)) facts.servesStdio = true;
      if (/\/server\/(sse|streamableHttp)(\.js)?$/.test(m)) facts.servesHttp = true;
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
      if (STDIO_TRANSPORT_NAMES.includes(node.expression.text)) facts.servesStdio = true;
      if (HTTP_TRANSPORT_NAMES.includes(node.expression.text)) facts.servesHttp = true;
    }
    // FastMCP's `server.start()` serves stdio unless told otherwise.
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'start' &&
      (node.arguments.length === 0 ||
        (ts.isObjectLiteralExpression(node.arguments[0]) &&
          !node.arguments[0].properties.some(p => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === 'transportType')))
    ) {
      this.startsWithDefaultTransport = true;
    }
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'transportType' && ts.isStringLiteralLike(node.initializer)) {
      if (node.initializer.text === 'stdio') facts.servesStdio = true;
      if (HTTP_TRANSPORT_TYPES.has(node.initializer.text)) facts.servesHttp = true;
    }
  }

  facts(): ProjectFacts {
    if (this.importsFastMcp && this.startsWithDefaultTransport) this.result.servesStdio = true;
    return this.result;
  }
}

export function mergeFacts(all: Iterable<ProjectFacts>): ProjectFacts {
  const out = { ...NO_FACTS };
  for (const f of all) {
    out.usesMcpServerSdk ||= f.usesMcpServerSdk;
    out.servesStdio ||= f.servesStdio;
    out.servesHttp ||= f.servesHttp;
  }
  return out;
}

/** True when a package.json text declares an MCP server SDK or framework dependency. */
export function packageJsonUsesMcp(packageJsonText: string): boolean {
  try {
    const pkg = JSON.parse(packageJsonText) as Record<string, Record<string, string> | undefined>;
    const deps = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies };
    return Object.keys(deps).some(d => d === '@modelcontextprotocol/sdk' || isMcpServerModule(d));
  } catch {
    return false;
  }
}
