// "Disable for this line" and "fix all" edits, checked against the real analyzer.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as ts from 'typescript';
import { analyzeText } from '../../src/core/analyzer';
import { combinedFixEdits } from '../../src/extension/fix-all';
import { disableNextLineEdit } from '../../src/extension/suppression-edit';
import { MCP_STDIO_HEADER, REPO_ROOT, applyEdits } from '../helpers/rules';

const analyze = (code: string) => analyzeText(ts, path.join(REPO_ROOT, 'server.ts'), code);

const HANDLER = `${MCP_STDIO_HEADER}const server = new McpServer({ name: 'x', version: '1.0.0' });
server.registerTool('a', {}, async () => {
    const res = await fetch('https://example.com/a');
    const res2 = await fetch('https://example.com/b', { method: 'GET' });
    return { content: [{ type: 'text', text: (await res.text()) + (await res2.text()) }] };
});
`;

describe('disable-for-this-line edit', () => {
  it('inserts a comment with the line indentation above the line, and the finding goes away', () => {
    const [first] = analyze(HANDLER).filter(f => f.ruleId === 'fetch-without-timeout');
    const edit = disableNextLineEdit(HANDLER, first.range.start.line, 'fetch-without-timeout', 'typescript');
    assert.equal(edit.newText, '    // mcp-architect-disable-next-line fetch-without-timeout\n');
    const after = applyEdits(HANDLER, [edit]);
    const left = analyze(after).filter(f => f.ruleId === 'fetch-without-timeout');
    assert.equal(left.length, 1, 'only the other fetch is still reported');
    assert.ok(after.split('\n')[left[0].range.start.line].includes("example.com/b"));
  });

  it('adds the rule to a disable-next-line comment already above the line, keeping a reason', () => {
    const text = 'x();\n  // mcp-architect-disable-next-line unbounded-cache -- cleared by the owner\n  foo();\n';
    const edit = disableNextLineEdit(text, 2, 'fetch-without-timeout', 'typescript');
    assert.equal(applyEdits(text, [edit]), 'x();\n  // mcp-architect-disable-next-line unbounded-cache, fetch-without-timeout -- cleared by the owner\n  foo();\n');
  });

  it('does nothing when the rule (or every rule) is already disabled for the line', () => {
    assert.equal(disableNextLineEdit('// mcp-architect-disable-next-line a, b\nfoo();\n', 1, 'b', 'typescript').newText, '');
    assert.equal(disableNextLineEdit('// mcp-architect-disable-next-line\nfoo();\n', 1, 'b', 'typescript').newText, '');
  });

  it('keeps CRLF line ends, handles the first line, and uses # in Python', () => {
    assert.equal(disableNextLineEdit('\tfoo();\r\nbar();\r\n', 0, 'r', 'typescript').newText, '\t// mcp-architect-disable-next-line r\r\n');
    assert.equal(disableNextLineEdit('def f():\n    requests.get(u)\n', 1, 'r', 'python').newText, '    # mcp-architect-disable-next-line r\n');
  });
});

describe('fix all in file', () => {
  it('applies the first fix of every finding at once, and no finding with a fix is left', () => {
    const findings = analyze(HANDLER);
    const fixable = findings.filter(f => f.fixes.length);
    assert.ok(fixable.length >= 2);
    const fixed = applyEdits(HANDLER, combinedFixEdits(findings));
    assert.deepEqual(analyze(fixed).filter(f => f.fixes.length).map(f => f.ruleId), []);
  });

  it('drops duplicate and overlapping edits (the earlier finding wins)', () => {
    const mk = (start: number, end: number, newText: string) => ({ title: 't', edits: [{ start, end, newText }] });
    const base = { ruleId: 'r', code: 1, severity: 'warning' as const, message: 'm', start: 0, end: 0, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, playbook: 'p', docUrl: 'u' };
    const edits = combinedFixEdits([
      { ...base, fixes: [mk(0, 0, 'import x;\n')] },
      { ...base, fixes: [mk(0, 0, 'import x;\n')] },
      { ...base, fixes: [mk(5, 10, 'a')] },
      { ...base, fixes: [mk(8, 12, 'b')] },
      { ...base, fixes: [] },
      { ...base, fixes: [mk(12, 12, 'c')] },
    ]);
    assert.deepEqual(edits.map(e => e.newText), ['import x;\n', 'a', 'c']);
  });
});
