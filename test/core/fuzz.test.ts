// The analyzer on thousands of broken versions of realistic MCP servers (test/fixtures/servers): truncated,
// with token ranges deleted, duplicated or swapped, garbage inserted and brackets unbalanced. It must never throw,
// no rule may throw (the analyzer would hide that behind onRuleError), and every finding must point inside the text.
// Deterministic: a seeded PRNG; a failure prints the rule, the error and a minimised input.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { analyzeText } from '../../src/core/analyzer';
import { RULES } from '../../src/core/rules';
import { computeLineStarts, lineOf } from '../../src/core/suppressions';
import type { AnalyzerOptions, Finding, ProjectFacts, Rule } from '../../src/core/types';
import { REPO_ROOT, applyEdits } from '../helpers/rules';
import { cpuMs, prng, type Rng } from '../helpers/fuzz';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/servers');
const SEED = 0x6d6370; // "mcp"
const VARIANTS = 2_000;
// A cap on the loop's CPU time, so that a slow machine still finishes well inside mocha's timeout; the variants are
// a fixed sequence, so a capped run checks a prefix of it. CPU time, not wall time: other processes do not shrink it.
const CPU_BUDGET_MS = 12_000;

interface Seed {
  name: string;
  text: string;
  /** Start offsets of the tokens of the text (token-boundary edits make more plausible broken code). */
  tokens: number[];
}

function tokenStarts(name: string, text: string): number[] {
  const variant = /\.(tsx|jsx|js|mjs|cjs)$/.test(name) ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, variant, text);
  const starts: number[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) starts.push(scanner.getTokenStart());
  starts.push(text.length);
  return starts;
}

const GARBAGE = [
  '{', '}', '(', ')', '[', ']', '<', '>', '`', '${', '"', "'", '/*', '*/', '//', '=>', ';', ',', '.', '?.', '...', '?', ':',
  '\n', '\r\n', '\\', '#', '@', '!', '=', 'async ', 'await ', 'function ', 'new ', 'class ', 'return ', 'yield ', 'import(',
  'require(', 'export default ', 'catch ', 'try {', '} finally {', 'process.', 'server.tool(', 'fetch(', 'exec(`', '</div>',
  '<T,>', 'as any', 'satisfies ', ' as const', '0x', '1_000', '\u2028', '\u00a0', '\ufeff', '\0', '😀', 'é', '\t', '/[/',
];

function rangeAtTokens(rng: Rng, seed: Seed, text: string): [number, number] {
  // Offsets may be stale after an earlier mutation; clamp them to the current text.
  const i = rng.int(seed.tokens.length);
  const j = Math.min(seed.tokens.length - 1, i + 1 + rng.int(rng.chance(0.8) ? 6 : 60));
  const a = Math.min(seed.tokens[i], text.length);
  const b = Math.min(Math.max(seed.tokens[j], a), text.length);
  return [a, b];
}

type Mutation = (rng: Rng, seed: Seed, text: string) => string;

const MUTATIONS: Record<string, Mutation> = {
  truncate: (rng, _s, t) => t.slice(0, rng.int(t.length + 1)),
  truncateAtToken: (rng, s, t) => t.slice(0, Math.min(t.length, rng.pick(s.tokens))),
  dropHead: (rng, _s, t) => t.slice(rng.int(t.length + 1)),
  deleteTokens: (rng, s, t) => {
    const [a, b] = rangeAtTokens(rng, s, t);
    return t.slice(0, a) + t.slice(b);
  },
  duplicateTokens: (rng, s, t) => {
    const [a, b] = rangeAtTokens(rng, s, t);
    const at = Math.min(t.length, rng.pick(s.tokens));
    return t.slice(0, at) + t.slice(a, b) + t.slice(at);
  },
  swapTokens: (rng, s, t) => {
    let [a, b] = rangeAtTokens(rng, s, t);
    let [c, d] = rangeAtTokens(rng, s, t);
    if (c < a) [a, b, c, d] = [c, d, a, b];
    if (b > c) return t.slice(0, a) + t.slice(b); // overlapping: delete instead
    return t.slice(0, a) + t.slice(c, d) + t.slice(b, c) + t.slice(a, b) + t.slice(d);
  },
  insertGarbage: (rng, _s, t) => {
    let out = t;
    for (let n = 1 + rng.int(4); n > 0; n--) {
      const at = rng.int(out.length + 1);
      out = out.slice(0, at) + rng.pick(GARBAGE) + out.slice(at);
    }
    return out;
  },
  unbalance: (rng, _s, t) => {
    const brackets = [...t.matchAll(/[{}()[\]]/g)].map(m => m.index!);
    if (brackets.length === 0 || rng.chance(0.3)) {
      const at = rng.int(t.length + 1);
      return t.slice(0, at) + rng.pick(['{', '}', '(', ')', '[', ']']) + t.slice(at);
    }
    const at = rng.pick(brackets);
    return t.slice(0, at) + t.slice(at + 1);
  },
  replaceChar: (rng, _s, t) => {
    if (t.length === 0) return t;
    const at = rng.int(t.length);
    return t.slice(0, at) + String.fromCharCode(32 + rng.int(95)) + t.slice(at + 1);
  },
};
const MUTATION_NAMES = Object.keys(MUTATIONS);

