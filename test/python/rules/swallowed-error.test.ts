import * as assert from 'node:assert/strict';
import { FASTMCP_HEADER, expectPyFires, expectPyFixWorks, expectPyQuiet, loadPythonParser } from '../../helpers/python';

const ID = 'swallowed-error';
const H = `import json\nimport logging\nimport httpx\n${FASTMCP_HEADER}`;

describe(`python: ${ID}`, () => {
  before(loadPythonParser);

  describe('fires', () => {
    it('except Exception: pass in a tool', () => {
      expectPyFires(ID, `${H}\n@mcp.tool()\nasync def sync_data(url: str) -> str:\n    try:\n        httpx.post(url)\n    except Exception:\n        pass\n    return "done"\n`);
    });
    it('a bare except returning a quiet fallback, and except BaseException: ...', () => {
      expectPyFires(ID, `${H}\n@mcp.tool()\ndef lookup(key: str) -> str:\n    try:\n        return httpx.get(key).text\n    except:\n        return ""\n\n@mcp.tool()\ndef other(key: str) -> str:\n    try:\n        httpx.get(key)\n    except (ValueError, BaseException) as e:\n        ...\n    return key\n`, 2);
    });
    it('a low-level handler that continues past every error', () => {
      expectPyFires(ID, `import httpx\nfrom mcp.server import Server\n\nserver = Server("x")\n\n@server.call_tool()\nasync def call_tool(name: str, arguments: dict) -> list:\n    out = []\n    for url in arguments["urls"]:\n        try:\n            out.append(httpx.get(url).text)\n        except Exception:\n            continue\n    return out\n`);
    });
  });

  describe('stays quiet', () => {
    it('logged, re-raised, or used', () => {
      expectPyQuiet(ID, `${H}\n@mcp.tool()\ndef a(url: str) -> str:\n    try:\n        httpx.get(url)\n    except Exception:\n        logging.exception("a failed")\n    try:\n        httpx.get(url)\n    except Exception:\n        raise\n    try:\n        httpx.get(url)\n    except Exception as e:\n        return f"error: {e}"\n    return ""\n`);
    });
    it('a specific exception type (handled on purpose), and cleanup calls', () => {
      expectPyQuiet(ID, `${H}\n@mcp.tool()\ndef a(text: str) -> dict:\n    try:\n        return json.loads(text)\n    except json.JSONDecodeError:\n        return {}\n\n@mcp.tool()\ndef b(url: str) -> str:\n    client = httpx.Client()\n    try:\n        client.close()\n    except Exception:\n        pass\n    return url\n`);
    });
    it('outside MCP handlers', () => {
      expectPyQuiet(ID, `${H}\ndef helper(url: str) -> None:\n    try:\n        httpx.get(url)\n    except Exception:\n        pass\n`);
    });
  });

  describe('fix', () => {
    it('logs with logging.exception (adding `import logging`), or logs and re-raises', () => {
      const code = `import httpx\n${FASTMCP_HEADER}\n@mcp.tool()\nasync def sync_data(url: str) -> str:\n    try:\n        httpx.post(url)\n    except Exception:\n        pass\n    try:\n        httpx.post(url)\n    except Exception: pass\n    try:\n        return httpx.get(url).text\n    except:\n        return ""\n`;
      const logged = expectPyFixWorks(ID, code);
      assert.match(logged, /^import logging$/m);
      assert.match(logged, /except Exception:\n {8}logging\.exception\("sync_data failed"\)\n/);
      assert.match(logged, /except Exception: logging\.exception\("sync_data failed"\)\n/);
      assert.match(logged, /except:\n {8}logging\.exception\("sync_data failed"\)\n {8}return ""/);
      const reraised = expectPyFixWorks(ID, `import httpx\n${FASTMCP_HEADER}\n@mcp.tool()\nasync def sync_data(url: str) -> str:\n    try:\n        httpx.post(url)\n    except Exception:\n        pass\n    try:\n        httpx.post(url)\n    except Exception: pass\n    return ""\n`, 'server.py', 1);
      assert.match(reraised, /except Exception:\n {8}logging\.exception\("sync_data failed"\)\n {8}raise\n/);
      assert.match(reraised, /except Exception: logging\.exception\("sync_data failed"\); raise\n/);
    });
  });
});
