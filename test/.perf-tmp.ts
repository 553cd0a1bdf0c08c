import * as ts from 'typescript';
import { RuleContext } from '../src/core/rule-context';
import { RULES } from '../src/core/rules';
import { fileFacts } from '../src/core/facts';
async function main() {
  const { generateServerFile } = await import('../scripts/bench/generate-server.mjs' as string);
  const text: string = generateServerFile(20_000);
  const lines = text.split('\n').length;
  const sf = ts.createSourceFile('big.ts', text, ts.ScriptTarget.Latest, true);
  const facts = fileFacts(ts, sf);
  const only = process.argv.slice(2);
  const rows: [string, number, number][] = [];
  for (const rule of RULES) {
    if (only.length && !only.includes(rule.meta.id)) continue;
    const times: number[] = [];
    let n = 0;
    for (let i = 0; i < 9; i++) {
      const ctx = new RuleContext(ts, sf, facts, facts);
      ctx.meta = rule.meta;
      const t0 = performance.now();
      rule.check(ctx);
      times.push(performance.now() - t0);
      n = ctx.takeReports().length;
    }
    times.sort((a, b) => a - b);
    rows.push([rule.meta.id, (times[0] * 1000) / lines, n]);
  }
  for (const [id, ms, n] of rows.sort((a, b) => b[1] - a[1])) console.log(id.padEnd(30), ms.toFixed(2), 'ms/1000 lines', n, 'findings');
  const t0 = performance.now(); new RuleContext(ts, sf, facts, facts); console.log('context', ((performance.now() - t0) * 1000 / lines).toFixed(2));
  console.log('lines', lines);
}
void main();
