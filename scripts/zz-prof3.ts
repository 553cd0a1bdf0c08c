import { analyzePython } from '../src/core/python/analyzer';
import { createPythonParser } from '../src/core/python/parser';
import { findPythonWasm } from '../src/core/python/wasm-files';
import { PYTHON_RULES } from '../src/core/python/rules';
(async () => {
  const { generatePythonServer } = await import('./bench/python-analysis.mjs');
  const parser = await createPythonParser(findPythonWasm([])!);
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  for (const n of [2500, 5000, 10000, 20000]) {
    const text = generatePythonServer(n);
    analyzePython(parser, 's.py', text, { scope: 'all' });
    let t = cpu();
    analyzePython(parser, 's.py', text, { scope: 'all' }, []);
    const base = cpu() - t;
    const per: string[] = [];
    for (const r of PYTHON_RULES) { t = cpu(); analyzePython(parser, 's.py', text, { scope: 'all' }, [r]); per.push(`${r.meta.id.slice(0, 8)}=${((cpu() - t - base) * 1000 / n).toFixed(0)}`); }
    console.log(n, 'ctx/1000', (base * 1000 / n).toFixed(1), per.join(' '));
  }
})();
