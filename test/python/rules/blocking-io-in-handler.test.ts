import * as assert from 'node:assert/strict';
import { FASTMCP_HEADER, expectPyFires, expectPyFixWorks, expectPyQuiet, loadPythonParser } from '../../helpers/python';

const ID = 'blocking-io-in-handler';
const H = `import time\nimport subprocess\nimport requests\n${FASTMCP_HEADER}`;

describe(`python: ${ID}`, () => {
  before(loadPythonParser);

  describe('fires', () => {
    it('time.sleep and requests in an async @mcp.tool()', () => {
      expectPyFires(ID, `${H}\n@mcp.tool()\nasync def slow(url: str) -> str:\n    time.sleep(1)\n    return requests.get(url, timeout=30).text\n`, 2);
    });
    it('subprocess.run / check_output and open() in async resource and prompt handlers', () => {
      expectPyFires(ID, `${H}\n@mcp.resource("file://{name}")\nasync def res(name: str) -> str:\n    out = subprocess.check_output(["ls"])\n    return open("/srv/" + name).read()\n\n@mcp.prompt()\nasync def p() -> str:\n    subprocess.run(["true"], check=True)\n    return "x"\n`, 3);
    });
    it('a low-level @server.call_tool() handler', () => {
      expectPyFires(ID, `import time\nfrom mcp.server import Server\n\nserver = Server("demo")\n\n@server.call_tool()\nasync def call_tool(name: str, arguments: dict) -> list:\n    time.sleep(0.5)\n    return []\n`);
    });
  });

  describe('stays quiet', () => {
    it('asyncio.sleep, httpx.AsyncClient, asyncio.to_thread in an async tool', () => {
      expectPyQuiet(ID, `import asyncio\nimport httpx\nimport requests\n${FASTMCP_HEADER}\n@mcp.tool()\nasync def ok(url: str) -> str:\n    await asyncio.sleep(1)\n    async with httpx.AsyncClient() as c:\n        await c.get(url)\n    r = await asyncio.to_thread(requests.get, url, timeout=30)\n    return r.text\n`);
    });
    it('blocking calls in a sync tool (run by the framework) and at start-up', () => {
      expectPyQuiet(ID, `${H}\nCONFIG = open("config.json").read()\ntime.sleep(0)\n\n@mcp.tool()\ndef sync_tool(url: str) -> str:\n    time.sleep(1)\n    return requests.get(url, timeout=30).text\n`);
    });
    it('a nested sync helper handed to a thread, and an async function that is no handler', () => {
      expectPyQuiet(ID, `import asyncio\n${H}\nasync def helper() -> None:\n    time.sleep(1)\n\n@mcp.tool()\nasync def t(path: str) -> str:\n    def read() -> str:\n        with open(path) as f:\n            return f.read()\n    return await asyncio.to_thread(read)\n`);
    });
  });

  describe('fix', () => {
    it('time.sleep -> await asyncio.sleep; requests / subprocess -> await asyncio.to_thread(...), importing asyncio', () => {
      const fixed = expectPyFixWorks(ID, `${H}\n@mcp.tool()\nasync def slow(url: str) -> str:\n    time.sleep(1)\n    r = requests.get(url, timeout=30)\n    subprocess.run(["ls", "-l"], check=True)\n    return r.text\n`);
      assert.match(fixed, /^import asyncio$/m);
      assert.match(fixed, /await asyncio\.sleep\(1\)/);
      assert.match(fixed, /r = await asyncio\.to_thread\(requests\.get, url, timeout=30\)/);
      assert.match(fixed, /await asyncio\.to_thread\(subprocess\.run, \["ls", "-l"\], check=True\)/);
    });
  });
});
