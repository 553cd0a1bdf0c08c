// The per-file indexes the rules read instead of walking the tree again: they must give exactly what a walk gives.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { analyzeText, analyzeWithFacts, scriptKindOf } from '../../src/core/analyzer';
import { factsCollector, factsWithin, fileFacts, possibleFacts } from '../../src/core/facts';
import { RuleContext, SyntaxIndex, typeScriptView } from '../../src/core/rule-context';
import { isDeclaredName } from '../../src/core/syntax-helpers';
import { REPO_ROOT } from '../helpers/rules';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/servers');
const fixtures = fs.readdirSync(FIXTURES).map(name => {
  const file = path.join(FIXTURES, name);
  return { name, file, text: fs.readFileSync(file, 'utf8') };
});
const parse = (file: string, text: string, parents = false) => ts.createSourceFile(file, text, ts.ScriptTarget.Latest, parents, scriptKindOf(ts, file));
const contextOf = (sf: ts.SourceFile) => {
  const facts = fileFacts(ts, sf);
  return new RuleContext(ts, sf, facts, facts);
};

/** Every node under `root` in walk order, with parents (the reference the indexes are checked against). */
function walk(root: ts.Node): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node) => {
    out.push(n);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(root, visit);
  return out;
}

describe('analysis indexes', () => {
  it('the index walk gathers the same facts as fileFacts, and sets parent links', () => {
    for (const { name, file, text } of fixtures) {
      const sf = parse(file, text);
      const collector = factsCollector(typeScriptView(ts));
      const index = new SyntaxIndex(typeScriptView(ts), sf, { kinds: collector.kinds, onNode: collector.note });
      assert.deepEqual(collector.facts(), fileFacts(ts, parse(file, text)), name);
      for (const n of walk(sf)) assert.ok(n.parent, `${name}: ${ts.SyntaxKind[n.kind]} has no parent`);
      assert.equal(index.nodesOfKind(ts.SyntaxKind.CallExpression).length, walk(sf).filter(ts.isCallExpression).length, name);
    }
  });

  it('possibleFacts bounds what fileFacts finds, on every fixture, its truncations and words spelled with escapes', () => {
    const texts = fixtures.flatMap(({ name, text }) => [
      { name, text },
      // Truncations and lines left out: the bound holds for broken code too.
      ...[0.25, 0.5, 0.75].map(f => ({ name: `${name} cut at ${f}`, text: text.slice(0, Math.floor(text.length * f)) })),
      ...text.split('\n').map((_, i, lines) => ({ name: `${name} without line ${i + 1}`, text: lines.filter((__, j) => j !== i).join('\n') })),
    ]);
    const escaped = [
      "import { McpServer } from '\\u0040modelcontextprotocol/sdk/server/mcp.js';\nimport { StdioServerTransport } from '@modelcontextprotocol/sdk/server/\\x73tdio.js';",
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nconst t = new \\u0053tdioServerTransport();",
      "import { FastMCP } from 'fast\\\nmcp';\nnew FastMCP({ name: 'x' }).start();",
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nnew FastMCP({}).start({ transportType: '\\x68ttpStream' });",
    ];
    for (const [i, text] of escaped.entries()) {
      const facts = fileFacts(ts, parse('escaped.ts', text));
      assert.ok(facts.servesStdio || facts.servesHttp || facts.usesMcpServerSdk, `escaped text ${i} has facts: ${JSON.stringify(facts)}`);
      texts.push({ name: `escaped text ${i}`, text });
    }
    // One way each to a fact, with no other word of the bound in the text.
    for (const text of [
      "import * as s from '@modelcontextprotocol/sdk/server/stdio.js';",
      "import * as s from '@modelcontextprotocol/sdk/server/sse.js';",
      "import * as s from '@modelcontextprotocol/sdk/server/streamableHttp.js';",
      "import { createMcpHandler } from 'mcp-handler';",
      "const options = { transportType: 'stdio' };",
      "const options = { transportType: 'httpStream' };",
      "const t = new SSEServerTransport('/messages', res);",
      "const { FastMCP } = require('fastmcp');\nnew FastMCP({ name: 'x' }).start();",
    ]) {
      const facts = fileFacts(ts, parse('one.ts', text));
      assert.ok(facts.servesStdio || facts.servesHttp, `${text} has a transport fact`);
      texts.push({ name: text, text });
    }
    let checked = 0;
    for (const { name, text } of texts) {
      const facts = fileFacts(ts, parse('server.ts', text));
      const bound = possibleFacts(text);
      assert.ok(factsWithin(facts, bound), `${name}: fileFacts ${JSON.stringify(facts)} is not within possibleFacts ${JSON.stringify(bound)}`);
      checked++;
    }
    assert.ok(checked > 500, `${checked} texts`);
    // A bound, not a guess: words in a comment count, and a file that names nothing has nothing.
    assert.deepEqual(possibleFacts('// no StdioServerTransport here\nexport const mcpName = 1;\n'), { usesMcpServerSdk: false, servesStdio: true, servesHttp: false });
    assert.deepEqual(possibleFacts('export const x = 1;\n'), { usesMcpServerSdk: false, servesStdio: false, servesHttp: false });
  });

  it('analyzeWithFacts returns the file facts, and uses the ones it is given', () => {
    const code = "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nconsole.log('ready');\n";
    const sf = parse('server.ts', code);
    const derived = analyzeWithFacts({ ts, sourceFile: sf }, { scope: 'all' });
    assert.deepEqual(derived.fileFacts, fileFacts(ts, parse('server.ts', code)));
    assert.equal(derived.findings.filter(f => f.ruleId === 'stdout-in-stdio-server').length, 0);
    // Facts that say the file serves stdio make the stdout rule apply: the option is what the analysis uses.
    const given = { usesMcpServerSdk: true, servesStdio: true, servesHttp: false };
    const withGiven = analyzeWithFacts({ ts, sourceFile: parse('server.ts', code) }, { scope: 'all', fileFacts: given });
    assert.equal(withGiven.fileFacts, given);
    assert.equal(withGiven.findings.filter(f => f.ruleId === 'stdout-in-stdio-server').length, 1);
  });

  it('a prebuilt index gives the same findings as the analyzer building its own', () => {
    for (const { name, file, text } of fixtures) {
      const sf = parse(file, text);
      const index = new SyntaxIndex(typeScriptView(ts), sf);
      const facts = fileFacts(ts, sf);
      const reused = analyzeWithFacts({ ts, sourceFile: sf, index }, { scope: 'all', fileFacts: facts }).findings;
      assert.deepEqual(reused, analyzeText(ts, file, text, { scope: 'all' }), name);
    }
  });

  it('isDeclaredName knows every name the type checker finds declared in the file (globals are not)', () => {
    const LOCAL = new Set([
      ts.SyntaxKind.VariableDeclaration, ts.SyntaxKind.Parameter, ts.SyntaxKind.BindingElement, ts.SyntaxKind.FunctionDeclaration,
      ts.SyntaxKind.FunctionExpression, ts.SyntaxKind.ClassDeclaration, ts.SyntaxKind.ImportClause, ts.SyntaxKind.ImportSpecifier,
      ts.SyntaxKind.NamespaceImport, ts.SyntaxKind.ImportEqualsDeclaration,
    ]);
    let locals = 0;
    for (const { name, file, text } of fixtures) {
      const host = ts.createCompilerHost({ noLib: true, allowJs: true, noEmit: true }, true);
      const own = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(ts, file));
      host.getSourceFile = f => (f === file ? own : undefined);
      const checker = ts.createProgram({ rootNames: [file], options: { noLib: true, allowJs: true, noEmit: true, noResolve: true }, host }).getTypeChecker();
      const ctx = contextOf(own);
      for (const id of walk(own).filter(ts.isIdentifier)) {
        const declarations = checker.getSymbolAtLocation(id)?.declarations ?? [];
        if (!declarations.some(d => d.getSourceFile() === own && LOCAL.has(d.kind))) continue;
        locals++;
        assert.ok(isDeclaredName(ctx, id.text), `${name}: ${id.text} at ${id.pos} is declared in the file`);
      }
      for (const global of ['console', 'process', 'JSON', 'setTimeout']) {
        if (!walk(own).some(n => ts.isIdentifier(n) && n.text === global && LOCAL.has(n.parent.kind))) assert.ok(!isDeclaredName(ctx, global), `${name}: ${global}`);
      }
    }
    assert.ok(locals > 200, `${locals} identifiers bound to a declaration of their file`);
  });

  it('nodesInside finds exactly the descendants a walk finds, in source order', () => {
    for (const { name, file, text } of fixtures) {
      const sf = parse(file, text, true);
      const ctx = contextOf(sf);
      for (const container of walk(sf).filter(n => ts.isFunctionLike(n) || ts.isBlock(n))) {
        for (const kind of [ts.SyntaxKind.CallExpression, ts.SyntaxKind.Identifier, ts.SyntaxKind.VariableDeclaration, ts.SyntaxKind.ArrowFunction]) {
          const expected = walk(container).filter(n => n.kind === kind);
          assert.deepEqual(ctx.nodesInside(container, kind), expected, `${name}: ${ts.SyntaxKind[kind]} in ${ts.SyntaxKind[container.kind]} at ${container.pos}`);
        }
      }
    }
  });

  it('callsNamed and callsFrom list, in source order, every call resolving to the name or module', () => {
    for (const { name, file, text } of fixtures) {
      const ctx = contextOf(parse(file, text, true));
      const calls = ctx.calls;
      const byName = new Map<string, ts.CallExpression[]>();
      const byModule = new Map<string, ts.CallExpression[]>();
      for (const call of calls) {
        const r = ctx.resolveCallee(call.expression);
        if (!r) continue;
        byName.set(r.name, [...(byName.get(r.name) ?? []), call]);
        if (r.module !== null) byModule.set(r.module, [...(byModule.get(r.module) ?? []), call]);
      }
      const inOrder = (list: readonly ts.CallExpression[]) => list.every((c, i) => i === 0 || calls.indexOf(list[i - 1]) < calls.indexOf(c));
      for (const [callee, expected] of byName) {
        const found = ctx.callsNamed([callee]);
        assert.ok(inOrder(found), `${name}: calls named ${callee} out of order`);
        for (const c of expected) assert.ok(found.includes(c), `${name}: a call of ${callee} is missing`);
      }
      for (const [module, expected] of byModule) {
        const found = ctx.callsFrom([module]);
        assert.ok(inOrder(found), `${name}: calls from ${module} out of order`);
        for (const c of expected) assert.ok(found.includes(c), `${name}: a call from ${module} is missing`);
      }
      const all = ctx.callsNamed([...byName.keys()]);
      assert.ok(inOrder(all) && new Set(all).size === all.length, `${name}: several names give each call once, in order`);
    }
  });

  it('the TypeScript view answers as the module does', () => {
    const view = typeScriptView(ts);
    assert.equal(typeScriptView(ts), view);
    assert.equal(view.isIdentifier, ts.isIdentifier);
    assert.equal(view.SyntaxKind, ts.SyntaxKind);
    assert.equal(view.createSourceFile, ts.createSourceFile);
    assert.equal(view.version, ts.version);
  });
});
