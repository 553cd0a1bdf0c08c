// MCP SDK advisories in package.json, judged with real semver range semantics.
import * as assert from 'node:assert/strict';
import { advisoriesForSpecifier, advisoriesForVersion, checkPackageJson } from '../../src/extension/sdk-advisories';

const pkg = (spec: string, section = 'dependencies') => `{\n  "name": "x",\n  "${section}": {\n    "zod": "^3.0.0",\n    "@modelcontextprotocol/sdk": ${JSON.stringify(spec)}\n  }\n}\n`;
const cves = (spec: string) => advisoriesForSpecifier(spec)?.advisories.map(a => a.cve);

describe('MCP SDK advisories', () => {
  it('flags ranges that admit versions below 1.24.0 (CVE-2025-66414, DNS rebinding)', () => {
    for (const spec of ['1.23.0', '^1.20.0', '~1.23.1', '>=1.0.0', '1.x', '*', '<=1.24.0', '^0.6.0']) {
      assert.ok(cves(spec)?.includes('CVE-2025-66414'), spec);
    }
  });

  it('does not flag 1.24.0 and later for the DNS rebinding advisory, with caret and tilde read as npm does', () => {
    for (const spec of ['1.24.0', '^1.24.0', '~1.24.1', '>=1.24.0', '^1.32.2']) assert.ok(!cves(spec)?.includes('CVE-2025-66414'), spec);
    // ^1.24.0 still admits 1.24.x and 1.25.x, which the later advisories cover.
    assert.deepEqual(cves('^1.24.0'), ['CVE-2026-0621', 'CVE-2026-25536']);
    assert.deepEqual(cves('^1.26.0'), []);
    assert.deepEqual(cves('~1.25.2'), ['CVE-2026-25536']);
  });

  it('leaves tags, git, file and workspace specifiers alone', () => {
    for (const spec of ['latest', 'next', 'workspace:*', 'file:../sdk', 'github:modelcontextprotocol/typescript-sdk', 'npm:other@1']) {
      assert.equal(advisoriesForSpecifier(spec), undefined, spec);
    }
  });

  it('judges exact versions, prereleases included', () => {
    assert.deepEqual(advisoriesForVersion('1.23.0').map(a => a.cve), ['CVE-2025-66414', 'CVE-2026-0621', 'CVE-2026-25536']);
    assert.deepEqual(advisoriesForVersion('1.9.0').map(a => a.cve), ['CVE-2025-66414', 'CVE-2026-0621']);
    assert.deepEqual(advisoriesForVersion('1.26.0'), []);
    assert.ok(advisoriesForVersion('1.24.0-beta.1').some(a => a.cve === 'CVE-2025-66414'));
  });

  it('reports the dependency string in package.json with its offsets and the version to require', () => {
    const text = pkg('^1.20.0');
    const [f] = checkPackageJson(text);
    assert.equal(text.slice(f.start, f.end), '"^1.20.0"');
    assert.equal(f.section, 'dependencies');
    assert.equal(f.lowestAllowed, '1.20.0');
    assert.equal(f.suggestedSpecifier, '^1.26.0');
    assert.match(f.message, /CVE-2025-66414/);
  });

  it('finds the SDK in devDependencies and peerDependencies too, and nothing when it is absent or safe', () => {
    assert.equal(checkPackageJson(pkg('1.10.0', 'devDependencies'))[0].section, 'devDependencies');
    assert.equal(checkPackageJson(pkg('>=1.0.0', 'peerDependencies'))[0].section, 'peerDependencies');
    assert.deepEqual(checkPackageJson(pkg('^1.26.0')), []);
    assert.deepEqual(checkPackageJson('{"dependencies":{"zod":"^3.0.0"}}'), []);
  });

  it('follows the installed version: a vulnerable one is named, a fixed one under a loose range is advice', () => {
    const [vulnerable] = checkPackageJson(pkg('^1.20.0'), '1.23.0');
    assert.match(vulnerable.message, /1\.23\.0 is installed/);
    const [loose] = checkPackageJson(pkg('^1.20.0'), '1.32.2');
    assert.match(loose.message, /installed 1\.32\.2 is fixed/);
    assert.deepEqual(checkPackageJson(pkg('^1.20.0'), '1.32.2', false), []);
  });

  it('survives broken or unusual package.json text without throwing', () => {
    for (const text of ['', '{', 'null', '[]', '{"dependencies": 3}', '{"dependencies":{"@modelcontextprotocol/sdk": 1}}', '// c\n{"dependencies":{"@modelcontextprotocol/sdk":"1.0.0",},}']) {
      assert.doesNotThrow(() => checkPackageJson(text), text);
    }
    assert.equal(checkPackageJson('{"dependencies":{"@modelcontextprotocol/sdk":"1.0.0",},}').length, 1, 'trailing commas are tolerated');
  });
});
