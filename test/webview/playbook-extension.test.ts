// The extension side of the playbook sidebar that runs without VS Code: the page and its CSP, the checklist state,
// the init message, the snippet files, command arguments and the architecture review export.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PLAYBOOKS } from '../../src/core/playbook-data';
import { allChecklistItemKeys, checklistItemKey } from '../../src/core/playbooks';
import { RULES } from '../../src/core/rules';
import { SNIPPET_LANGUAGES, getSnippet, listSnippets } from '../../src/core/snippets';
import { architectureReviewWithFindings, codeSpan, markdownText, type ReviewFinding } from '../../src/extension/architecture-review';
import { CHECKLIST_STATE_KEY, ChecklistState } from '../../src/extension/checklist-state';
import { contentSecurityPolicy, createNonce, playbookPageHtml } from '../../src/extension/playbook-html';
import { initMessage, linkedRuleIds, locationOf, snippetSummaries } from '../../src/extension/playbook-model';
import { snippetsFromExtension } from '../../src/core/snippet-files';
import { MemoryMemento, REPO_ROOT } from './harness';

const KEYS = new Set(allChecklistItemKeys(PLAYBOOKS));
const A = checklistItemKey('circuit-breaker-cascade', 'breaker-review', 'timeouts-everywhere');
const B = checklistItemKey('memory-management', 'memory-review', 'caches-bounded');

