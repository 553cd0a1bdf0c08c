import * as assert from 'node:assert/strict';
import { expectPyFires, expectPyFixWorks, expectPyQuiet, loadPythonParser } from '../../helpers/python';

const ID = 'unprotected-http-transport';

describe(`python: ${ID}`, () => {
  before(loadPythonParser);

  describe('fires', () => {
    it('FastMCP(host="0.0.0.0") served over streamable HTTP without auth', () => {
      expectPyFires(ID, `from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("demo", host="0.0.0.0", port=8000)\n\nif __name__ == "__main__":\n    mcp.run(transport="streamable-http")\n`);
    });
    it('TransportSecuritySettings(enable_dns_rebinding_protection=False)', () => {
      expectPyFires(ID, `from mcp.server.fastmcp import FastMCP\nfrom mcp.server.transport_security import TransportSecuritySettings\n\nmcp = FastMCP("demo", transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False))\nmcp.run(transport="sse")\n`);
    });
    it('standalone fastmcp run(host="0.0.0.0"), uvicorn.run of the app on all interfaces, settings.host', () => {
      expectPyFires(ID, `from fastmcp import FastMCP\n\nmcp = FastMCP("demo")\nmcp.run(transport="http", host="0.0.0.0", port=8000)\n`);
      expectPyFires(ID, `import uvicorn\nfrom mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("demo")\napp = mcp.streamable_http_app()\nuvicorn.run(app, host="0.0.0.0", port=8000)\n`);
      expectPyFires(ID, `from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("demo")\nmcp.settings.host = "0.0.0.0"\nmcp.run(transport="streamable-http")\n`);
    });
  });

  describe('stays quiet', () => {
    it('the default loopback host (DNS-rebinding protection on by default)', () => {
      expectPyQuiet(ID, `from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("demo")\nmcp.run(transport="streamable-http")\n`);
    });
    it('0.0.0.0 with a token verifier or auth provider', () => {
      expectPyQuiet(ID, `from mcp.server.fastmcp import FastMCP\nfrom mcp.server.auth.settings import AuthSettings\n\nmcp = FastMCP("demo", host="0.0.0.0", token_verifier=verifier, auth=AuthSettings(issuer_url="https://auth.example.com", resource_server_url="https://mcp.example.com"))\nmcp.run(transport="streamable-http")\n`);
    });
    it('0.0.0.0 on a stdio server, protection kept on with allowed_hosts, a host from the environment', () => {
      expectPyQuiet(ID, `from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("demo", host="0.0.0.0")\nmcp.run()\n`);
      expectPyQuiet(ID, `import os\nfrom mcp.server.fastmcp import FastMCP\nfrom mcp.server.transport_security import TransportSecuritySettings\n\nmcp = FastMCP("demo", host=os.environ.get("HOST", "127.0.0.1"), transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=["mcp.internal:*"]))\nmcp.run(transport="streamable-http")\n`);
    });
  });

  describe('fix', () => {
    it('binds to 127.0.0.1', () => {
      const fixed = expectPyFixWorks(ID, `from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("demo", host='0.0.0.0')\nmcp.run(transport="streamable-http")\n`);
      assert.match(fixed, /FastMCP\("demo", host='127\.0\.0\.1'\)/);
    });
  });
});
