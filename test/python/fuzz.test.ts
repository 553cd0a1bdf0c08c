// The Python analysis on thousands of broken versions of realistic MCP servers (test/fixtures/python): truncated,
// with ranges deleted, duplicated or swapped, garbage inserted and indentation broken. It must never throw, no rule
// may throw, and every finding and fix edit must point inside the text. Deterministic (seeded PRNG).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzePython } from '../../src/core/python/analyzer';
import type { Finding } from '../../src/core/types';
import { loadPythonParser, pythonParser } from '../helpers/python';
import { REPO_ROOT } from '../helpers/rules';
import { cpuMs, prng, type Rng } from '../helpers/fuzz';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/python');
const SEED = 0x707974; // "pyt"
const VARIANTS = 3_000;
// A cap on CPU time so that a slow machine finishes inside mocha's timeout; the variants are a fixed sequence,
// so a capped run checks a prefix of it.
const CPU_BUDGET_MS = 20_000;

const GARBAGE = [
  '(', ')', '[', ']', '{', '}', ':', ',', '.', '=', '==', '"', "'", '"""', "'''", 'f"{', '}"', '#', '\\', '\n', '\r\n', '\t', '    ', '  ',
  '@', '@mcp.tool()\n', 'async ', 'await ', 'def ', 'lambda ', 'class ', 'return ', 'yield ', 'raise', 'except:', 'except Exception: pass\n',
  'try:', 'finally:', 'with ', ' as ', 'import ', 'from ', 'print(', 'open(', 'requests.get(', 'subprocess.run(', 'shell=True', 'timeout=None',
  'os.system(', 'mcp.run()', '**kw', '*a', ':=', '->', '\u2028', '\u00a0', '\ufeff', '\0', '😀', 'é', '0x', '1_000', 'b"', 'r"\\', '...',
];

const MUTATIONS: Record<string, (rng: Rng, t: string) => string> = {
  truncate: (rng, t) => t.slice(0, rng.int(t.length + 1)),
  delete: (rng, t) => {
    const a = rng.int(t.length);
    return t.slice(0, a) + t.slice(Math.min(t.length, a + 1 + rng.int(rng.chance(0.8) ? 12 : 200)));
  },
  duplicate: (rng, t) => {
    const a = rng.int(t.length);
    const b = Math.min(t.length, a + 1 + rng.int(120));
    return t.slice(0, b) + t.slice(a, b) + t.slice(b);
  },
  swap: (rng, t) => {
    const lines = t.split('\n');
    const i = rng.int(lines.length);
    const j = rng.int(lines.length);
    [lines[i], lines[j]] = [lines[j], lines[i]];
    return lines.join('\n');
  },
  garbage: (rng, t) => {
    const a = rng.int(t.length + 1);
    return t.slice(0, a) + rng.pick(GARBAGE) + t.slice(a);
  },
  indent: (rng, t) => {
    const lines = t.split('\n');
    const i = rng.int(lines.length);
    lines[i] = rng.chance(0.5) ? `  ${lines[i]}` : lines[i].replace(/^\s+/, '');
    return lines.join('\n');
  },
};

function checkFindings(text: string, findings: Finding[]): void {
  for (const f of findings) {
    assert.ok(f.start >= 0 && f.start <= f.end && f.end <= text.length, `finding ${f.ruleId} [${f.start}, ${f.end}) outside the text (${text.length})`);
    assert.ok(f.range.start.line >= 0 && f.range.start.character >= 0);
    for (const fix of f.fixes) {
      for (const e of fix.edits) assert.ok(e.start >= 0 && e.start <= e.end && e.end <= text.length, `${f.ruleId} fix edit [${e.start}, ${e.end}) outside the text`);
    }
  }
}

describe('python analyzer fuzz', function () {
  this.timeout(120_000);
  before(loadPythonParser);

  it(`never throws on ${VARIANTS} mutated servers, and no rule throws`, () => {
    const seeds = fs.readdirSync(FIXTURES).filter(f => f.endsWith('.py')).map(f => fs.readFileSync(path.join(FIXTURES, f), 'utf8'));
    assert.ok(seeds.length >= 3, 'python server fixtures');
    const rng = prng(SEED);
    const names = Object.keys(MUTATIONS);
    const started = cpuMs();
    let done = 0;
    let findings = 0;
    for (; done < VARIANTS && cpuMs() - started < CPU_BUDGET_MS; done++) {
      let text = rng.pick(seeds);
      const steps = 1 + rng.int(4);
      for (let s = 0; s < steps; s++) text = MUTATIONS[rng.pick(names)](rng, text);
      const errors: string[] = [];
      let result: Finding[];
      try {
        result = analyzePython(pythonParser(), 'server.py', text, { scope: 'all', onRuleError: (id, e) => errors.push(`${id}: ${e instanceof Error ? e.stack : String(e)}`) });
      } catch (error) {
        assert.fail(`analyzePython threw on variant ${done}: ${String(error)}\n--- input:\n${text}`);
      }
      assert.deepEqual(errors, [], `a rule threw on variant ${done}:\n--- input:\n${text}`);
      checkFindings(text, result);
      findings += result.length;
    }
    assert.ok(done >= 500, `only ${done} variants ran within the CPU budget`);
    assert.ok(findings > done, 'the mutated servers still produce findings (the fuzzer exercises the rules)');
  });
});