describe('playbook sidebar, extension side', () => {
  describe('page and content security policy', () => {
    // What VS Code 1.10x gives as `webview.cspSource`.
    const options = { cspSource: "'self' https://*.vscode-cdn.net", nonce: createNonce(), scriptUri: 'https://x/dist/webview.js', styleUri: 'https://x/media/webview/playbooks.css' };

    it('a fresh 128-bit nonce each time', () => {
      const nonces = new Set(Array.from({ length: 50 }, createNonce));
      assert.equal(nonces.size, 50);
      for (const n of nonces) assert.equal(Buffer.from(n, 'base64').length, 16);
    });

    it('allows only the nonce script, own styles and images, and nothing remote or evaluated', () => {
      const csp = contentSecurityPolicy(options.cspSource, options.nonce);
      assert.equal(
        csp,
        `default-src 'none'; style-src ${options.cspSource} 'nonce-${options.nonce}'; script-src 'nonce-${options.nonce}'; img-src ${options.cspSource}; font-src ${options.cspSource}; base-uri 'none'; form-action 'none'`,
      );
      assert.doesNotMatch(csp, /unsafe|https?:\/\/(?!\*\.vscode-cdn\.net)/);
    });

    it('refuses a bad nonce or a CSP source that would widen the policy', () => {
      assert.throws(() => contentSecurityPolicy(options.cspSource, 'short'), /nonce/);
      assert.throws(() => contentSecurityPolicy(options.cspSource, "abc' 'unsafe-inline"), /nonce/);
      assert.doesNotThrow(() => contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', options.nonce));
      assert.throws(() => contentSecurityPolicy("https://x; script-src *", options.nonce), /not a CSP source/);
      assert.throws(() => contentSecurityPolicy("'self' 'unsafe-inline'", options.nonce), /not a CSP source/);
      assert.throws(() => contentSecurityPolicy('*', options.nonce), /not a CSP source/);
      assert.throws(() => contentSecurityPolicy('https://x,https://y', options.nonce), /not a CSP source/);
      assert.throws(() => contentSecurityPolicy('', options.nonce), /not a CSP source/);
    });

    it('one script, with the nonce, and the stylesheet with the nonce; attribute values escaped', () => {
      const html = playbookPageHtml({ ...options, scriptUri: 'https://x/dist/webview.js?a="b"&c<d>' });
      assert.equal(html.match(/<script\b/g)?.length, 1);
      assert.match(html, new RegExp(`<script nonce="${options.nonce.replace(/[+/]/g, '\\$&')}" src="https://x/dist/webview.js\\?a=&quot;b&quot;&amp;c&lt;d&gt;"></script>`));
      assert.match(html, /<link rel="stylesheet" href="https:\/\/x\/media\/webview\/playbooks.css" nonce="/);
      assert.doesNotMatch(html, /\sstyle=|\son[a-z]+=/i, 'no inline styles or handlers');
      for (const id of ['search', 'results', 'result-count', 'detail', 'back', 'open-markdown', 'loading', 'list-view', 'detail-view']) assert.match(html, new RegExp(`id="${id}"`));
    });
  });

  describe('checklist state (workspaceState)', () => {
    it('stores toggles, in checklist order, and reads them back in a new instance', async () => {
      const memento = new MemoryMemento();
      const state = new ChecklistState(memento, KEYS);
      await state.set(B, true);
      await state.set(A, true);
      assert.deepEqual(state.keys(), [A, B]);
      assert.deepEqual(memento.get(CHECKLIST_STATE_KEY), [A, B]);
      await state.set(A, false);
      assert.deepEqual(new ChecklistState(memento, KEYS).keys(), [B]);
      assert.equal(new ChecklistState(memento, KEYS).isChecked(B), true);
    });

    it('drops stored keys of items that no longer exist, and junk', () => {
      const memento = new MemoryMemento();
      memento.values.set(CHECKLIST_STATE_KEY, [A, 'gone/list/item', 42, null, B]);
      assert.deepEqual(new ChecklistState(memento, KEYS).keys(), [A, B]);
      memento.values.set(CHECKLIST_STATE_KEY, { not: 'an array' });
      assert.deepEqual(new ChecklistState(memento, KEYS).keys(), []);
    });

    it('refuses unknown keys', async () => {
      const state = new ChecklistState(new MemoryMemento(), KEYS);
      await assert.rejects(state.set('x/y/z', true), /unknown checklist item/);
      assert.deepEqual(state.keys(), []);
    });

    it('ends with the last state when writes overlap, even after a failed write', async () => {
      const writes: unknown[] = [];
      let fail = true;
      const slow = {
        get: () => undefined,
        update: (_key: string, value: unknown) =>
          new Promise<void>((resolve, reject) =>
            setTimeout(() => {
              if (fail) {
                fail = false;
                reject(new Error('disk full'));
              } else {
                writes.push(value);
                resolve();
              }
            }, 5),
          ),
      };
      const state = new ChecklistState(slow, KEYS);
      const first = state.set(A, true);
      const second = state.set(B, true);
      const third = state.set(A, false);
      await assert.rejects(first, /disk full/);
      await second;
      await third;
      assert.deepEqual(writes.at(-1), [B]);
    });
  });

  describe('init message', () => {
    it('carries the playbooks, the checked keys and a reveal, and summaries of every linked rule and snippet', () => {
      const m = initMessage(PLAYBOOKS, [A], { hasDoc: id => id === 'fetch-without-timeout', snippet: getSnippet, reveal: { playbookId: 'memory-management' } });
      assert.equal(m.type, 'init');
      assert.equal(m.playbooks, PLAYBOOKS);
      assert.deepEqual(m.checked, [A]);
      assert.deepEqual(m.reveal, { playbookId: 'memory-management' });
      assert.deepEqual(m.rules.map(r => r.id), linkedRuleIds(PLAYBOOKS));
      const fetchRule = m.rules.find(r => r.id === 'fetch-without-timeout')!;
      assert.deepEqual(fetchRule, { id: 'fetch-without-timeout', description: RULES.find(r => r.meta.id === 'fetch-without-timeout')!.meta.description, hasDoc: true });
      assert.equal(m.rules.find(r => r.id === 'unbounded-cache')!.hasDoc, false);
      assert.ok(!('reveal' in initMessage(PLAYBOOKS, [], { hasDoc: () => true, snippet: getSnippet })));
      // Structured-clonable (what postMessage needs).
      assert.deepEqual(structuredClone(m), JSON.parse(JSON.stringify(m)));
    });

    it('snippet summaries: the languages each exists in, the name, the description without its playbook link', () => {
      const summaries = snippetSummaries(PLAYBOOKS, getSnippet);
      assert.deepEqual(summaries.map(s => s.prefix), [...new Set(PLAYBOOKS.flatMap(p => p.snippets))]);
      const breaker = summaries.find(s => s.prefix === 'mcp-circuit-breaker')!;
      assert.ok(breaker.languages.includes('typescript'));
      assert.equal(breaker.name, getSnippet('mcp-circuit-breaker', 'typescript')!.name);
      assert.doesNotMatch(breaker.description, /playbook:/);
      for (const s of summaries) {
        for (const l of ['typescript', 'javascript', 'python'] as const) assert.equal(s.languages.includes(l), getSnippet(s.prefix, l) !== undefined, `${s.prefix} ${l}`);
      }
    });
  });

  describe('snippets read from the contributed snippet files', () => {
    it('are the snippets of src/core/snippets.ts, in every language', () => {
      const errors: string[] = [];
      const lookup = snippetsFromExtension(REPO_ROOT, e => errors.push(e));
      for (const language of SNIPPET_LANGUAGES) {
        for (const s of listSnippets(language)) assert.deepEqual(lookup(s.prefix, language), s, `${language} ${s.prefix}`);
      }
      assert.equal(lookup('mcp-nope', 'typescript'), undefined);
      assert.deepEqual(errors, []);
    });

    it('report a missing or broken file and count it as empty', () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-architect-snippets-'));
      try {
        fs.mkdirSync(path.join(root, 'snippets'));
        fs.writeFileSync(path.join(root, 'snippets', 'typescript.json'), '{ "broken": ');
        const errors: string[] = [];
        const lookup = snippetsFromExtension(root, e => errors.push(e));
        assert.equal(lookup('mcp-circuit-breaker', 'typescript'), undefined);
        assert.equal(lookup('mcp-circuit-breaker', 'python'), undefined);
        assert.equal(lookup('mcp-circuit-breaker', 'python'), undefined, 'read once');
        assert.equal(errors.length, 2);
        assert.match(errors[0], /cannot read the typescript snippets .*typescript\.json/);
        assert.match(errors[1], /cannot read the python snippets .*ENOENT/);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  });

  describe('openPlaybook argument', () => {
    it('a playbook id, a ref with a section, or { playbook }', () => {
      assert.deepEqual(locationOf(PLAYBOOKS, 'memory-management'), { playbookId: 'memory-management' });
      assert.deepEqual(locationOf(PLAYBOOKS, 'circuit-breaker-cascade#dependency-isolation'), { playbookId: 'circuit-breaker-cascade', sectionId: 'dependency-isolation' });
      assert.deepEqual(locationOf(PLAYBOOKS, { playbook: 'memory-management#bound-caches' }), { playbookId: 'memory-management', sectionId: 'bound-caches' });
    });

    it('every rule links a playbook section that exists', () => {
      for (const r of RULES) {
        const [id, section] = r.meta.playbook.split('#');
        assert.deepEqual(locationOf(PLAYBOOKS, r.meta.playbook), { playbookId: id, ...(section ? { sectionId: section } : {}) }, r.meta.id);
      }
    });

    it('a section that does not exist opens the playbook; an unknown playbook or a non-string is nothing', () => {
      assert.deepEqual(locationOf(PLAYBOOKS, 'memory-management#gone'), { playbookId: 'memory-management' });
      assert.equal(locationOf(PLAYBOOKS, 'nope#bound-caches'), undefined);
      assert.equal(locationOf(PLAYBOOKS, ''), undefined);
      assert.equal(locationOf(PLAYBOOKS, 42), undefined);
      assert.equal(locationOf(PLAYBOOKS, { playbook: 42 }), undefined);
      assert.equal(locationOf(PLAYBOOKS, undefined), undefined);
    });
  });

  describe('architecture review export', () => {
    const findings: ReviewFinding[] = [
      { ruleId: 'fetch-without-timeout', file: 'src/server.ts', line: 12, column: 5, message: 'fetch() without a timeout', severity: 'warning' },
      { ruleId: 'fetch-without-timeout', file: 'src/a.ts', line: 3, column: 1, message: 'fetch() <b>without</b> | a timeout', severity: 'warning' },
      { ruleId: 'unbounded-cache', file: 'src/server.ts', line: 40, column: 1, message: 'Map used as a cache', severity: 'info' },
      { ruleId: 'vulnerable-mcp-sdk', file: 'package.json', line: 8, column: 5, message: 'CVE-2025-66414', severity: 'warning' },
    ];
    const md = architectureReviewWithFindings(PLAYBOOKS, findings, { subject: 'demo', date: '2026-01-01', checked: [A] });

    it('sums up findings and checklist progress', () => {
      assert.match(md, /^# Architecture review: demo\n\nDate: 2026-01-01\n/);
      assert.match(md, new RegExp(`\\*\\*4 findings\\*\\* of 3 rules in 3 files · \\*\\*1 of ${KEYS.size}\\*\\* checklist items done\\.`));
      assert.match(md, /\| Circuit Breaker Cascade Protection \| Resilience \| 2 \| 1 of 10 \|/);
      assert.match(md, /\| Other findings \| \| 1 \| \|/);
    });

    it('groups findings under the playbook and section of their rule, playbooks with findings first', () => {
      const sections = [...md.matchAll(/^## (.+)$/gm)].map(m => m[1]);
      assert.deepEqual(sections.slice(0, 2), ['Circuit Breaker Cascade Protection', 'Memory Management']);
      assert.equal(sections.length, PLAYBOOKS.length + 1);
      assert.equal(sections.at(-1), 'Other findings (1)');
      const circuit = md.slice(md.indexOf('## Circuit Breaker Cascade Protection'), md.indexOf('## Memory Management'));
      assert.match(circuit, /### Findings \(2\)\n\n#### Dependency isolation: `fetch-without-timeout` \(2\)/);
      // By file, then line.
      assert.ok(circuit.indexOf('`src/a.ts:3:1`') < circuit.indexOf('`src/server.ts:12:5`'));
      assert.match(circuit, /- `src\/a.ts:3:1` warning: fetch\(\) \\<b>without\\<\/b> \\\| a timeout/);
      assert.match(md, /#### Bound every cache aggressively: `unbounded-cache` \(1\)/);
    });

    it('lists every checklist with its state, and notes open findings of an item’s rules', () => {
      for (const p of PLAYBOOKS) for (const c of p.checklists) for (const i of c.items) assert.ok(md.includes(markdownText(i.text)), i.text);
      assert.match(md, /- \[x\] Every outbound call has a timeout\. — \*\*2 open findings\*\* \(`fetch-without-timeout`\)/);
      assert.match(md, /- \[ \] Every cache has a size bound and a time-to-live\. — \*\*1 open finding\*\* \(`unbounded-cache`\)/);
      assert.equal(md.match(/^- \[x\]/gm)?.length, 1);
    });

    it('with no findings and nothing checked, still a complete review', () => {
      const empty = architectureReviewWithFindings(PLAYBOOKS, []);
      assert.match(empty, /^# Architecture review\n\n\*\*0 findings\*\* of 0 rules in 0 files · \*\*0 of \d+\*\*/);
      assert.doesNotMatch(empty, /### Findings|Other findings/);
      assert.equal(empty.match(/^- \[ \]/gm)?.length, KEYS.size);
    });

    it('escapes Markdown in text and code spans', () => {
      assert.equal(markdownText('a *b* _c_ [d](e) <f> | `g`'), 'a \\*b\\* \\_c\\_ \\[d\\](e) \\<f> \\| \\`g\\`');
      assert.equal(markdownText('# not a heading'), '\\# not a heading');
      assert.equal(codeSpan('a`b'), '``a`b``');
      assert.equal(codeSpan('`x'), '`` `x ``');
    });
  });
});
