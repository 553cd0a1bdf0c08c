import { loadPythonParser, analyzePy, FASTMCP_HEADER, expectPyFixWorks } from '../helpers/python';
describe('smoke', () => {
  before(async () => { await loadPythonParser(); });
  it('runs', () => {
    const code = FASTMCP_HEADER + '\n@mcp.tool()\nasync def hi(name: str) -> str:\n    print("hello", name)\n    return name\n\nif __name__ == "__main__":\n    mcp.run()\n';
    console.log(analyzePy(code).map(f => [f.ruleId, code.slice(f.start, f.end), f.fixes.map(x => JSON.stringify(x.edits))]));
    console.log(expectPyFixWorks('stdout-in-stdio-server', code));
  });
});
