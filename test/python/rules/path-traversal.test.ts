import * as assert from 'node:assert/strict';
import { FASTMCP_HEADER, expectPyFires, expectPyQuiet, loadPythonParser, pyFindingsOf } from '../../helpers/python';

const ID = 'path-traversal';
const H = `import os\nfrom pathlib import Path\n${FASTMCP_HEADER}\nROOT = "/srv/data"\n`;

describe(`python: ${ID}`, () => {
  before(loadPythonParser);

  describe('fires', () => {
    it('open(os.path.join(ROOT, name)) in a tool', () => {
      expectPyFires(ID, `${H}\n@mcp.tool()\ndef read(name: str) -> str:\n    with open(os.path.join(ROOT, name)) as f:\n        return f.read()\n`);
    });
    it('Path(ROOT) / name and Path(path).read_text() in a resource and a tool', () => {
      expectPyFires(ID, `${H}\n@mcp.resource("file://{name}")\ndef res(name: str) -> str:\n    return (Path(ROOT) / name).read_text()\n\n@mcp.tool()\nasync def write(path: str, text: str) -> str:\n    full = f"{ROOT}/{path}"\n    Path(full).write_text(text)\n    return "ok"\n`, 2);
    });
    it('the arguments dict of a low-level call_tool, and os.remove / shutil', () => {
      expectPyFires(ID, `import os\nimport shutil\nfrom mcp.server import Server\n\nserver = Server("files")\n\n@server.call_tool()\nasync def call_tool(name: str, arguments: dict) -> list:\n    target = os.path.join("/srv", arguments["path"])\n    os.remove(target)\n    shutil.rmtree(arguments.get("dir"))\n    return []\n`, 2);
    });
    it('input that reaches the path through an assignment written after its use, in a loop (the second pass)', () => {
      expectPyFires(ID, `${H}\n@mcp.tool()\ndef read(name: str) -> str:\n    rel = "index.txt"\n    out = ""\n    for _ in range(2):\n        full = os.path.join(ROOT, rel)\n        out += open(full).read()\n        rel = name\n    return out\n`);
    });
  });

  describe('stays quiet', () => {
    it('a name that only contains the argument\'s name (filename, not name)', () => {
      expectPyQuiet(ID, `${H}\n@mcp.tool()\ndef read(name: str) -> str:\n    filename = "index.txt"\n    full = os.path.join(ROOT, filename)\n    return open(full).read() + name\n`);
    });
    it('a resolved path checked with is_relative_to', () => {
      expectPyQuiet(ID, `${H}\n@mcp.tool()\ndef read(name: str) -> str:\n    root = Path(ROOT).resolve()\n    target = (root / name).resolve()\n    if not target.is_relative_to(root):\n        raise ValueError("outside the root")\n    return target.read_text()\n`);
    });
    it('realpath + startswith, and os.path.basename', () => {
      expectPyQuiet(ID, `${H}\n@mcp.tool()\ndef read(name: str) -> str:\n    full = os.path.realpath(os.path.join(ROOT, name))\n    if not full.startswith(ROOT + os.sep):\n        raise ValueError("outside")\n    return open(full).read()\n\n@mcp.tool()\ndef read2(name: str) -> str:\n    return open(os.path.join(ROOT, os.path.basename(name))).read()\n`);
    });
    it('a checking helper, a fixed path, and a function that is no handler', () => {
      expectPyQuiet(ID, `${H}\ndef ensure_inside_root(p: str) -> str:\n    return p\n\n@mcp.tool()\ndef read(name: str) -> str:\n    return open(ensure_inside_root(os.path.join(ROOT, name))).read()\n\n@mcp.tool()\ndef config(key: str) -> str:\n    return open(os.path.join(ROOT, "config.json")).read()\n\ndef helper(name: str) -> str:\n    return open(name).read()\n`);
    });
  });

  it('offers no fix (where the root is, is the server\'s decision)', () => {
    const [f] = pyFindingsOf(ID, `${H}\n@mcp.tool()\ndef read(name: str) -> str:\n    return open(name).read()\n`);
    assert.deepEqual(f.fixes, []);
  });
});
