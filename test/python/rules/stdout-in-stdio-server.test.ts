import * as assert from 'node:assert/strict';
import { FASTMCP_HEADER, expectPyFires, expectPyFixWorks, expectPyQuiet, loadPythonParser } from '../../helpers/python';

const ID = 'stdout-in-stdio-server';
const RUN = '\nif __name__ == "__main__":\n    mcp.run()\n';

describe(`python: ${ID}`, () => {
  before(loadPythonParser);

  describe('fires', () => {
    it('print() in a tool of a server run over stdio (mcp.run())', () => {
      expectPyFires(ID, `${FASTMCP_HEADER}\n@mcp.tool()\nasync def greet(name: str) -> str:\n    print("greeting", name)\n    return f"hi {name}"\n${RUN}`);
    });
    it('sys.stdout.write and print(file=sys.stdout) with transport="stdio"', () => {
      expectPyFires(ID, `import sys\n${FASTMCP_HEADER}\n@mcp.tool()\ndef add(a: int, b: int) -> int:\n    sys.stdout.write("adding\\n")\n    print(a, b, file=sys.stdout)\n    return a + b\n\nmcp.run(transport="stdio")\n`, 2);
    });
    it('low-level Server with stdio_server(), standalone fastmcp, and pprint', () => {
      expectPyFires(ID, `import asyncio\nfrom mcp.server import Server\nfrom mcp.server.stdio import stdio_server\n\nserver = Server("demo")\n\nasync def main():\n    async with stdio_server() as (read, write):\n        print("ready")\n        await server.run(read, write, server.create_initialization_options())\n\nasyncio.run(main())\n`);
      expectPyFires(ID, `from fastmcp import FastMCP\nimport pprint\n\nmcp = FastMCP("x")\n\n@mcp.tool\ndef dump(data: dict) -> str:\n    pprint.pprint(data)\n    return "ok"\n\nmcp.run()\n`);
    });
  });

  describe('stays quiet', () => {
    it('print(..., file=sys.stderr) and logging', () => {
      expectPyQuiet(ID, `import sys\nimport logging\n${FASTMCP_HEADER}\n@mcp.tool()\nasync def greet(name: str) -> str:\n    print("greeting", name, file=sys.stderr)\n    logging.info("greeting %s", name)\n    return name\n${RUN}`);
    });
    it('the same prints on an HTTP server (streamable-http)', () => {
      expectPyQuiet(ID, `${FASTMCP_HEADER}\n@mcp.tool()\nasync def greet(name: str) -> str:\n    print("greeting", name)\n    return name\n\nmcp.run(transport="streamable-http")\n`);
    });
    it('a transport chosen at run time, print(**kwargs), a local function named print, and print in a string', () => {
      expectPyQuiet(ID, `import os\n${FASTMCP_HEADER}\n@mcp.tool()\ndef t(x: str) -> str:\n    return "print(x)"\n\nmcp.run(transport=os.environ.get("TRANSPORT", "sse"))\nprint("done")\n`);
      expectPyQuiet(ID, `${FASTMCP_HEADER}\ndef log(*args, **kwargs):\n    print(*args, **kwargs)\n${RUN}`);
      expectPyQuiet(ID, `${FASTMCP_HEADER}\ndef print(*args):\n    pass\n\n@mcp.tool()\ndef t() -> str:\n    print("x")\n    return "x"\n${RUN}`);
    });
  });

  describe('fix', () => {
    it('adds file=sys.stderr and `import sys` when missing', () => {
      const fixed = expectPyFixWorks(ID, `"""Demo server."""\n${FASTMCP_HEADER}\n@mcp.tool()\nasync def greet(name: str) -> str:\n    print("greeting", name)\n    print()\n    print(\n        "multi",\n        name,\n    )\n    return name\n${RUN}`);
      assert.match(fixed, /^"""Demo server\."""\nfrom mcp\.server\.fastmcp import FastMCP\nimport sys\n/);
      assert.match(fixed, /print\("greeting", name, file=sys\.stderr\)/);
      assert.match(fixed, /print\(file=sys\.stderr\)/);
      assert.match(fixed, /name,\n {8}file=sys\.stderr,\n/);
    });
    it('switches sys.stdout to sys.stderr, reusing `from sys import stderr`', () => {
      const fixed = expectPyFixWorks(ID, `import sys\nfrom sys import stderr\n${FASTMCP_HEADER}\n@mcp.tool()\ndef add(a: int, b: int) -> int:\n    sys.stdout.write("adding\\n")\n    print(a, file=sys.stdout)\n    return a + b\n${RUN}`);
      assert.match(fixed, /stderr\.write\("adding\\n"\)/);
      assert.match(fixed, /print\(a, file=stderr\)/);
    });
  });
});
