import * as assert from 'node:assert/strict';
import { expectFires, expectFixWorks, expectQuiet, findingsOf } from '../helpers/rules';

const ID = 'unprotected-http-transport';
const IMPORTS = `import express from 'express';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
const server = new McpServer({ name: 'files', version: '1.0.0' });
`;
const ROUTE = `app.post('/mcp', async (req, res) => {
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});
`;

describe(`rule ${ID}`, () => {
  describe('fires', () => {
    it('on a plain express app serving Streamable HTTP: no Host check, listening on every interface', () => {
      const found = expectFires(ID, `${IMPORTS}const app = express();\napp.use(express.json());\n${ROUTE}app.listen(3000, () => console.error('listening'));\n`, 2);
      assert.match(found[0].message, /This express app serves `StreamableHTTPServerTransport` without checking the Host header and without authentication: through DNS rebinding/);
      assert.match(found[1].message, /`listen` without a host binds every network interface/);
    });

    it('on createMcpExpressApp with host 0.0.0.0 and no allowedHosts, and listen on 0.0.0.0', () => {
      const found = expectFires(
        ID,
        `import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
const app = createMcpExpressApp({ host: '0.0.0.0' });
app.post('/mcp', async (req, res) => {
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  await transport.handleRequest(req, res, req.body);
});
app.listen(3000, '0.0.0.0');
`,
        2,
      );
      assert.match(found[0].message, /`createMcpExpressApp` with host `0\.0\.0\.0` and no `allowedHosts` skips its Host header check/);
    });

    it('on a node:http server around an SSE transport in CommonJS, bound on loopback (DNS rebinding still reaches it)', () => {
      const found = expectFires(
        ID,
        `const http = require('node:http');
const { SSEServerTransport } = require('@modelcontextprotocol/sdk/server/sse.js');
const transports = {};
const httpServer = http.createServer(async (req, res) => {
  if (req.method === 'GET') { const t = new SSEServerTransport('/messages', res); transports[t.sessionId] = t; await t.start(); }
});
httpServer.listen(3001, '127.0.0.1');
`,
        1,
        'server.js',
      );
      assert.match(found[0].message, /This HTTP server serves `SSEServerTransport`/);
      assert.deepEqual(found[0].fixes, [], 'a raw node:http handler has no mechanical place for a Host check');
    });

    it('when the Authorization header is only passed on to tools, not checked', () => {
      expectFires(
        ID,
        `${IMPORTS}const app = express();
app.post('/mcp', async (req, res) => {
  const upstreamToken = req.headers.authorization;
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  await server.connect(transport);
  await transport.handleRequest(Object.assign(req, { upstreamToken }), res, req.body);
});
app.listen(3000, '127.0.0.1');
`,
      );
    });

    it('on FastMCP serving httpStream on every interface without authenticate', () => {
      expectFires(
        ID,
        `import { FastMCP } from 'fastmcp';
const server = new FastMCP({ name: 'files', version: '1.0.0' });
void server.start({ transportType: 'httpStream', httpStream: { port: 8080, host: '0.0.0.0' } });
`,
      );
    });
  });

  describe('stays quiet', () => {
    it('for createMcpExpressApp() bound to loopback (the playbook pattern)', () => {
      expectQuiet(
        ID,
        `import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
const app = createMcpExpressApp();
app.post('/mcp', async (req, res) => {
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  await transport.handleRequest(req, res, req.body);
});
app.listen(3000, '127.0.0.1');
`,
      );
    });

    it('for apps behind authentication, whatever they bind to', () => {
      expectQuiet(
        ID,
        `${IMPORTS}import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
declare const verifier: OAuthTokenVerifier;
const app = express();
app.use(requireBearerAuth({ verifier }));
${ROUTE}app.listen(3000, '0.0.0.0');
`,
      );
      expectQuiet(
        ID,
        `${IMPORTS}const app = express();
app.use((req, res, next) => (req.headers.authorization === \`Bearer \${process.env.MCP_TOKEN}\` ? next() : res.status(401).end()));
${ROUTE}app.listen(3000);
`,
      );
      expectQuiet(
        ID,
        `${IMPORTS}import type { NextFunction, Request, Response } from 'express';
function requireApiKey(req: Request, res: Response, next: NextFunction) {
  const key = req.get('x-api-key');
  if (!key) { res.status(401).end(); return; }
  next();
}
const app = express();
app.post('/mcp', requireApiKey, async (req, res) => {
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});
app.listen(3000);
`,
      );
    });

    it('for loopback apps with Host validation, hosts from configuration, and express apps that serve no MCP', () => {
      expectQuiet(
        ID,
        `${IMPORTS}import { hostHeaderValidation } from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';
const app = express();
app.use(hostHeaderValidation(['localhost', '127.0.0.1']));
${ROUTE}app.listen(3000, 'localhost');
`,
      );
      expectQuiet(
        ID,
        `import express from 'express';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
const server = new McpServer({ name: 'files', version: '1.0.0' });
const metrics = express();
metrics.get('/metrics', (_req, res) => { res.send('ok'); });
metrics.listen(9090);
`,
      );
      expectQuiet(
        ID,
        `import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
const app = createMcpExpressApp({ host: '0.0.0.0', allowedHosts: ['mcp.example.com'] });
app.post('/mcp', async (req, res) => { await new StreamableHTTPServerTransport({ sessionIdGenerator: undefined }).handleRequest(req, res, req.body); });
app.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
`,
      );
    });
  });

  describe('fix', () => {
    it('binds to 127.0.0.1 and adds localhostHostValidation right after the app is created', () => {
      const fixed = expectFixWorks(ID, `${IMPORTS}const app = express();\napp.use(express.json());\n${ROUTE}app.listen(3000, () => console.error('listening'));\n`);
      assert.match(fixed, /import \{ localhostHostValidation \} from '@modelcontextprotocol\/sdk\/server\/middleware\/hostHeaderValidation\.js';/);
      assert.match(fixed, /const app = express\(\);\napp\.use\(localhostHostValidation\(\)\);\napp\.use\(express\.json\(\)\);/);
      assert.match(fixed, /app\.listen\(3000, '127\.0\.0\.1', \(\) =>/);
    });

    it('replaces 0.0.0.0 and adds a host to listen options, in CommonJS', () => {
      const fixed = expectFixWorks(
        ID,
        `const express = require('express');
const http = require('http');
const { StreamableHTTPServerTransport } = require('@modelcontextprotocol/sdk/server/streamableHttp.js');
const app = express();
app.post('/mcp', async (req, res) => { await new StreamableHTTPServerTransport({ sessionIdGenerator: undefined }).handleRequest(req, res, req.body); });
app.listen(3000, '0.0.0.0');
http.createServer(app).listen({ port: 3001 });
`,
        'server.js',
      );
      assert.match(fixed, /const \{ localhostHostValidation \} = require\('@modelcontextprotocol\/sdk\/server\/middleware\/hostHeaderValidation\.js'\);/);
      assert.match(fixed, /app\.listen\(3000, '127\.0\.0\.1'\);/);
      assert.match(fixed, /listen\(\{ port: 3001, host: '127\.0\.0\.1' \}\)/);
    });

    it('offers no Host check when the bind address is configured (it may be a public name)', () => {
      const found = findingsOf(ID, `${IMPORTS}const app = express();\n${ROUTE}app.listen(3000, process.env.HOST);\n`);
      assert.equal(found.length, 1);
      assert.deepEqual(found[0].fixes, []);
    });

    it('offers no host argument for a string port (listen(port: string, host) has no overload)', () => {
      const found = findingsOf(ID, `${IMPORTS}const app = express();\n${ROUTE}app.listen(process.env.PORT ?? '3000');\n`);
      const listen = found.find(f => /`listen` without a host/.test(f.message));
      assert.ok(listen);
      assert.deepEqual(listen.fixes, []);
    });
  });
});
