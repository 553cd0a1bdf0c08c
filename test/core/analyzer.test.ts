// The analyzer's own behaviour: scope, per-rule severity, suppression comments, rule isolation, facts.
import * as assert from 'node:assert/strict';
import * as ts from 'typescript';
import { analyzeText } from '../../src/core/analyzer';
import { fileFacts, packageJsonUsesMcp } from '../../src/core/facts';
import { computeLineStarts } from '../../src/core/suppressions';
import type { Rule } from '../../src/core/types';
import { prng } from '../helpers/fuzz';
import { MCP_HEADER, MCP_STDIO_HEADER } from '../helpers/rules';

const FETCH = 'fetch-without-timeout';
const risky = (extra = '') => `${MCP_HEADER}${extra}export async function get(u: string) {\n  return fetch(u);\n}\n`;
const ids = (code: string, opts = {}) => analyzeText(ts, 'server.ts', code, opts).map(f => f.ruleId).filter(id => id === FETCH);

describe('analyzer', () => {
  describe('scope', () => {
    it("analyses MCP server files under the default 'mcp' scope", () => {
      assert.deepEqual(ids(risky()), [FETCH]);
    });
    it("skips files of programs that use no MCP server SDK under 'mcp', and analyses them under 'all'", () => {
      const plain = 'export async function get(u: string) { return fetch(u); }';
      assert.deepEqual(ids(plain), []);
      assert.deepEqual(ids(plain, { scope: 'all' }), [FETCH]);
    });
    it('uses program facts for helper modules of an MCP program', () => {
      const plain = 'export async function get(u: string) { return fetch(u); }';
      assert.deepEqual(ids(plain, { project: { usesMcpServerSdk: true, servesStdio: true, servesHttp: false } }), [FETCH]);
    });
    it('recognises CommonJS requires of the SDK', () => {
      const cjs = "const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\nasync function get(u) { return fetch(u); }\nmodule.exports = { get };";
      assert.equal(analyzeText(ts, 'server.cjs', cjs).filter(f => f.ruleId === FETCH).length, 1);
    });
  });

  describe('severity', () => {
    it('uses the default severity, an override, and drops rules set to off', () => {
      assert.equal(analyzeText(ts, 'a.ts', risky()).find(f => f.ruleId === FETCH)?.severity, 'warning');
      assert.equal(analyzeText(ts, 'a.ts', risky(), { severities: { [FETCH]: 'error' } }).find(f => f.ruleId === FETCH)?.severity, 'error');
      assert.deepEqual(ids(risky(), { severities: { [FETCH]: 'off' } }), []);
    });
    it('reports positions, code, playbook and documentation link', () => {
      const code = risky();
      const f = analyzeText(ts, 'a.ts', code).find(x => x.ruleId === FETCH)!;
      assert.equal(code.slice(f.start, f.end), 'fetch(u)');
      assert.deepEqual(f.range.start, { line: 2, character: 9 });
      assert.equal(f.code, 61002);
      assert.match(f.docUrl, /docs\/rules\/fetch-without-timeout\.md$/);
      assert.equal(f.playbook, 'circuit-breaker-cascade#dependency-isolation');
    });
  });

  describe('line starts', () => {
    // Reference: one character at a time; \r\n is one break, a lone \r or \n is one.
    const reference = (text: string) => {
      const starts = [0];
      for (let i = 0; i < text.length; i++) {
        if (text[i] === '\r' && text[i + 1] === '\n') i++;
        if (text[i] === '\n' || text[i] === '\r') starts.push(i + 1);
      }
      return starts;
    };
    it('match a character-by-character scan for LF, CRLF, CR and mixed texts', () => {
      const rng = prng(7);
      const pieces = ['a', 'bc', ' ', '\n', '\r\n', '\r', '\n\n', '\u2028'];
      for (let n = 0; n < 500; n++) {
        let text = '';
        for (let k = rng.int(40); k > 0; k--) text += rng.pick(pieces);
        assert.deepEqual(computeLineStarts(text), reference(text), JSON.stringify(text));
      }
      assert.deepEqual(computeLineStarts(''), [0]);
      assert.deepEqual(computeLineStarts('a\nb\n'), [0, 2, 4]);
    });
  });

  describe('suppression comments', () => {
    it('disable-next-line naming the rule', () => {
      assert.deepEqual(ids(`${MCP_HEADER}export async function get(u: string) {\n  // mcp-architect-disable-next-line ${FETCH}\n  return fetch(u);\n}\n`), []);
    });
    it('disable-next-line naming another rule does not apply', () => {
      assert.deepEqual(ids(`${MCP_HEADER}export async function get(u: string) {\n  // mcp-architect-disable-next-line unbounded-cache\n  return fetch(u);\n}\n`), [FETCH]);
    });
    it('disable-line, with several ids and a reason after --', () => {
      assert.deepEqual(ids(`${MCP_HEADER}export async function get(u: string) {\n  return fetch(u); // mcp-architect-disable-line unbounded-cache, ${FETCH} -- health probe\n}\n`), []);
    });
    it('block disable for the rest of the file, and enable again', () => {
      const code = `${MCP_HEADER}/* mcp-architect-disable ${FETCH} */\nexport const a = (u: string) => fetch(u);\n/* mcp-architect-enable ${FETCH} */\nexport const b = (u: string) => fetch(u);\n`;
      assert.equal(ids(code).length, 1);
      assert.deepEqual(ids(`/* mcp-architect-disable */\n${risky()}`), []);
    });
    it('ignores the words inside strings and template literals', () => {
      const code = `${MCP_HEADER}const s = "// mcp-architect-disable-next-line";\nexport const t = \`\${s} /* mcp-architect-disable */\`;\nexport const a = (u: string) => fetch(u);\n`;
      assert.equal(ids(code).length, 1);
    });
    it('works with CRLF line endings', () => {
      const code = `${MCP_HEADER}export async function get(u: string) {\r\n  // mcp-architect-disable-next-line ${FETCH}\r\n  return fetch(u);\r\n}\r\n`;
      assert.deepEqual(ids(code), []);
    });
  });

  describe('rule isolation', () => {
    it('skips a throwing rule, reports it, and keeps the others', () => {
      const throwing: Rule = {
        meta: { id: 'throws', code: 61999, defaultSeverity: 'error', description: 'always throws', message: 'never reported because it throws', playbook: 'failure-assumption', fix: null, languages: ['typescript'] },
        check(ctx) {
          ctx.report({ start: 0, end: 1 });
          throw new Error('boom');
        },
      };
      const errors: string[] = [];
      const found = analyzeText(ts, 'a.ts', risky(), { extraRules: [throwing], onRuleError: id => errors.push(id) });
      assert.deepEqual(errors, ['throws']);
      assert.ok(found.some(f => f.ruleId === FETCH));
      assert.ok(!found.some(f => f.ruleId === 'throws'), 'reports of a throwing rule are dropped');
    });
  });

  describe('facts', () => {
    const facts = (code: string) => fileFacts(ts, ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true));
    it('sees stdio and HTTP transports', () => {
      assert.deepEqual(facts(`${MCP_STDIO_HEADER}await new McpServer({name:'a',version:'1'}).connect(new StdioServerTransport());`), {
        usesMcpServerSdk: true,
        servesStdio: true,
        servesHttp: false,
      });
      const http = "import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';";
      assert.equal(facts(http).servesHttp, true);
      assert.equal(facts("import { FastMCP } from 'fastmcp';\nnew FastMCP({name:'a',version:'1.0.0'}).start({ transportType: 'stdio' });").servesStdio, true);
      assert.equal(facts("import { FastMCP } from 'fastmcp';\nconst s = new FastMCP({name:'a',version:'1.0.0'});\ns.start();").servesStdio, true, 'stdio is FastMCP\'s default');
      assert.equal(facts("import { FastMCP } from 'fastmcp';\nconst s = new FastMCP({name:'a',version:'1.0.0'});\ns.start({ transportType: 'httpStream' });").servesStdio, false);
      assert.equal(facts("import express from 'express';\nconst app = express();\napp.start();").servesStdio, false);
    });
    it('is false for files that only mention MCP in text', () => {
      assert.deepEqual(facts("const note = 'uses @modelcontextprotocol/sdk/server/stdio.js';"), { usesMcpServerSdk: false, servesStdio: false, servesHttp: false });
    });
    it('reads package.json dependencies, and survives malformed package.json', () => {
      assert.equal(packageJsonUsesMcp('{"dependencies":{"@modelcontextprotocol/sdk":"^1.24.0"}}'), true);
      assert.equal(packageJsonUsesMcp('{"dependencies":{"express":"^5"}}'), false);
      assert.equal(packageJsonUsesMcp('{not json'), false);
    });
  });
});
