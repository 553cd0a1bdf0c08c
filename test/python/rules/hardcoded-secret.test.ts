import * as assert from 'node:assert/strict';
import { FASTMCP_HEADER, expectPyFires, expectPyFixWorks, expectPyQuiet, loadPythonParser } from '../../helpers/python';

const ID = 'hardcoded-secret';
// Built at run time so that this file holds no token-shaped literal.
const GH = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
const SK = 'sk-' + 'proj-' + 'Zx8Yw7Vu6Ts5Rq4Po3Nm2Lk1Ji0Hg9Fe8Dc7';

describe(`python: ${ID}`, () => {
  before(loadPythonParser);

  describe('fires', () => {
    it('a known token format anywhere in a string', () => {
      expectPyFires(ID, `${FASTMCP_HEADER}\nGITHUB = "${GH}"\nclient = make(token="${SK}")\n`, 2);
    });
    it('a literal given to a secret name: variable, keyword, dict key, default parameter', () => {
      expectPyFires(ID, `${FASTMCP_HEADER}\nAPI_KEY = "q8Zr2LmX9vT4wK7p"\nconnect(password="Tr0ub4dor&3xyz")\nheaders = {"Authorization": "Bearer 9f8e7d6c5b4a3f2e1d0c"}\n\ndef call(client_secret: str = "Xy9Qw8Er7Ty6Ui5O"):\n    pass\n`, 4);
    });
    it('a comparison and an environment fallback', () => {
      expectPyFires(ID, `import os\n${FASTMCP_HEADER}\n@mcp.tool()\ndef check(token: str) -> bool:\n    return token == "Zq7Wx8Ce9Rv0Tb1Yn2"\n\nSECRET = os.getenv("SECRET_KEY", "Lm3Nb4Vc5Xz6As7Df8")\n`, 2);
    });
  });

  describe('stays quiet', () => {
    it('secrets read from the environment; names of variables', () => {
      expectPyQuiet(ID, `import os\n${FASTMCP_HEADER}\nAPI_KEY = os.environ["API_KEY"]\nTOKEN_ENV = "GITHUB_TOKEN"\nkey_name = "OPENAI_API_KEY"\npassword = os.getenv("DB_PASSWORD")\n`);
    });
    it('placeholders, words, paths and URLs under secret names', () => {
      expectPyQuiet(ID, `${FASTMCP_HEADER}\napi_key = "your-api-key-here"\npassword = "changeme"\ntoken_url = "https://auth.example.com/token"\nsecret_path = "/run/secrets/api"\nauthorization = "same-origin"\n`);
    });
    it('docstrings, non-secret token names, and name-based values in test files', () => {
      expectPyQuiet(ID, `${FASTMCP_HEADER}\ndef f():\n    """Set api_key = 'q8Zr2LmX9vT4wK7p' in your environment."""\n    next_token = "aGVsbG8gd29ybGQxMjM0"\n    progress_token = "Xy9Qw8Er7Ty6Ui5O"\n`);
      expectPyQuiet(ID, `API_KEY = "q8Zr2LmX9vT4wK7p"\n`, 'tests/test_server.py');
    });
  });

  describe('fix', () => {
    it('reads the secret from os.environ, adding `import os`', () => {
      const fixed = expectPyFixWorks(ID, `${FASTMCP_HEADER}\nGITHUB_TOKEN = "${GH}"\nAPI_KEY = "q8Zr2LmX9vT4wK7p"\nheaders = {"Authorization": "Bearer 9f8e7d6c5b4a3f2e1d0c"}\n`);
      assert.match(fixed, /^import os$/m);
      assert.match(fixed, /GITHUB_TOKEN = os\.environ\["GITHUB_TOKEN"\]/);
      assert.match(fixed, /API_KEY = os\.environ\["API_KEY"\]/);
      assert.match(fixed, /"Authorization": f"Bearer \{os\.environ\['API_TOKEN'\]\}"/);
    });
  });
});
