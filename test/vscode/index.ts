// Entry point that VS Code's extension host runs: mocha over the bundled *.vscode-test.js files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const dir = process.env.MCP_ARCHITECT_SUITE_DIR ?? __dirname;
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: path.resolve(dir, '../../test/reporter.js') });
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.vscode-test.js')) mocha.addFile(path.join(dir, f));
  await new Promise<void>((resolve, reject) => mocha.run(failures => (failures ? reject(new Error(`${failures} test(s) failed`)) : resolve())));
}