const FACT_CHOICES: Array<ProjectFacts | undefined> = [
  undefined,
  { usesMcpServerSdk: true, servesStdio: true, servesHttp: false },
  { usesMcpServerSdk: true, servesStdio: false, servesHttp: true },
  { usesMcpServerSdk: true, servesStdio: true, servesHttp: true },
];
const RENAMES = ['server.ts', 'server.js', 'server.tsx', 'server.mjs', 'server.cjs', 'server.jsx', 'server.mts'];

interface Problem {
  /** Groups failures: the same rule and kind of problem is reported once. */
  key: string;
  describe: string;
}

/** Analyses one input and returns the first problem found, if any. */
function check(fileName: string, text: string, options: AnalyzerOptions): Problem | undefined {
  const ruleErrors: Array<{ ruleId: string; error: unknown }> = [];
  let findings: Finding[];
  try {
    findings = analyzeText(ts, path.join(REPO_ROOT, fileName), text, { ...options, onRuleError: (ruleId, error) => ruleErrors.push({ ruleId, error }) });
  } catch (error) {
    return { key: `analyzer threw`, describe: `analyzeText threw: ${stackOf(error)}` };
  }
  if (ruleErrors.length) {
    const { ruleId, error } = ruleErrors[0];
    return { key: `rule ${ruleId} threw`, describe: `rule ${ruleId} threw: ${stackOf(error)}` };
  }
  const lineStarts = computeLineStarts(text);
  const ids = new Map([...RULES, ...(options.extraRules ?? [])].map(r => [r.meta.id, r.meta.code]));
  let previous = -1;
  for (const f of findings) {
    const bad = (what: string): Problem => ({ key: `rule ${f.ruleId}: ${what}`, describe: `rule ${f.ruleId}: ${what} (${JSON.stringify({ start: f.start, end: f.end, range: f.range, length: text.length })})` });
    if (!ids.has(f.ruleId) || ids.get(f.ruleId) !== f.code) return bad('unknown rule id or wrong code');
    if (!Number.isInteger(f.start) || !Number.isInteger(f.end) || f.start < 0 || f.start > f.end || f.end > text.length) return bad('range outside the text');
    const sl = lineOf(lineStarts, f.start);
    const el = lineOf(lineStarts, f.end);
    if (f.range.start.line !== sl || f.range.start.character !== f.start - lineStarts[sl] || f.range.end.line !== el || f.range.end.character !== f.end - lineStarts[el]) {
      return bad('line/character range does not match the offsets');
    }
    if (!['error', 'warning', 'info', 'hint'].includes(f.severity)) return bad('bad severity');
    if (typeof f.message !== 'string' || f.message.trim() === '') return bad('empty message');
    if (f.start < previous) return bad('findings out of order');
    previous = f.start;
    for (const fix of f.fixes) {
      if (typeof fix.title !== 'string' || fix.title === '' || fix.edits.length === 0) return bad('fix without title or edits');
      for (const e of fix.edits) {
        if (!Number.isInteger(e.start) || !Number.isInteger(e.end) || e.start < 0 || e.start > e.end || e.end > text.length || typeof e.newText !== 'string') {
          return bad(`fix "${fix.title}" edits outside the text`);
        }
      }
      try {
        applyEdits(text, fix.edits);
      } catch {
        return bad(`fix "${fix.title}" has overlapping edits`);
      }
    }
  }
  return undefined;
}

function stackOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return (error.stack ?? error.message).split('\n').slice(0, 4).join('\n');
}

