// analyzePython: scope, severities, suppression comments, rule isolation, findings' shape, registry consistency.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzePython, pythonFileFacts } from '../../src/core/python/analyzer';
import { PYTHON_RULES, type PythonRule } from '../../src/core/python/rules';
import { RULES } from '../../src/core/rules';
import { ruleDocUrl } from '../../src/core/docs';
import { FASTMCP_HEADER, analyzePy, loadPythonParser, pythonParser } from '../helpers/python';
import { REPO_ROOT } from '../helpers/rules';

const PRINTING = `${FASTMCP_HEADER}\n@mcp.tool()\nasync def greet(name: str) -> str:\n    print("hi", name)\n    return name\n\nmcp.run()\n`;

describe('python analyzer', () => {
  before(loadPythonParser);

  it('has one checker per file, named by its rule id, reusing that rule\'s metadata; meta.languages lists python exactly for them', () => {
    const dir = path.join(REPO_ROOT, 'src/core/python/rules');
    const files = fs.readdirSync(dir).filter(f => f.endsWith('.ts') && f !== 'index.ts').map(f => f.slice(0, -3)).sort();
    assert.deepEqual(PYTHON_RULES.map(r => r.meta.id).sort(), files);
    for (const r of PYTHON_RULES) {
      const ts = RULES.find(x => x.meta.id === r.meta.id);
      assert.ok(ts, `${r.meta.id} is a rule of the engine`);
      assert.equal(r.meta, ts.meta, `${r.meta.id} reuses the rule's meta object`);
    }
    const declared = RULES.filter(r => r.meta.languages.includes('python')).map(r => r.meta.id).sort();
    assert.deepEqual(declared, files, 'meta.languages includes python for exactly the rules with a Python checker');
  });

  it('reports findings with the rule\'s code, severity, playbook and documentation link, and 0-based UTF-16 positions', () => {
    const code = `# é😀\n${PRINTING}`;
    const [f] = analyzePy(code).filter(x => x.ruleId === 'stdout-in-stdio-server');
    const rule = RULES.find(r => r.meta.id === 'stdout-in-stdio-server')!;
    assert.equal(f.code, rule.meta.code);
    assert.equal(f.severity, rule.meta.defaultSeverity);
    assert.equal(f.playbook, rule.meta.playbook);
    assert.equal(f.docUrl, ruleDocUrl('stdout-in-stdio-server'));
    assert.equal(code.slice(f.start, f.end), 'print("hi", name)');
    const lines = code.split('\n');
    assert.equal(lines[f.range.start.line].slice(f.range.start.character, f.range.end.character), 'print("hi", name)');
  });

  it('scope "mcp" analyses files that import an MCP server SDK, or belong to an MCP program (a project fact)', () => {
    const plain = 'import requests\n\ndef get(u):\n    return requests.get(u)\n';
    const parser = pythonParser();
    assert.deepEqual(analyzePython(parser, 'util.py', plain, { scope: 'mcp' }), []);
    assert.equal(analyzePython(parser, 'util.py', plain, { scope: 'all' }).length, 1);
    assert.equal(analyzePython(parser, 'util.py', plain, { scope: 'mcp', project: { usesMcpServerSdk: true, servesStdio: false, servesHttp: false } }).length, 1);
    assert.equal(analyzePython(parser, 'server.py', `from fastmcp import FastMCP\n${plain}`, { scope: 'mcp' }).length, 1);
    // The FastMCP client alone is no server.
    assert.deepEqual(analyzePython(parser, 'client.py', `from fastmcp import Client\n${plain}`, { scope: 'mcp' }), []);
  });

  it('derives the program facts of a file: MCP SDK, stdio, HTTP', () => {
    const parser = pythonParser();
    assert.deepEqual(pythonFileFacts(parser, 'a.py', PRINTING), { usesMcpServerSdk: true, servesStdio: true, servesHttp: false });
    assert.deepEqual(pythonFileFacts(parser, 'b.py', `${FASTMCP_HEADER}mcp.run(transport="streamable-http")\n`), { usesMcpServerSdk: true, servesStdio: false, servesHttp: true });
    assert.deepEqual(pythonFileFacts(parser, 'c.py', 'print("x")\n'), { usesMcpServerSdk: false, servesStdio: false, servesHttp: false });
    // A tool module of a stdio program reports print() with the program's facts.
    const tools = `from .server import mcp\n\n@mcp.tool()\ndef t() -> str:\n    print("x")\n    return "x"\n`;
    assert.equal(analyzePython(parser, 'tools.py', tools, { scope: 'mcp' }).length, 0);
    assert.equal(analyzePython(parser, 'tools.py', tools, { scope: 'mcp', project: { usesMcpServerSdk: true, servesStdio: true, servesHttp: false } }).length, 1);
  });

  it('applies severity overrides and turns rules off', () => {
    assert.equal(analyzePy(PRINTING, 'server.py', { severities: { 'stdout-in-stdio-server': 'hint' } })[0].severity, 'hint');
    assert.deepEqual(analyzePy(PRINTING, 'server.py', { severities: { 'stdout-in-stdio-server': 'off' } }), []);
  });

  it('honours # mcp-architect-disable-next-line / disable-line / disable ... enable, never inside strings', () => {
    const body = (line: string) => `${FASTMCP_HEADER}\n@mcp.tool()\nasync def greet(name: str) -> str:\n${line}\n    return name\n\nmcp.run()\n`;
    assert.equal(analyzePy(body('    # mcp-architect-disable-next-line stdout-in-stdio-server\n    print(name)')).length, 0);
    assert.equal(analyzePy(body('    # mcp-architect-disable-next-line\n    print(name)')).length, 0);
    assert.equal(analyzePy(body('    print(name)  # mcp-architect-disable-line stdout-in-stdio-server -- debugging only')).length, 0);
    assert.equal(analyzePy(body('    # mcp-architect-disable-next-line unbounded-cache\n    print(name)')).length, 1, 'another rule id does not suppress it');
    assert.equal(analyzePy(body('    # mcp-architect-disable stdout-in-stdio-server\n    print(name)\n    print(name)\n    # mcp-architect-enable stdout-in-stdio-server\n    print(name)')).length, 1);
    assert.equal(analyzePy(body('    s = "# mcp-architect-disable-next-line"\n    print(name)')).length, 1, 'a string is not a comment');
  });

  it('skips a throwing rule, reports it through onRuleError, and keeps the others', () => {
    const throwing: PythonRule = {
      meta: { ...RULES[0].meta, id: 'throws', code: 61999 },
      check() {
        throw new Error('boom');
      },
    };
    const errors: string[] = [];
    const findings = analyzePython(pythonParser(), 'server.py', PRINTING, { scope: 'all', onRuleError: (id, e) => errors.push(`${id}: ${(e as Error).message}`) }, [throwing, ...PYTHON_RULES]);
    assert.deepEqual(errors, ['throws: boom']);
    assert.ok(findings.some(f => f.ruleId === 'stdout-in-stdio-server'));
  });

  it('analyses a file with syntax errors as far as it goes, and empty or binary-looking text', () => {
    const broken = `${FASTMCP_HEADER}\n@mcp.tool()\nasync def greet(name: str -> str:\n    print(name\n    return name\n\nmcp.run()\n`;
    assert.doesNotThrow(() => analyzePy(broken));
    assert.deepEqual(analyzePy(''), []);
    assert.doesNotThrow(() => analyzePy('\0\ufeff\u2028 def (((\n\t\t\x01'));
  });
});
