import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Finding } from '../../src/core/types';
import { MCP_HEADER, REPO_ROOT, applyEdits, expectFires, expectFixWorks, expectQuiet, findingsOf, typeErrors } from '../helpers/rules';
import { NODE_PROGRAM, analyzeWithChecker as analyzeInProgram } from '../helpers/checked-analysis';

const ID = 'hardcoded-secret';

// Made-up credentials of the right shapes, assembled at run time so that this file holds none of them whole.
const join = (...parts: string[]): string => parts.join('');
const T = {
  github: join('ghp', '_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d'),
  githubFine: join('github', '_pat_KLzdocJ2isAjIhKtJ0RlgL_KOmxgJTeKdNnFRIBXuDL7DxtpYlSXpfKtHF4vUCsMehGAkWvj7FAc9QeWJK'),
  openai: join('sk-', 'proj-ORS-6ilI8ihN5KXSc7Tvo-hBKqFYY-kv5ZJr3J1TWDtkwtDD'),
  anthropic: join('sk-', 'ant-api03-b_xHKas1VOqg6YYZYn9ZhyiA4uoRgnatmUdjAWtGSU8po_799NksnRH9ucAUsdMlHUvTCQCyEZDz-TddJ8HyS5SUkCnD8AA'),
  aws: join('AKIA', 'MVN4A4WFHYM4L1VF'),
  slack: join('xoxb', '-676122202972-9975288200182-B3m03nbqnsGpWLuqIA1id6Vw'),
  stripe: join('sk_', 'live_5DQL05HA064GiIjHGb3CXlMa'),
  google: join('AIza', 'tws8phP9nhFyJfm5di4PzJ59FHz5r1pY4Oj'),
  jwt: join('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', '.eyJzdWIiOiJzdmMtcmVwb3J0cyIsInNjb3BlIjoiYWRtaW4iLCJpYXQiOjE3MDAwMDAwMDB9', '.E2jBMptUsGr7CmY_uCu3ZR1zTOlUcR64cXQLioDnkHI'),
  anonJwt: join('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', '.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6ImFiY2QiLCJyb2xlIjoiYW5vbiIsImlhdCI6MTcwMDAwMDAwMH0', '.fxIq2HZt-PlJhx2jIclHkCiHp6bR1IqfEouHgxzNNAL'),
  pem: join('-----BEGIN ', 'PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7', '\\n-----END PRIVATE KEY-----\\n'),
  random16: 'lkrCaqx9vJupc94t',
  random24: 'nwlavyfErGPmpGXafq0fjzLc',
};

