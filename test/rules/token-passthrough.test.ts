import * as assert from 'node:assert/strict';
import { MCP_HEADER, expectFires, expectQuiet } from '../helpers/rules';

const ID = 'token-passthrough';
const SERVER = `${MCP_HEADER}import { z } from 'zod';\nconst server = new McpServer({ name: 'gh', version: '1.0.0' });\n`;
const EXPRESS = `${MCP_HEADER}import express from 'express';\nimport axios from 'axios';\nconst app = express();\n`;

describe(`rule ${ID}`, () => {
  describe('fires', () => {
    it("on the SDK's authInfo.token forwarded from a tool handler", () => {
      const code = `${SERVER}server.registerTool('repos', { inputSchema: { org: z.string() } }, async ({ org }, extra) => {\n  const res = await fetch(\`https://api.github.com/orgs/\${org}/repos\`, {\n    headers: { Authorization: \`Bearer \${extra.authInfo?.token}\` },\n    signal: AbortSignal.timeout(30_000),\n  });\n  return { content: [{ type: 'text', text: await res.text() }] };\n});\n`;
      const [f] = expectFires(ID, code);
      assert.equal(code.slice(f.start, f.end), '`Bearer ${extra.authInfo?.token}`');
      assert.match(f.message, /The client's access token \(`extra\.authInfo\?\.token`\) is forwarded/);
    });
    it('on the Authorization header of an Express request, through locals, destructuring and string operations', () => {
      expectFires(
        ID,
        `${EXPRESS}app.get('/a', async (req, res) => {\n  const auth = req.headers.authorization;\n  const r = await axios.get('https://billing.internal/invoices', { headers: { Authorization: auth } });\n  res.json(r.data);\n});\napp.get('/b', async (req, res) => {\n  const { token } = req.auth!;\n  const h = new Headers();\n  h.set('Authorization', 'Bearer ' + token);\n  res.json(await (await fetch('https://crm.internal/contacts', { headers: h })).json());\n});\napp.get('/c', async (req, res) => {\n  let bearer: string | undefined;\n  bearer = req.get('authorization')?.split(' ')[1];\n  const api = axios.create({ baseURL: 'https://erp.internal' });\n  api.defaults.headers.common['Authorization'] = \`Bearer \${bearer}\`;\n  res.json((await api.get('/orders')).data);\n});\n`,
        3,
      );
    });
    it('on all incoming headers forwarded whole, in an MCP handler and in CommonJS middleware', () => {
      const found = expectFires(
        ID,
        `${SERVER}server.registerTool('proxy', { inputSchema: { path: z.string() } }, async ({ path }, extra) => {\n  const res = await fetch(\`https://upstream.internal/\${path}\`, { headers: { ...extra.requestInfo?.headers, accept: 'application/json' } as Record<string, string> });\n  return { content: [{ type: 'text', text: await res.text() }] };\n});\n`,
      );
      assert.match(found[0].message, /All incoming request headers \(`extra\.requestInfo\?\.headers`\)/);
      expectFires(
        ID,
        `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\nconst got = require('got');\nfunction forward(req, res, next) {\n  got('https://reports.internal/run', { headers: { authorization: req.header('Authorization') } }).then(() => next(), next);\n}\nmodule.exports = { forward };\n`,
        1,
        'server.js',
      );
    });

    it('through helpers of the same file: a token passed as an argument, and one returned by a getter', () => {
      const code = `${SERVER}async function callBilling(path: string, token: string | undefined) {\n  return fetch('https://billing.internal' + path, { headers: { Authorization: \`Bearer \${token}\` } });\n}\nfunction tokenOf(extra: { authInfo?: { token: string } }) {\n  const token = extra.authInfo?.token;\n  if (!token) throw new Error('not authenticated');\n  return token;\n}\nserver.registerTool('usage', { inputSchema: { month: z.string() } }, async ({ month }, extra) => {\n  await callBilling('/usage/' + month, extra.authInfo?.token);\n  const res = await fetch('https://reports.internal/' + month, { headers: { authorization: tokenOf(extra) } });\n  return { content: [{ type: 'text', text: await res.text() }] };\n});\n`;
      const found = expectFires(ID, code, 2);
      assert.deepEqual(found.map(f => code.slice(f.start, f.end)), ['`Bearer ${token}`', 'tokenOf(extra)']);
    });
  });

  describe('stays quiet', () => {
    it("when the server uses its own credentials or an exchanged token (the playbook pattern)", () => {
      expectQuiet(
        ID,
        `${SERVER}declare function exchangeToken(subjectToken: string, audience: string): Promise<string>;\nserver.registerTool('repos', { inputSchema: { org: z.string() } }, async ({ org }, extra) => {\n  const own = await fetch(\`https://api.github.com/orgs/\${org}/repos\`, { headers: { Authorization: \`Bearer \${process.env.GITHUB_TOKEN}\` } });\n  const downstream = await exchangeToken(extra.authInfo!.token, 'https://billing.internal');\n  const billed = await fetch('https://billing.internal/usage', { headers: { Authorization: \`Bearer \${downstream}\` } });\n  await fetch('https://idp.example.com/oauth/token', { method: 'POST', body: new URLSearchParams({ subject_token: extra.authInfo!.token }) });\n  return { content: [{ type: 'text', text: (await own.text()) + (await billed.text()) }] };\n});\n`,
      );
    });
    it("when the token goes to its issuer to be validated", () => {
      expectQuiet(
        ID,
        `${EXPRESS}async function verifyAccessToken(req: express.Request) {\n  const res = await fetch('https://api.github.com/user', { headers: { Authorization: req.headers.authorization! } });\n  return res.ok;\n}\napp.use(async (req, res, next) => {\n  const r = await fetch('https://idp.example.com/oauth2/userinfo', { headers: { authorization: req.headers.authorization ?? '' } });\n  if (!r.ok || !(await verifyAccessToken(req))) return res.status(401).end();\n  next();\n});\n`,
      );
    });
    it('when Authorization is stripped, only other headers are copied, headers are logged, or the object is not a request', () => {
      expectQuiet(
        ID,
        `${EXPRESS}app.get('/a', async (req, res) => {\n  const { authorization, ...rest } = req.headers;\n  await fetch('https://upstream.internal', { headers: rest as Record<string, string> });\n  await fetch('https://upstream.internal', { headers: { 'x-request-id': String(req.headers['x-request-id']) } });\n  console.error({ headers: req.headers, authorization });\n  res.set({ 'cache-control': 'no-store' });\n  res.end();\n});\nexport function call(opts: { headers: { authorization: string } }) {\n  return fetch('https://api.internal', { headers: { Authorization: opts.headers.authorization } });\n}\n`,
      );
    });
  });
});
