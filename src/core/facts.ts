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
    // One test of the kind first: the walk calls this for every call and property assignment of the file.
    switch (node.kind) {
      case K.ImportDeclaration:
      case K.ExportDeclaration: {
        const spec = (node as ts.ImportDeclaration | ts.ExportDeclaration).moduleSpecifier;
        if (spec && ts.isStringLiteral(spec)) this.noteModule(spec.text);
        return;
      }
      case K.CallExpression: {
        const call = node as ts.CallExpression;
        const callee = call.expression;
        const args = call.arguments;
        if (args.length === 1 && ts.isStringLiteralLike(args[0]) && ((ts.isIdentifier(callee) && callee.text === 'require') || callee.kind === K.ImportKeyword)) {
          this.noteModule(args[0].text);
        }
        // FastMCP's `server.start()` serves stdio unless told otherwise.
        if (
          ts.isPropertyAccessExpression(callee) &&
          callee.name.text === 'start' &&
          (args.length === 0 || (ts.isObjectLiteralExpression(args[0]) && !args[0].properties.some(p => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === 'transportType')))
        ) {
          this.startsWithDefaultTransport = true;
        }
        return;
      }
      case K.NewExpression: {
        const callee = (node as ts.NewExpression).expression;
        if (!ts.isIdentifier(callee)) return;
        if (STDIO_TRANSPORT_NAMES.includes(callee.text)) this.result.servesStdio = true;
        if (HTTP_TRANSPORT_NAMES.includes(callee.text)) this.result.servesHttp = true;
        return;
      }
      case K.PropertyAssignment: {
        const { name, initializer } = node as ts.PropertyAssignment;
        if (!ts.isIdentifier(name) || name.text !== 'transportType' || !ts.isStringLiteralLike(initializer)) return;
        if (initializer.text === 'stdio') this.result.servesStdio = true;
        if (HTTP_TRANSPORT_TYPES.has(initializer.text)) this.result.servesHttp = true;
        return;
      }
    }
  }

  /** A module the file imports, requires or re-exports. */
  private noteModule(spec: string): void {
    const facts = this.result;
    const m = normaliseModule(spec);
    if (isMcpServerModule(m)) facts.usesMcpServerSdk = true;
    if (m === 'fastmcp') this.importsFastMcp = true;
    if (HTTP_MODULES.some(h => m === h || m.startsWith(h + '/'))) facts.servesHttp = true;
    if (/\/server\/stdio(\.js)?$/.test(m)) facts.servesStdio = true;
    if (/\/server\/(sse|streamableHttp)(\.js)?$/.test(m)) facts.servesHttp = true;
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
