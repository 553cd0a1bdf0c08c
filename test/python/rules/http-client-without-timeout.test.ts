import * as assert from 'node:assert/strict';
import { FASTMCP_HEADER, expectPyFires, expectPyFixWorks, expectPyQuiet, loadPythonParser } from '../../helpers/python';

const ID = 'http-client-without-timeout';
const H = `import requests\nimport httpx\nimport aiohttp\nimport urllib.request\n${FASTMCP_HEADER}`;

describe(`python: ${ID}`, () => {
  before(loadPythonParser);

  describe('fires', () => {
    it('requests.get / requests.post without timeout, and timeout=None', () => {
      expectPyFires(ID, `${H}\n@mcp.tool()\ndef fetch(url: str) -> str:\n    r = requests.get(url)\n    requests.post(url, json={"a": 1})\n    requests.put(url, timeout=None)\n    return r.text\n`, 3);
    });
    it('a requests.Session, urllib.request.urlopen and `from requests import get`', () => {
      expectPyFires(ID, `${H}from requests import get\n\nsession = requests.Session()\n\n@mcp.tool()\ndef fetch(url: str) -> str:\n    with urllib.request.urlopen(url) as r:\n        body = r.read()\n    session.get(url)\n    return get(url).text\n`, 3);
    });
    it('aiohttp.ClientSession() without timeout and httpx with timeout=None', () => {
      expectPyFires(ID, `${H}\n@mcp.tool()\nasync def fetch(url: str) -> str:\n    async with aiohttp.ClientSession() as s:\n        async with s.get(url) as r:\n            text = await r.text()\n    async with httpx.AsyncClient(timeout=None) as c:\n        await c.get(url)\n    return text\n`, 2);
    });
  });

  describe('stays quiet', () => {
    it('requests with a timeout (number or tuple), or **kwargs that may carry one', () => {
      expectPyQuiet(ID, `${H}\n@mcp.tool()\ndef fetch(url: str, **kw) -> str:\n    requests.get(url, timeout=30)\n    requests.post(url, json={}, timeout=(3.05, 27))\n    requests.get(url, **kw)\n    return ""\n`);
    });
    it('httpx with its 5 s default or an explicit timeout, aiohttp with ClientTimeout', () => {
      expectPyQuiet(ID, `${H}\n@mcp.tool()\nasync def fetch(url: str) -> str:\n    async with httpx.AsyncClient() as c:\n        await c.get(url)\n    httpx.get(url, timeout=10.0)\n    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as s:\n        pass\n    return ""\n`);
    });
    it('urlopen with a timeout (keyword or third positional), and a local get()', () => {
      expectPyQuiet(ID, `${H}\ndef get(url):\n    return url\n\n@mcp.tool()\ndef fetch(url: str) -> str:\n    urllib.request.urlopen(url, timeout=10)\n    urllib.request.urlopen(url, None, 10)\n    return get(url)\n`);
    });
  });

  describe('fix', () => {
    it('adds timeout=30, replaces timeout=None', () => {
      const fixed = expectPyFixWorks(ID, `${H}\n@mcp.tool()\ndef fetch(url: str) -> str:\n    requests.get(url)\n    requests.post(\n        url,\n        json={"a": 1},\n    )\n    requests.put(url, timeout=None)\n    urllib.request.urlopen(url)\n    return ""\n`);
      assert.match(fixed, /requests\.get\(url, timeout=30\)/);
      assert.match(fixed, /json=\{"a": 1\},\n {8}timeout=30,\n/);
      assert.match(fixed, /requests\.put\(url, timeout=30\)/);
    });
    it('gives aiohttp sessions a ClientTimeout and httpx a 30 s timeout, importing aiohttp when needed', () => {
      const fixed = expectPyFixWorks(ID, `from aiohttp import ClientSession\nimport httpx\n${FASTMCP_HEADER}\n@mcp.tool()\nasync def fetch(url: str) -> str:\n    async with ClientSession() as s:\n        pass\n    httpx.Client(timeout=None)\n    return ""\n`);
      assert.match(fixed, /ClientSession\(timeout=aiohttp\.ClientTimeout\(total=30\)\)/);
      assert.match(fixed, /^import aiohttp$/m);
      assert.match(fixed, /httpx\.Client\(timeout=30\)/);
    });
  });
});
