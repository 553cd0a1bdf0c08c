import * as assert from 'node:assert/strict';
import { expectFires, expectQuiet, findingsOf } from '../helpers/rules';

const ID = 'deprecated-sse-transport';
const SSE_SERVER = `import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
const server = new McpServer({ name: 'files', version: '1.0.0' });
const app = createMcpExpressApp();
const transports: Record<string, SSEServerTransport> = {};
app.get('/sse', async (_req, res) => {
  const transport = new SSEServerTransport('/messages', res);
  transports[transport.sessionId] = transport;
  await server.connect(transport);
});
app.post('/messages', async (req, res) => {
  await transports[String(req.query.sessionId)]?.handlePostMessage(req, res, req.body);
});
`;

describe(`rule ${ID}`, () => {
  describe('fires', () => {
    it('on new SSEServerTransport, pointing to Streamable HTTP and a gradual move', () => {
      const [f] = expectFires(ID, SSE_SERVER);
      assert.match(f.message, /deprecated since protocol revision 2025-03-26/);
      assert.match(f.message, /StreamableHTTPServerTransport.*mcp-server-http.*beside `\/sse` and `\/messages`/);
    });

    it('on each construction, in CommonJS and under an alias', () => {
      expectFires(
        ID,
        `const { SSEServerTransport: Sse } = require('@modelcontextprotocol/sdk/server/sse.js');
const http = require('node:http');
http.createServer((req, res) => {
  const t = req.url === '/sse' ? new Sse('/messages', res) : new Sse('/legacy/messages', res);
  void t.start();
}).listen(3000, '127.0.0.1');
`,
        2,
        'server.js',
      );
    });

    it('on an import handed to other code, and on FastMCP transportType sse', () => {
      expectFires(
        ID,
        `import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
export const transportClass = SSEServerTransport;
`,
      );
      expectFires(
        ID,
        `import { FastMCP } from 'fastmcp';
const server = new FastMCP({ name: 'files', version: '1.0.0' });
void server.start({ transportType: 'sse' } as never);
`,
      );
    });
  });

  describe('stays quiet', () => {
    it('for Streamable HTTP (the playbook pattern)', () => {
      expectQuiet(
        ID,
        `import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
const app = createMcpExpressApp();
app.post('/mcp', async (req, res) => {
  await new StreamableHTTPServerTransport({ sessionIdGenerator: undefined }).handleRequest(req, res, req.body);
});
`,
      );
    });

    it('while migrating: the old SSE endpoint kept beside Streamable HTTP in the same server', () => {
      expectQuiet(
        ID,
        `${SSE_SERVER}import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
app.post('/mcp', async (req, res) => {
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});
`,
      );
    });

    it('for type-only uses, the SSE client, other classes of that name and FastMCP httpStream', () => {
      expectQuiet(
        ID,
        `import type { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { FastMCP } from 'fastmcp';
class LocalSse { constructor(readonly path: string) {} }
export const sessions = new Map<string, SSEServerTransport>();
export const client = new SSEClientTransport(new URL('http://localhost:3000/sse'));
export const local = new LocalSse('/events');
const server = new FastMCP({ name: 'files', version: '1.0.0' });
void server.start({ transportType: 'httpStream', httpStream: { port: 8080 } });
`,
      );
    });
  });

  describe('fix', () => {
    it('offers none: moving to Streamable HTTP changes the endpoints clients use', () => {
      const found = findingsOf(ID, SSE_SERVER);
      assert.equal(found.length, 1);
      assert.deepEqual(found[0].fixes, []);
    });
  });
});
