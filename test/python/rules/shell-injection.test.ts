import { FASTMCP_HEADER, expectPyFires, expectPyQuiet, loadPythonParser, pyFindingsOf } from '../../helpers/python';
import * as assert from 'node:assert/strict';

const ID = 'shell-injection';
const H = `import os\nimport subprocess\nimport shlex\n${FASTMCP_HEADER}`;

describe(`python: ${ID}`, () => {
  before(loadPythonParser);

  describe('fires', () => {
    it('os.system / os.popen with an f-string of a tool argument', () => {
      expectPyFires(ID, `${H}\n@mcp.tool()\ndef ping(host: str) -> str:\n    os.system(f"ping -c 1 {host}")\n    return os.popen("dig " + host).read()\n`, 2);
    });
    it('subprocess.run(..., shell=True) with a built command, through a variable', () => {
      expectPyFires(ID, `${H}\n@mcp.tool()\ndef grep(pattern: str, path: str) -> str:\n    cmd = "grep -r '%s' %s" % (pattern, path)\n    return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout\n`);
    });
    it('subprocess.check_output(param, shell=True), str.format, asyncio.create_subprocess_shell', () => {
      expectPyFires(ID, `import asyncio\n${H}\n@mcp.tool()\nasync def run(command: str, name: str) -> str:\n    subprocess.check_output(command, shell=True)\n    subprocess.call("echo {}".format(name), shell=True)\n    await asyncio.create_subprocess_shell(f"ls {name}")\n    return ""\n`, 3);
    });
  });

  describe('stays quiet', () => {
    it('argument lists without a shell', () => {
      expectPyQuiet(ID, `${H}\n@mcp.tool()\ndef ping(host: str) -> str:\n    subprocess.run(["ping", "-c", "1", host], check=True)\n    return subprocess.check_output(["dig", host], text=True)\n`);
    });
    it('fixed command strings, with or without shell=True', () => {
      expectPyQuiet(ID, `${H}\nCMD = "uptime"\n\n@mcp.tool()\ndef up() -> str:\n    os.system("uptime")\n    subprocess.run("ls -la | wc -l", shell=True)\n    cmd = "df -h"\n    return subprocess.check_output(cmd, shell=True, text=True)\n`);
    });
    it('parts quoted with shlex.quote, numbers, or shell=False', () => {
      expectPyQuiet(ID, `${H}\n@mcp.tool()\ndef ping(host: str, count: int) -> str:\n    os.system(f"ping -c {int(count)} {shlex.quote(host)}")\n    subprocess.run("ping " + shlex.quote(host), shell=True)\n    subprocess.run(f"ping {host}", shell=False)\n    return ""\n`);
    });
  });

  it('offers no fix (the safe form changes how the program is run)', () => {
    const [f] = pyFindingsOf(ID, `${H}\n@mcp.tool()\ndef ping(host: str) -> str:\n    return os.popen(f"ping {host}").read()\n`);
    assert.deepEqual(f.fixes, []);
  });
});
