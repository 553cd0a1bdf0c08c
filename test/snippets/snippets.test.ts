// The contributed snippet files: every snippet, expanded with its placeholder defaults, compiles (TypeScript
// under strict NodeNext against the real SDK, zod, pg and @types/node; JavaScript with `node --check`; Python
// with `py_compile`), raises no finding of the project's own rules, and names the playbook it comes from.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { analyzeText } from '../../src/core/analyzer';
import { SNIPPET_FILES, SNIPPET_LANGUAGES, expandSnippet, listSnippets, parseSnippet, snippetsFromFile } from '../../src/core/snippets';
import type { Snippet, SnippetLanguage, SnippetNode } from '../../src/core/snippets';
import { REPO_ROOT } from '../helpers/rules';
import {
  STRICT_NODENEXT,
  VIRTUAL_DIR,
  nodeCheck,
  pyCompile,
  pythonChecks,
  scratchDir,
  syntaxErrors,
  typeCheckModules,
} from '../helpers/snippets';

/** The patterns of the persona every language offers. */
const REQUIRED_PREFIXES = [
  'mcp-server-stdio',
  'mcp-server-http',
  'mcp-tool',
  'mcp-resource',
  'mcp-prompt',
  'mcp-circuit-breaker',
  'mcp-ttl-cache',
  'mcp-memory-guard',
  'mcp-fetch-timeout',
  'mcp-retry-backoff',
  'mcp-bulkhead',
  'mcp-rate-limiter',
  'mcp-adaptive-rate-limiter',
  'mcp-graceful-shutdown',
  'mcp-logger',
  'mcp-health-check',
  'mcp-db-pool',
  'mcp-deadlock-retry',
  'mcp-strangler-router',
  'mcp-shadow-traffic',
  'mcp-audit-trail',
  'mcp-tenant-context',
  'mcp-slo-monitor',
  'mcp-graceful-degradation',
];

const PLAYBOOK_IDS = [
  'failure-assumption', 'political-technology-mapping', 'evolution-over-perfection', 'complexity-budget',
  'knowledge-preservation', 'strangler-fig-migration', 'circuit-breaker-cascade', 'federated-governance',
  'ten-x-performance', 'memory-management', 'database-integration', 'war-room-incident-response',
  'security-incident-response', 'platform-generation-migration', 'legacy-integration', 'mentorship',
  'high-performance-teams', 'protocol-extensions', 'multi-region-coordination', 'observability-three-pillars',
  'real-time-performance-analysis', 'deliverables', 'success-criteria', 'hard-won-wisdom',
];

/**
 * The persona's thresholds, as named constants with these defaults, in every language: milliseconds in
 * TypeScript and JavaScript (`30_000` or `30000`), seconds in Python (`30.0` or `30`).
 */
const ms = (name: string, millis: number): RegExp => {
  const digits = String(millis);
  const grouped = digits.length > 3 ? `${digits.slice(0, -3)}_?${digits.slice(-3)}` : digits;
  return new RegExp(`\\b${name}_(?:MS = ${grouped}|S = ${millis / 1000}(?:\\.0)?)\\b`);
};
const PERSONA_THRESHOLDS: Record<string, RegExp[]> = {
  'mcp-circuit-breaker': [/\bFAILURE_THRESHOLD = 5\b/, ms('OPEN_DURATION', 30_000), /\bMAX_CACHED_RESPONSES = 1_?000\b/],
  'mcp-ttl-cache': [/\bMAX_ENTRIES = 1_?000\b/, ms('TTL', 300_000)],
  'mcp-memory-guard': [/\bALERT_THRESHOLD_MB = 500\b/, /\bDEGRADE_THRESHOLD_MB = 800\b/],
  'mcp-fetch-timeout': [ms('TIMEOUT', 30_000)],
  'mcp-db-pool': [ms('TRANSACTION_TIMEOUT', 30_000), ms('STATEMENT_TIMEOUT', 30_000)],
  'mcp-strangler-router': [/\bSTEP_PERCENT = 1(?:\.0)?\b/, /\bROLLBACK_ERROR_RATE = 0\.01\b/, /\bROLLBACK_P99_MS = 200\b/],
  'mcp-slo-monitor': [/\bERROR_RATE_THRESHOLD = 0\.01\b/, /\bP99_LATENCY_THRESHOLD_MS = 200\b/],
  'mcp-tool': [/\b30(?:_?000|\.0)\b/],
};

