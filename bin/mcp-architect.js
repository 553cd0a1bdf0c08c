#!/usr/bin/env node
// The `mcp-architect` command: runs the bundled CLI (dist/cli.js), which `npm run build` produces.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write(`mcp-architect: ${path.relative(process.cwd(), cli) || cli} is not built. Run \`npm run build\` in ${path.resolve(__dirname, '..')} first.\n`);
  process.exit(2);
}
require(cli);
