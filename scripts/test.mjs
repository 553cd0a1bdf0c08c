// The README's test command: build the bundles, then run every mocha suite (unit, tsserver, CLI, MCP, editor).
import { spawnSync } from 'node:child_process';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${r.status})`);
    console.log('\n0 passed, 1 failed');
    process.exit(r.status ?? 1);
  }
}

run('node', ['scripts/build.mjs']);
// With no arguments, every suite; with paths, only those (the spec glob is here, not in .mocharc.json, so that
// `npx mocha test/x.test.ts` runs just that file).
const specs = process.argv.length > 2 ? process.argv.slice(2) : ['test/**/*.test.ts'];
const mocha = spawnSync('npx', ['mocha', ...specs], { stdio: 'inherit' });
process.exit(mocha.status ?? 1);