/** Fragments are inserted into a server file that already has these; standalone snippets get no context. */
const FRAGMENT_CONTEXT: Record<SnippetLanguage, Record<string, string>> = {
  typescript: {
    'mcp-tool': [
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      "import { z } from 'zod';",
      "const server = new McpServer({ name: 'orders', version: '1.0.0' });",
    ].join('\n'),
    'mcp-resource': [
      "import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';",
      "const server = new McpServer({ name: 'orders', version: '1.0.0' });",
    ].join('\n'),
    'mcp-prompt': [
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      "import { z } from 'zod';",
      "const server = new McpServer({ name: 'orders', version: '1.0.0' });",
    ].join('\n'),
  },
  javascript: {},
  python: {},
};
FRAGMENT_CONTEXT.javascript = { ...FRAGMENT_CONTEXT.typescript };
const PYTHON_SERVER = 'from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("orders")';
FRAGMENT_CONTEXT.python = { 'mcp-tool': PYTHON_SERVER, 'mcp-resource': PYTHON_SERVER, 'mcp-prompt': PYTHON_SERVER };

const FILE_NAMES: Record<SnippetLanguage, string> = {
  typescript: '/workspace/src/orders-server.ts',
  javascript: '/workspace/src/orders-server.mjs',
  python: '/workspace/src/orders_server.py',
};

function expanded(snippet: Snippet): string {
  return expandSnippet(snippet.body, {
    language: snippet.language,
    fileName: FILE_NAMES[snippet.language],
    unknownVariables: 'error',
    now: new Date('2025-06-01T12:00:00Z'),
  });
}

/** The module text a snippet is checked as: its fragment context (if any), then the expanded body. */
function moduleText(snippet: Snippet): { text: string; contextLines: number } {
  const context = FRAGMENT_CONTEXT[snippet.language][snippet.prefix];
  if (context === undefined) return { text: expanded(snippet) + '\n', contextLines: 0 };
  return { text: `${context}\n\n${expanded(snippet)}\n`, contextLines: context.split('\n').length + 1 };
}

/** Diagnostics as "prefix line:col ...", with lines counted in the snippet (not its context). */
function report(snippet: Snippet, diagnostics: string[], contextLines: number): string {
  const lines = diagnostics.map(d => d.replace(/^(\d+):/, (_, l: string) => `${Number(l) - contextLines}:`));
  return `${snippet.language} snippet ${snippet.prefix}:\n  ${lines.join('\n  ')}`;
}

function safeName(prefix: string): string {
  return prefix.replace(/[^a-z0-9]+/g, '_');
}

function tabStopDefaults(nodes: SnippetNode[], out = new Map<number, Set<string>>()): Map<number, Set<string>> {
  for (const node of nodes) {
    if (node.kind === 'placeholder') {
      const text = JSON.stringify(node.children);
      if (!out.has(node.index)) out.set(node.index, new Set());
      out.get(node.index)!.add(text);
      tabStopDefaults(node.children, out);
    } else if (node.kind === 'choice') {
      if (!out.has(node.index)) out.set(node.index, new Set());
      out.get(node.index)!.add(JSON.stringify(node.options));
    } else if (node.kind === 'variable' && node.children) {
      tabStopDefaults(node.children, out);
    }
  }
  return out;
}