describe(`rule ${ID}`, () => {
  describe('fires', () => {
    it('on each known token format', () => {
      const code = `${MCP_HEADER}export const keys = [\n${[T.github, T.githubFine, T.openai, T.anthropic, T.aws, T.slack, T.stripe, T.google, T.jwt]
        .map(t => `  '${t}',`)
        .join('\n')}\n];\nexport const pem = '${T.pem}';\nexport const dsn = 'postgres://reporting:${T.random16}@db.internal.example.com:5432/prod';\n`;
      const found = expectFires(ID, code, 11);
      const labels = found.map(f => /A (.+?) is hard-coded/.exec(f.message)?.[1]);
      assert.deepEqual(labels, [
        'GitHub token', 'GitHub fine-grained token', 'OpenAI API key', 'Anthropic API key', 'AWS access key id', 'Slack token',
        'Stripe live key', 'Google API key', 'JSON Web Token', 'private key', 'password in a connection URL',
      ]);
    });
    it('on literal values given to secret names: variables, properties, headers, assignments, class fields, defaults', () => {
      const code = `${MCP_HEADER}const apiKey = '${T.random16}';\nexport const db = { host: 'db', password: 'N7#kd92!xQz' };\nexport async function call(u: string) {\n  return fetch(u, { headers: { Authorization: 'Bearer ${T.random24}', 'x-api-key': '${T.random16}' } });\n}\nconst config: { clientSecret?: string } = {};\nconfig.clientSecret = '${T.random24}';\nexport class Client { private token = '${T.random24}'; }\nexport function connect(secret = '${T.random16}') { return secret + apiKey; }\n`;
      const found = expectFires(ID, code, 7);
      assert.match(found[0].message, /`apiKey` is set to a hard-coded credential/);
    });
    it('on a hard-coded fallback and a comparison with a literal, without a fix (CommonJS)', () => {
      const found = expectFires(
        ID,
        `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\nconst jwtSecret = process.env.JWT_SECRET || 'h8Kx!2mQz9Lr';\nfunction authorised(req) {\n  return req.headers['x-api-key'] === '${T.random24}';\n}\nmodule.exports = { jwtSecret, authorised };\n`,
        2,
        'server.js',
      );
      assert.match(found[0].message, /fallback for `jwtSecret`/);
      assert.match(found[1].message, /`x-api-key` is compared with a hard-coded value/);
      assert.deepEqual(found.map(f => f.fixes.length), [0, 0]);
    });
  });

  describe('stays quiet', () => {
    it('for secrets read from the environment (the playbook pattern)', () => {
      expectQuiet(ID, `${MCP_HEADER}const apiKey = process.env.OPENAI_API_KEY;\nexport const client = { apiKey, token: process.env.GITHUB_TOKEN ?? '' };\nexport async function call(u: string) { return fetch(u, { headers: { Authorization: \`Bearer \${apiKey}\` } }); }\n`);
    });
    it('for placeholders, documentation examples, variable names and low-entropy values', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}export const a = { apiKey: '<your-api-key>', password: 'changeme', token: '', secret: 'xxxxxxxxxxxx' };\nexport const b = { apiKey: 'sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' };\nexport const c = { password: 'password', token: 'OPENAI_API_KEY', secret: 'aaaaaaaaaaaaaaaa', apiKey: 'abcdefgh12345678' };\nexport const d = { password: 'Enter your password', token: 'https://auth.example.com/token', clientSecret: '$2b$10$abcdefghijklmnopqrstuv' };\n`,
      );
    });
    it('for names that are not credentials, a PEM header alone, a public anon JWT, and a test file', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}export const meta = { progressToken: '${T.random16}', nextPageToken: '${T.random24}', tokenUrl: 'https://idp.example.com/oauth/token', maxTokens: 4096 };\nexport const isPem = (k: string) => k.startsWith('-----BEGIN PRIVATE KEY-----');\nexport const supabaseAnonKey = '${T.anonJwt}';\nexport const cacheKey = '${T.random24}';\nexport const init: RequestInit = { credentials: 'same-origin' };\nexport const names = { token: 'accessToken', secret: 'client-secret-name' };\n`,
      );
      expectQuiet(ID, `${MCP_HEADER}export const fixture = { password: 'Xk9#mQ2$vL7p', apiKey: '${T.random24}' };\n`, 'src/server.test.ts');
    });
  });

  describe('fix', () => {
    it('replaces a variable initialiser with process.env.NAME! in TypeScript without a type checker', () => {
      const fixed = expectFixWorks(ID, `${MCP_HEADER}const apiKey = '${T.random16}';\nexport async function call(u: string) { return fetch(u, { headers: { 'x-api-key': apiKey } }); }\n`);
      assert.match(fixed, /const apiKey = process\.env\.API_KEY!;/);
    });
    it('uses the vendor variable, keeps the auth scheme in a template, and cuts a key out of a URL', () => {
      const fixed = expectFixWorks(
        ID,
        `${MCP_HEADER}export async function call(u: string) {\n  await fetch(u, { headers: { Authorization: 'Bearer ${T.github}' } });\n  return fetch('https://maps.example.com/geocode?key=${T.google}&q=1');\n}\n`,
      );
      assert.match(fixed, /Authorization: `Bearer \$\{process\.env\.GITHUB_TOKEN\}`/);
      assert.match(fixed, /fetch\(`https:\/\/maps\.example\.com\/geocode\?key=\$\{process\.env\.GOOGLE_API_KEY\}&q=1`\)/);
    });
    it('writes plain process.env.NAME in JavaScript and derives UPPER_SNAKE names', () => {
      const fixed = expectFixWorks(
        ID,
        `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\nconst settings = { clientSecret: '${T.random24}', OPENAI_KEY: '${T.openai}' };\nmodule.exports = { settings };\n`,
        'server.js',
      );
      assert.match(fixed, /clientSecret: process\.env\.CLIENT_SECRET,/);
      assert.match(fixed, /OPENAI_KEY: process\.env\.OPENAI_KEY \}/);
    });
    it('adds `!` with a type checker only where undefined breaks a type', () => {
      const code = `${MCP_HEADER}declare function connect(opts: { apiKey?: string }): void;\ndeclare function login(token: string): void;\nconst token = '${T.random24}';\nexport async function call(u: string) { return fetch(u, { headers: { authorization: \`Bearer \${token}\` } }); }\nconnect({ apiKey: '${T.random16}' });\nconst password: string = 'N7#kd92!xQz';\nlogin(password);\nconst secretKey = '${T.random16}';\nlogin(secretKey);\n`;
      let current = code;
      for (let guard = 0; guard < 10; guard++) {
        const f = analyzeWithChecker(current).find(x => x.fixes.length > 0);
        if (!f) break;
        current = applyEdits(current, f.fixes[0].edits);
      }
      assert.equal(analyzeWithChecker(current).length, 0);
      assert.match(current, /const token = process\.env\.TOKEN;\n/);
      assert.match(current, /connect\(\{ apiKey: process\.env\.API_KEY \}\);/);
      assert.match(current, /const password: string = process\.env\.PASSWORD!;/);
      assert.match(current, /const secretKey = process\.env\.SECRET_KEY!;/);
      const before = typeErrors(code);
      assert.deepEqual(typeErrors(current).filter(e => !before.includes(e)), []);
    });
    it('offers no fix for an edge runtime without process.env', () => {
      const [f] = findingsOf(ID, `import { McpAgent } from 'agents/mcp';\nexport const apiKey = '${T.random24}';\n`);
      assert.ok(f);
      assert.equal(f.fixes.length, 0);
    });
  });
});

/** Analyses `code` with a real program and type checker, as the tsserver plugin does. */
function analyzeWithChecker(code: string): Finding[] {
  // Outside test/: the rule treats files under test directories as fixtures.
  const file = path.join(REPO_ROOT, 'src', '.virtual', 'server.ts');
  return analyzeInProgram(code, file, { ...NODE_PROGRAM, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'] }).filter(f => f.ruleId === ID);
}
