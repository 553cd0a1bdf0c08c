import { analyze } from '../helpers/rules';
const show = (id: string, code: string, file?: string) => {
  for (const f of analyze(code, file).filter(x => x.ruleId === id)) console.log(`  [${id}] ${JSON.stringify(code.slice(f.start, f.end))} :: ${f.message.slice(0, 70)} fixes=${f.fixes.length}`);
};
const MCP = "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nimport express from 'express';\nimport axios from 'axios';\nconst app = express();\n";
it('scratch', () => {
  show('token-passthrough', `${MCP}app.get('/a', async (req, res) => {\n  const auth = req.headers.authorization;\n  const r = await axios.get('https://billing.internal/invoices', { headers: { Authorization: auth } });\n  res.json(r.data);\n});\napp.get('/b', async (req, res) => {\n  const { token } = req.auth!;\n  const h = new Headers();\n  h.set('Authorization', 'Bearer ' + token);\n  res.json(await (await fetch('https://crm.internal/contacts', { headers: h })).json());\n});\napp.get('/c', async (req, res) => {\n  let bearer: string | undefined;\n  bearer = req.get('authorization')?.split(' ')[1];\n  const api = axios.create({ baseURL: 'https://erp.internal' });\n  api.defaults.headers.common['Authorization'] = \`Bearer \${bearer}\`;\n  res.json((await api.get('/orders')).data);\n});\n`);
});