/** Shrinks `text` while the same problem (same key) still occurs: lines first, then characters. Bounded. */
function minimise(fileName: string, text: string, options: AnalyzerOptions, key: string): string {
  let tries = 0;
  const stillFails = (candidate: string) => ++tries < 3000 && check(fileName, candidate, options)?.key === key;
  let current = text;
  for (const unit of ['line', 'char'] as const) {
    let parts = unit === 'line' ? current.split(/(?<=\n)/) : [...current];
    for (let size = Math.max(1, Math.floor(parts.length / 2)); size >= 1; size = Math.floor(size / 2)) {
      for (let i = 0; i < parts.length && tries < 3000; ) {
        const candidate = [...parts.slice(0, i), ...parts.slice(i + size)];
        if (stillFails(candidate.join(''))) parts = candidate;
        else i += size;
      }
      if (size === 1) break;
    }
    current = parts.join('');
  }
  return current;
}

describe('analyzer fuzzing', function () {
  this.timeout(60_000);

  const seeds: Seed[] = fs
    .readdirSync(FIXTURES)
    .filter(n => /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(n))
    .sort()
    .map(name => {
      const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
      return { name, text, tokens: tokenStarts(name, text) };
    });

  it('has realistic seed servers: stdio and HTTP, ESM and CommonJS, risky and clean', () => {
    assert.ok(seeds.length >= 8, `${seeds.length} seeds`);
    const all = seeds.map(s => s.text).join('\n');
    for (const needle of ['StdioServerTransport', 'StreamableHTTPServerTransport', "require('@modelcontextprotocol/sdk", 'FastMCP', 'setRequestHandler']) {
      assert.ok(all.includes(needle), `no seed uses ${needle}`);
    }
    assert.ok(seeds.some(s => s.name.includes('risky')) && seeds.some(s => s.name.includes('clean')));
  });

  it('never throws, no rule throws, and findings stay inside the text on thousands of broken servers', () => {
    const rng = prng(SEED);
    const problems = new Map<string, string>();
    const started = cpuMs();
    let ran = 0;
    const checkOne = (fileName: string, text: string, options: AnalyzerOptions) => {
      const problem = check(fileName, text, options);
      if (problem && !problems.has(problem.key)) {
        const minimal = minimise(fileName, text, options, problem.key);
        problems.set(problem.key, `${problem.describe}\n  file: ${fileName}, options: ${JSON.stringify(options)}\n  minimal input (${minimal.length} chars):\n${JSON.stringify(minimal)}`);
      }
    };

    // The unmutated seeds first, under every set of facts.
    for (const s of seeds) for (const project of FACT_CHOICES) checkOne(s.name, s.text, { scope: 'all', project });

    for (; ran < VARIANTS && cpuMs() - started < CPU_BUDGET_MS; ran++) {
      const seed = rng.pick(seeds);
      let text = seed.text;
      for (let n = 1 + (rng.chance(0.4) ? rng.int(3) : 0); n > 0; n--) text = MUTATIONS[rng.pick(MUTATION_NAMES)](rng, seed, text);
      const fileName = rng.chance(0.85) ? seed.name : rng.pick(RENAMES);
      const options: AnalyzerOptions = { scope: rng.chance(0.8) ? 'all' : 'mcp', project: rng.pick(FACT_CHOICES) };
      checkOne(fileName, text, options);
    }
    assert.ok(ran >= 1_000, `only ${ran} variants ran in ${Math.round(cpuMs() - started)} ms of CPU time`);
    if (problems.size) assert.fail(`${problems.size} problem(s) in ${ran} variants:\n\n${[...problems.values()].join('\n\n')}`);
  });

  it('catches and minimises what it looks for: a throwing rule, a finding outside the text', () => {
    const probe = (id: string, code: number, check: Rule['check']): Rule => ({ meta: { ...RULES[0].meta, id, code }, check });
    const throwing = probe('fuzz-throws', 61998, ctx => {
      if (ctx.text.includes('@@')) throw new TypeError('probe failure');
    });
    const outside = probe('fuzz-range', 61999, ctx => {
      if (ctx.text.includes('##')) ctx.report({ start: ctx.text.indexOf('##'), end: ctx.text.length + 1 });
    });
    for (const [rule, marker, key] of [
      [throwing, '@@', 'rule fuzz-throws threw'],
      [outside, '##', 'rule fuzz-range: range outside the text'],
    ] as const) {
      const text = `${seeds[0].text}\n// ${marker}\n`;
      const options: AnalyzerOptions = { scope: 'all', extraRules: [rule] };
      assert.equal(check('server.ts', text, options)?.key, key);
      assert.equal(minimise('server.ts', text, options, key), marker);
      assert.equal(check('server.ts', seeds[0].text, options), undefined);
    }
  });
});
