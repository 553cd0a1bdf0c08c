import * as assert from 'node:assert/strict';
import { MCP_HEADER, expectFires, expectQuiet, findingsOf } from '../helpers/rules';

const ID = 'shell-injection';
const SERVER = `${MCP_HEADER}import { z } from 'zod';\nconst server = new McpServer({ name: 'git', version: '1.0.0' });\n`;

describe(`rule ${ID}`, () => {
  describe('fires', () => {
    it('on exec/execSync with a template built from a tool argument, and says the client chooses', () => {
      const found = expectFires(
        ID,
        `${SERVER}import { exec, execSync } from 'node:child_process';
import { promisify } from 'node:util';
const run = promisify(exec);
server.registerTool('git_log', { inputSchema: { ref: z.string() } }, async ({ ref }) => {
  const { stdout } = await run(\`git log --oneline \${ref}\`);
  const head = execSync('git rev-parse ' + ref).toString();
  return { content: [{ type: 'text', text: stdout + head }] };
});
`,
        2,
      );
      assert.match(found[0].message, /`exec` runs its command through a shell inside the tool handler `git_log`, and `ref` comes from the client/);
      assert.match(found[0].message, /execFile\(file, \[args\]\)/);
    });

    it('on a command built in a variable, a whole command from the client, and sh -c', () => {
      const found = expectFires(
        ID,
        `${SERVER}import * as cp from 'node:child_process';
server.registerTool('run', { inputSchema: { command: z.string(), branch: z.string() } }, async args => {
  const checkout = \`git checkout \${args.branch}\`;
  cp.execSync(checkout);
  cp.execSync(args.command);
  cp.spawn('bash', ['-c', 'git pull origin ' + args.branch]);
  return { content: [] };
});
`,
        3,
      );
      assert.match(found[0].message, /`args\.branch` comes from the client/);
      assert.match(found[1].message, /the whole command line is `args\.command`, chosen by the client/);
      assert.match(found[2].message, /spawn\('bash', \['-c', \.\.\.\]\)/);
    });

    it('on spawn/execFile with shell: true and a variable argument, outside handlers too', () => {
      const found = expectFires(
        ID,
        `${SERVER}import { spawn, execFileSync } from 'node:child_process';
export function install(pkg: string) {
  spawn('npm', ['install', pkg], { shell: true });
  return execFileSync(\`npm view \${pkg} version\`, { shell: '/bin/bash' });
}
`,
        2,
      );
      assert.match(found[0].message, /With `shell` set, `spawn` joins the program and its arguments into one shell command line, and `pkg` is pasted into it/);
    });

    it('in CommonJS: shelljs, execa with shell, execaCommand with client input, and a let that grows', () => {
      expectFires(
        ID,
        `const { FastMCP } = require('fastmcp');
const { execa, execaCommand } = require('execa');
const shell = require('shelljs');
const { execSync } = require('child_process');
const { z } = require('zod');
const server = new FastMCP({ name: 'search', version: '1.0.0' });
server.addTool({
  name: 'grep',
  parameters: z.object({ pattern: z.string() }),
  execute: async ({ pattern }) => {
    shell.exec('grep -rn ' + pattern + ' .');
    await execa(\`grep -rn \${pattern}\`, { shell: true });
    await execaCommand(\`grep -rn \${pattern} .\`);
    return 'done';
  },
});
let cmd = 'ls';
cmd += ' ' + process.argv[2];
execSync(cmd);
`,
        4,
        'server.js',
      );
    });
  });

  describe('stays quiet', () => {
    it('for execFile/spawn with an argument array and no shell (the playbook pattern)', () => {
      expectQuiet(
        ID,
        `${SERVER}import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
const execFileAsync = promisify(execFile);
server.registerTool('git_log', { inputSchema: { ref: z.string() } }, async ({ ref }) => {
  const { stdout } = await execFileAsync('git', ['log', '--oneline', ref]);
  spawn('git', ['fetch', 'origin', ref], { stdio: 'ignore', shell: false });
  return { content: [{ type: 'text', text: stdout }] };
});
`,
      );
    });

    it('for literal commands, constants, numbers, enums and shell-safe patterns from the schema, and server environment', () => {
      expectQuiet(
        ID,
        `${SERVER}import { execSync, exec } from 'node:child_process';
const GIT = 'git';
const STATUS = GIT + ' status --short';
server.registerTool('recent', { inputSchema: { count: z.number().int(), format: z.enum(['oneline', 'short']), ref: z.string().regex(/^[\\w.\\/-]+$/) } }, async ({ count, format, ref }) => {
  execSync('git fetch --all');
  execSync(STATUS);
  exec(\`git log -n \${count} --format=\${format} \${ref}\`);
  execSync(\`ls \${process.env.HOME}/repos \${__dirname}\`);
  return { content: [] };
});
`,
      );
    });

    it('for a wrapper passing its parameter through, escaped parts, and execa templates', () => {
      expectQuiet(
        ID,
        `${SERVER}import { execSync } from 'node:child_process';
import { quote } from 'shell-quote';
import { $ } from 'execa';
export function sh(command: string) { return execSync(command, { stdio: 'inherit' }); }
server.registerTool('grep', { inputSchema: { pattern: z.string() } }, async ({ pattern }) => {
  execSync('grep -rn ' + quote([pattern]) + ' .');
  await $\`grep -rn \${pattern} .\`;
  return { content: [] };
});
`,
      );
    });

    it('for execaCommand with a built string and no shell outside handlers, and same-named methods', () => {
      expectQuiet(
        ID,
        `${SERVER}import { execaCommand } from 'execa';
const db = { exec: (sql: string) => sql };
export async function build(target: string) {
  await execaCommand(\`make \${target}\`);
  return db.exec(\`SELECT * FROM t WHERE id = \${target}\`);
}
`,
      );
    });
  });

  describe('fix', () => {
    it('offers none: turning a shell line into an argument array is not mechanical', () => {
      const found = findingsOf(ID, `${SERVER}import { execSync } from 'node:child_process';\nexport const f = (d: string) => execSync(\`ls \${d} | wc -l\`);\n`);
      assert.equal(found.length, 1);
      assert.deepEqual(found[0].fixes, []);
    });
  });
});
