import * as assert from 'node:assert/strict';
import { MCP_HEADER, expectFires, expectFixWorks, expectQuiet } from '../helpers/rules';

const ID = 'http-client-without-timeout';
const AXIOS = `${MCP_HEADER}import axios from 'axios';\n`;

describe(`rule ${ID}`, () => {
  describe('fires', () => {
    it('on axios calls without timeout: get, post, and axios(config)', () => {
      const found = expectFires(
        ID,
        `${AXIOS}export async function run(url: string, body: unknown) {\n  await axios.get(url);\n  await axios.post(url, body, { headers: { 'x-id': '1' } });\n  return axios({ url, method: 'PUT' });\n}\n`,
        3,
      );
      assert.match(found[0].message, /axios waits for ever by default/);
    });
    it('on axios.create without timeout (once, not on each call of the instance) and on timeout: 0', () => {
      const found = expectFires(
        ID,
        `${AXIOS}const api = axios.create({ baseURL: 'https://api.example.com' });\nexport async function run() {\n  await api.get('/a');\n  await api.post('/b', {});\n  return axios.get('https://example.com', { timeout: 0 });\n}\n`,
        2,
      );
      assert.match(found[0].message, /axios\.create\(\) without `timeout`: every request made through this instance/);
      assert.match(found[1].message, /`timeout: 0` means no timeout in axios/);
    });
    it('on node:https get and on a node:http request whose timeout nothing acts on', () => {
      const found = expectFires(
        ID,
        `${MCP_HEADER}import https from 'node:https';\nimport { request } from 'node:http';\nexport function load(url: string) {\n  https.get(url, res => res.resume());\n  const req = request({ hostname: 'localhost', port: 8080, path: '/', timeout: 5_000 });\n  req.on('error', () => {});\n  req.end();\n}\n`,
        2,
      );
      assert.match(found[0].message, /https\.get\(\) has no timeout/);
      assert.match(found[1].message, /only emits a 'timeout' event/);
    });
    it('on undici request, Pool and an Agent with timeouts turned off', () => {
      const found = expectFires(
        ID,
        `${MCP_HEADER}import { request, Pool, Agent } from 'undici';\nexport const pool = new Pool('http://localhost:3000');\nexport const agent = new Agent({ headersTimeout: 0, bodyTimeout: 60_000 });\nexport async function get(url: string) { const { body } = await request(url); return body.text(); }\n`,
        3,
      );
      assert.match(found.find(f => /Pool/.test(f.message))!.message, /300 s \(undici's default\)/);
      assert.ok(found.some(f => /`headersTimeout: 0` turns undici's timeout off/.test(f.message)));
    });
    it('on got calls and got.extend without timeout', () => {
      expectFires(
        ID,
        `${MCP_HEADER}import got from 'got';\nexport const client = got.extend({ prefixUrl: 'https://api.example.com' });\nexport async function run(url: string) {\n  await got(url);\n  return got.post(url, { json: { a: 1 } }).json();\n}\n`,
        3,
      );
    });
    it('in CommonJS (server.js)', () => {
      expectFires(
        ID,
        `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\nconst axios = require('axios');\nconst https = require('node:https');\nasync function run(url) {\n  https.get(url, res => res.resume());\n  return axios.get(url);\n}\nmodule.exports = { run, McpServer };\n`,
        2,
        'server.js',
      );
    });
  });

  describe('stays quiet', () => {
    it('with a timeout or a signal (the playbook pattern), also through an instance created with one', () => {
      expectQuiet(
        ID,
        `${AXIOS}const api = axios.create({ baseURL: 'https://api.example.com', timeout: 30_000 });\nexport async function run(url: string) {\n  await api.get('/a');\n  await axios.get(url, { timeout: 30_000 });\n  return axios.post(url, {}, { signal: AbortSignal.timeout(30_000) });\n}\n`,
      );
    });
    it('when the file sets axios.defaults.timeout or the instance defaults', () => {
      expectQuiet(
        ID,
        `${AXIOS}axios.defaults.timeout = 10_000;\nconst api = axios.create({ baseURL: 'https://api.example.com' });\napi.defaults.timeout = 5_000;\nexport async function run(url: string) { await api.get('/a'); return axios.get(url); }\n`,
      );
    });
    it('when the options come from elsewhere, and for look-alikes that are not HTTP clients', () => {
      expectQuiet(
        ID,
        `${AXIOS}import type { AxiosRequestConfig } from 'axios';\nconst cache = new Map<string, string>();\nconst repo = { get: (id: string) => cache.get(id) };\nexport async function run(url: string, config: AxiosRequestConfig, extra: AxiosRequestConfig) {\n  repo.get('a');\n  await axios.get(url, config);\n  return axios.request({ ...extra, url });\n}\n`,
      );
    });
    it('for node:http/https with a signal, a destroyed timeout, or setTimeout with a callback', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}import https from 'node:https';\nimport http from 'node:http';\nexport function load(url: string) {\n  https.get(url, { signal: AbortSignal.timeout(30_000) }, res => res.resume());\n  const a = http.request({ host: 'localhost', timeout: 5_000 });\n  a.on('timeout', () => a.destroy(new Error('timed out')));\n  a.end();\n  const b = http.get(url);\n  b.setTimeout(5_000, () => b.destroy());\n}\n`,
      );
    });
    it('for undici with timeouts, a signal or a dispatcher, and leaves undici fetch to fetch-without-timeout', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}import { request, fetch, Pool, Agent } from 'undici';\nconst pool = new Pool('http://localhost:3000', { headersTimeout: 30_000, bodyTimeout: 30_000 });\nexport async function get(url: string) {\n  await request(url, { dispatcher: pool });\n  await request(url, { signal: AbortSignal.timeout(30_000) });\n  await request(url, { headersTimeout: 10_000 });\n  await fetch(url);\n  return new Agent({ bodyTimeout: 30_000 });\n}\n`,
      );
    });
    it('for got with a timeout object, and requests through a configured extend', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}import got from 'got';\nconst client = got.extend({ timeout: { request: 30_000 } });\nexport async function run(url: string) {\n  await client.get(url);\n  return got(url, { timeout: { request: 30_000 } });\n}\n`,
      );
    });
  });

  describe('fix', () => {
    it('adds timeout: 30_000 to axios calls and axios.create, replacing timeout: 0', () => {
      const fixed = expectFixWorks(
        ID,
        `${AXIOS}const api = axios.create();\nexport async function run(url: string, body: unknown) {\n  await api.get('/a');\n  await axios.get(url);\n  await axios.post(url);\n  await axios.put(url, body);\n  await axios.patch(url, body, {\n    headers: { 'x-id': '1' },\n  });\n  return axios.delete(url, { timeout: 0 });\n}\n`,
      );
      assert.match(fixed, /axios\.create\(\{ timeout: 30_000 \}\)/);
      assert.match(fixed, /axios\.get\(url, \{ timeout: 30_000 \}\)/);
      assert.match(fixed, /axios\.post\(url, undefined, \{ timeout: 30_000 \}\)/);
      assert.match(fixed, /axios\.put\(url, body, \{ timeout: 30_000 \}\)/);
      assert.match(fixed, /headers: \{ 'x-id': '1' \},\n    timeout: 30_000,\n/);
      assert.match(fixed, /axios\.delete\(url, \{ timeout: 30_000 \}\)/);
    });
    it('adds a got request timeout', () => {
      const fixed = expectFixWorks(
        ID,
        `${MCP_HEADER}import got from 'got';\nexport const client = got.extend({ prefixUrl: 'https://api.example.com' });\nexport async function run(url: string) {\n  await got(url);\n  return got.post(url, { json: { a: 1 } }).json();\n}\n`,
      );
      assert.match(fixed, /got\(url, \{ timeout: \{ request: 30_000 \} \}\)/);
      assert.match(fixed, /got\.extend\(\{ prefixUrl: 'https:\/\/api\.example\.com', timeout: \{ request: 30_000 \} \}\)/);
    });
    it('passes an abort signal to node:http/https, inserting the options between URL and callback', () => {
      const fixed = expectFixWorks(
        ID,
        `${MCP_HEADER}import https from 'node:https';\nimport http from 'node:http';\nexport function load(url: string) {\n  https.get(url, res => res.resume()).on('error', () => {});\n  const req = http.request({ host: 'localhost', timeout: 5_000 });\n  req.on('error', () => {});\n  req.end();\n}\n`,
      );
      assert.match(fixed, /https\.get\(url, \{ signal: AbortSignal\.timeout\(30_000\) \}, res => res\.resume\(\)\)/);
      assert.match(fixed, /http\.request\(\{ host: 'localhost', timeout: 5_000, signal: AbortSignal\.timeout\(30_000\) \}\)/);
    });
    it('sets undici headers and body timeouts', () => {
      const fixed = expectFixWorks(
        ID,
        `${MCP_HEADER}import { request, Pool, Agent } from 'undici';\nexport const pool = new Pool('http://localhost:3000');\nexport const agent = new Agent({ headersTimeout: 0, bodyTimeout: 0 });\nexport async function get(url: string) { const { body } = await request(url); return body.text(); }\n`,
      );
      assert.match(fixed, /new Pool\('http:\/\/localhost:3000', \{ headersTimeout: 30_000, bodyTimeout: 30_000 \}\)/);
      assert.match(fixed, /new Agent\(\{ headersTimeout: 30_000, bodyTimeout: 30_000 \}\)/);
      assert.match(fixed, /request\(url, \{ headersTimeout: 30_000, bodyTimeout: 30_000 \}\)/);
    });
    it('fixes CommonJS code (server.js)', () => {
      expectFixWorks(
        ID,
        `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\nconst axios = require('axios');\nasync function run(url) { return axios.get(url); }\nmodule.exports = { run, McpServer };\n`,
        'server.js',
      );
    });
  });
});