describe('snippets', () => {
  describe('files and metadata', () => {
    for (const language of SNIPPET_LANGUAGES) {
      describe(language, () => {
        const snippets = listSnippets(language);

        it('offers every pattern of the persona', () => {
          const prefixes = snippets.map(s => s.prefix);
          const missing = REQUIRED_PREFIXES.filter(p => !prefixes.includes(p));
          assert.deepEqual(missing, [], `missing ${language} snippets`);
        });

        it('has unique prefixes that all start with mcp-', () => {
          const all = snippets.flatMap(s => s.prefixes);
          assert.deepEqual(all.filter(p => !p.startsWith('mcp-')), []);
          assert.deepEqual(all.filter((p, i) => all.indexOf(p) !== i), [], 'duplicate prefixes');
        });

        it('names an existing playbook in every description', () => {
          for (const s of snippets) {
            assert.ok(s.playbook, `${s.prefix}: description names no "playbook: <id>": ${s.description}`);
            assert.ok(PLAYBOOK_IDS.includes(s.playbook.split('#')[0]), `${s.prefix}: unknown playbook ${s.playbook}`);
          }
        });

        it('gives each tab stop one default, wherever it appears', () => {
          for (const s of snippets) {
            for (const [index, defaults] of tabStopDefaults(parseSnippet(s.body))) {
              assert.equal(defaults.size, 1, `${s.prefix}: tab stop ${index} has different defaults ${[...defaults].join(' | ')}`);
            }
          }
        });

        it("keeps the persona's thresholds as named constants", () => {
          for (const s of snippets) {
            for (const pattern of PERSONA_THRESHOLDS[s.prefix] ?? []) {
              assert.match(expanded(s), pattern, `${language} ${s.prefix}`);
            }
          }
        });

        it('is the file the extension contributes, in VS Code snippet format', () => {
          const file = JSON.parse(readFileSync(path.join(REPO_ROOT, SNIPPET_FILES[language].path), 'utf8')) as Record<string, unknown>;
          for (const [name, entry] of Object.entries(file)) {
            assert.deepEqual(Object.keys(entry as object).sort(), ['body', 'description', 'prefix'], name);
          }
          assert.deepEqual(snippetsFromFile(language, file), [...snippets]);
        });
      });
    }
  });

  it('are contributed by the extension manifest for every editor language they serve', () => {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes?: { snippets?: unknown } };
    const expected = SNIPPET_LANGUAGES.flatMap(l => SNIPPET_FILES[l].languageIds.map(language => ({ language, path: SNIPPET_FILES[l].path })));
    assert.deepEqual(manifest.contributes?.snippets, expected);
  });

  describe('TypeScript snippets compile', function () {
    this.timeout(120_000);
    const snippets = listSnippets('typescript');
    let results: Map<string, string[]>;
    before(() => {
      results = typeCheckModules(
        snippets.map(s => ({ fileName: `${safeName(s.prefix)}.mts`, text: moduleText(s).text })),
        STRICT_NODENEXT,
      );
    });
    for (const s of snippets) {
      it(`${s.prefix} type-checks under strict NodeNext against the installed packages`, () => {
        const diagnostics = results.get(`${safeName(s.prefix)}.mts`) ?? ['not checked'];
        assert.deepEqual(diagnostics, [], report(s, diagnostics, moduleText(s).contextLines));
      });
      it(`${s.prefix} also parses as TSX (typescriptreact)`, () => {
        const diagnostics = syntaxErrors(`${safeName(s.prefix)}.tsx`, moduleText(s).text);
        assert.deepEqual(diagnostics, [], report(s, diagnostics, moduleText(s).contextLines));
      });
      it(`${s.prefix} raises no finding of the project's rules`, () => {
        const findings = analyzeText(ts, `${VIRTUAL_DIR}/${safeName(s.prefix)}.ts`, expanded(s), { scope: 'all' });
        const text = expanded(s);
        assert.deepEqual(
          findings.map(f => `${f.ruleId} at ${f.range.start.line + 1}: ${text.slice(f.start, f.end).split('\n')[0]}`),
          [],
        );
      });
    }
  });

  describe('JavaScript snippets', function () {
    this.timeout(120_000);
    const snippets = listSnippets('javascript');
    const scratch = scratchDir();
    let results: Map<string, string[]>;
    before(() => {
      results = typeCheckModules(
        snippets.map(s => ({ fileName: `${safeName(s.prefix)}.mjs`, text: moduleText(s).text })),
        // Plain JavaScript has no annotations to demand; everything else (unknown names, wrong SDK calls,
        // possibly-undefined values) is checked against the types inferred from the installed packages.
        { ...STRICT_NODENEXT, allowJs: true, checkJs: true, noImplicitAny: false },
      );
    });
    after(() => scratch.dispose());
    for (const s of snippets) {
      it(`${s.prefix} passes node --check as an ES module`, () => {
        const { status, stderr } = nodeCheck(scratch.dir, `${safeName(s.prefix)}.mjs`, moduleText(s).text);
        assert.equal(status, 0, `${s.prefix}: ${stderr}`);
      });
      it(`${s.prefix} type-checks as checked JavaScript against the installed packages`, () => {
        const diagnostics = results.get(`${safeName(s.prefix)}.mjs`) ?? ['not checked'];
        assert.deepEqual(diagnostics, [], report(s, diagnostics, moduleText(s).contextLines));
      });
      it(`${s.prefix} raises no finding of the project's rules`, () => {
        const text = expanded(s);
        const findings = analyzeText(ts, `${VIRTUAL_DIR}/${safeName(s.prefix)}.mjs`, text, { scope: 'all' });
        assert.deepEqual(
          findings.map(f => `${f.ruleId} at ${f.range.start.line + 1}: ${text.slice(f.start, f.end).split('\n')[0]}`),
          [],
        );
      });
    }
  });

  describe('Python snippets', function () {
    this.timeout(120_000);
    const snippets = listSnippets('python');
    const scratch = scratchDir();
    let checks: Map<string, ReturnType<typeof pythonChecks>[number]>;
    before(() => {
      const files = snippets.map(s => ({ fileName: `${safeName(s.prefix)}.py`, text: moduleText(s).text }));
      checks = new Map(pythonChecks(scratch.dir, files).map(c => [path.basename(c.file), c]));
    });
    after(() => scratch.dispose());
    for (const s of snippets) {
      it(`${s.prefix} passes python3 -m py_compile`, () => {
        const { status, stderr } = pyCompile(scratch.dir, `${safeName(s.prefix)}.py`, moduleText(s).text);
        assert.equal(status, 0, `${s.prefix}: ${stderr}`);
      });
      it(`${s.prefix} reads no unbound name, and its module body runs when it needs only the standard library`, () => {
        const c = checks.get(`${safeName(s.prefix)}.py`);
        assert.ok(c, 'not checked');
        assert.deepEqual(c.undefinedNames, [], `${s.prefix}: undefined names`);
        assert.equal(c.executionError, null, `${s.prefix}: ${c.executionError}`);
      });
    }
  });
});
