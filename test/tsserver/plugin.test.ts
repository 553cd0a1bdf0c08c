// The tsserver plugin, built as it ships and loaded by the real tsserver, spoken to over tsserver's protocol.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { analyzeSourceFile } from '../../src/core/analyzer';
import { fileFacts, mergeFacts } from '../../src/core/facts';
import { RULES } from '../../src/core/rules';
import type { Finding, Severity } from '../../src/core/types';
import { MCP_STDIO_HEADER } from '../helpers/rules';
import { PLUGIN_NAME, REPO_ROOT, installPluginPackage } from './plugin-package';
import { TsServer, applyCodeEdits, locationAt, type ProtocolDiagnostic } from './tsserver-client';

const SOURCE = 'mcp-architect';
const FETCH_RULE = 'fetch-without-timeout';
const FETCH_CODE = 61002;
const TEST_FAULT_ENV = 'MCP_ARCHITECT_TSSERVER_PLUGIN_TEST_FAULT';

const COMPILER_OPTIONS = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  strict: true,
  skipLibCheck: true,
  types: ['node'],
  lib: ['ES2022'],
};

// An MCP server with one finding (fetch without a timeout) and two TypeScript errors of its own.
const SERVER_TS = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

const server = new McpServer({ name: 'weather', version: '1.0.0' });

server.registerTool('forecast', { description: 'Forecast for Paris' }, async () => {
  const res = await fetch('https://api.example.com/forecast?city=paris');
  return { content: [{ type: 'text', text: await res.text() }] };
});

export const retries: number = 'three';
consol.log('starting');

void server.connect(new StdioServerTransport());
`;

const THREE_FETCHES_TS = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

export const server = new McpServer({ name: 'mirror', version: '1.0.0' });

export async function a(url: string) {
  return fetch(url);
}
export async function b(url: string) {
  return fetch(url, { method: 'POST' });
}
export async function c(url: string) {
  return fetch(url, {
    method: 'PUT',
    body: '{}',
  });
}
`;

const PLAIN_TS = `export async function load(url: string) {
  return fetch(url);
}
`;

const ours = (ds: readonly ProtocolDiagnostic[]) => ds.filter(d => d.source === SOURCE);
const typescriptOwn = (ds: readonly ProtocolDiagnostic[]) => ds.filter(d => d.source !== SOURCE);
const codesOf = (ds: readonly ProtocolDiagnostic[]) => ds.map(d => d.code);

describe('tsserver plugin in the real tsserver', function () {
  this.timeout(120_000);

  let tmp: string;
  let probe: string;
  let bundle: string;
  const servers: TsServer[] = [];
  const logs: Record<string, string> = {};

  /** A project directory with a tsconfig.json, the repository's node_modules, and the given files. */
  function project(name: string, files: Record<string, string>, tsconfigExtra: Record<string, unknown> = {}): string {
    const dir = path.join(tmp, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const { plugins, ...rest } = tsconfigExtra as { plugins?: unknown };
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, ...(plugins ? { plugins } : {}) }, ...rest }, null, 2),
    );
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
    return dir;
  }

  function start(name: string, options: { globalPlugin?: boolean; probe?: boolean; env?: NodeJS.ProcessEnv } = {}): TsServer {
    logs[name] = path.join(tmp, `${name}.tsserver.log`);
    const args = ['--logVerbosity', 'normal', '--logFile', logs[name]];
    if (options.probe !== false) args.push('--pluginProbeLocations', probe);
    if (options.globalPlugin) args.push('--globalPlugins', PLUGIN_NAME);
    const server = new TsServer({ args, env: options.env });
    servers.push(server);
    return server;
  }

  const logOf = (name: string) => fs.readFileSync(logs[name], 'utf8');

  /** Opens a file (from disk) and returns its semantic diagnostics. */
  async function openAndCheck(server: TsServer, file: string): Promise<ProtocolDiagnostic[]> {
    await server.open(file, fs.readFileSync(file, 'utf8'));
    return server.semanticDiagnostics(file);
  }

  let globalServer: TsServer; // plugin as a global plugin
  let bareServer: TsServer; // no plugin: TypeScript's own answers
  let serverFile: string;
  let plainFile: string;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-architect-tsserver-'));
    probe = path.join(tmp, 'probe');
    bundle = path.join(await installPluginPackage(probe), 'index.js');
    const mcp = project('mcp', { 'server.ts': SERVER_TS, 'fix.ts': SERVER_TS.replace('forecast', 'forecast2'), 'fixall.ts': THREE_FETCHES_TS });
    serverFile = path.join(mcp, 'server.ts');
    plainFile = path.join(project('plain', { 'load.ts': PLAIN_TS }), 'load.ts');
    globalServer = start('global', { globalPlugin: true });
    bareServer = start('bare', { probe: false });
  });

  after(() => {
    for (const s of servers) s.kill();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('the built bundle', () => {
    it('uses the TypeScript module tsserver passes in and never loads its own', () => {
      const text = fs.readFileSync(bundle, 'utf8');
      assert.doesNotMatch(text, /require\(\s*["']typescript["']\s*\)/);
      assert.doesNotMatch(text, /["']typescript\/lib\//);
    });
    it('exports the plugin factory as module.exports, as tsserver expects', () => {
      const factory = require(bundle) as unknown;
      assert.equal(typeof factory, 'function');
      const plugin = (factory as (mod: { typescript: typeof ts }) => { create?: unknown; onConfigurationChanged?: unknown })({ typescript: ts });
      assert.equal(typeof plugin.create, 'function');
      assert.equal(typeof plugin.onConfigurationChanged, 'function');
    });
  });

  describe('loaded as a global plugin (--globalPlugins, --pluginProbeLocations)', () => {
    afterEach(() => globalServer.configurePlugin(PLUGIN_NAME, {}));

    it('adds findings to the semantic diagnostics with our source and code, and leaves TypeScript’s as they were', async () => {
      const withPlugin = await openAndCheck(globalServer, serverFile);
      const without = await openAndCheck(bareServer, serverFile);
      assert.deepEqual(typescriptOwn(withPlugin), without);
      assert.deepEqual(codesOf(without).sort(), [2322, 2552]);
      const fetchFindings = withPlugin.filter(d => d.code === FETCH_CODE);
      assert.equal(fetchFindings.length, 1);
      const [f] = fetchFindings;
      assert.equal(f.source, SOURCE);
      assert.equal(f.category, 'warning');
      assert.equal(SERVER_TS.slice(f.start, f.start + f.length), "fetch('https://api.example.com/forecast?city=paris')");
      assert.match(f.message, /signal/);
    });

    it('reports through geterr, the request VS Code uses, with our source in the event', async () => {
      await globalServer.open(serverFile, SERVER_TS);
      const seq = globalServer.send('geterr', { files: [serverFile], delay: 0 });
      const events = await globalServer.collectEvents(e => e.event === 'requestCompleted' && (e.body as { request_seq: number }).request_seq === seq);
      const semantic = events.find(e => e.event === 'semanticDiag' && (e.body as { file: string }).file === serverFile);
      assert.ok(semantic, `no semanticDiag event: ${events.map(e => e.event).join(', ')}`);
      const diags = (semantic.body as { diagnostics: Array<{ code: number; source?: string; category: string; start: { line: number } }> }).diagnostics;
      const f = diags.find(d => d.code === FETCH_CODE);
      assert.ok(f, JSON.stringify(diags));
      assert.equal(f.source, SOURCE);
      assert.equal(f.category, 'warning');
      assert.equal(f.start.line, 7);
      assert.ok(diags.some(d => d.code === 2322) && diags.some(d => d.code === 2552));
    });

    it('lists our codes as fixable, both for a file and without one (VS Code asks without)', async () => {
      await globalServer.open(serverFile, SERVER_TS);
      const global = await globalServer.request<string[]>('getSupportedCodeFixes', null);
      const forFile = await globalServer.request<string[]>('getSupportedCodeFixes', { file: serverFile });
      for (const rule of RULES) {
        assert.ok(global.includes(String(rule.meta.code)), `${rule.meta.code} missing from the global list`);
        assert.ok(forFile.includes(String(rule.meta.code)), `${rule.meta.code} missing from the file's list`);
      }
      assert.ok(global.includes('2552') && forFile.includes('2552'), 'TypeScript’s own codes are still listed');
    });

    it('offers a quick fix that removes the finding when applied, adding no TypeScript error', async () => {
      const file = path.join(path.dirname(serverFile), 'fix.ts');
      const text = fs.readFileSync(file, 'utf8');
      const before = await openAndCheck(globalServer, file);
      const finding = before.find(d => d.code === FETCH_CODE);
      assert.ok(finding);
      const actions = await globalServer.codeFixes(file, finding);
      const fix = actions.find(a => a.fixName === `mcp-architect/${FETCH_RULE}`);
      assert.ok(fix, JSON.stringify(actions));
      assert.match(fix.description, /timeout/i);
      assert.equal(fix.fixId, undefined, 'no fix-all for a single finding');
      const fixed = applyCodeEdits(text, file, fix.changes);
      assert.match(fixed, /fetch\('https:\/\/api\.example\.com\/forecast\?city=paris', \{ signal: AbortSignal\.timeout\(30_000\) \}\)/);
      await globalServer.replaceText(file, text, fixed);
      const after = await globalServer.semanticDiagnostics(file);
      assert.equal(after.filter(d => d.code === FETCH_CODE).length, 0);
      assert.deepEqual(codesOf(typescriptOwn(after)), codesOf(typescriptOwn(before)));
    });

    it('asked with the cursor inside the finding (an empty range), offers the same fix', async () => {
      const diags = await openAndCheck(globalServer, serverFile);
      const finding = diags.find(d => d.code === FETCH_CODE)!;
      const cursor = { ...finding, endLocation: { ...finding.startLocation, offset: finding.startLocation.offset + 3 }, startLocation: { ...finding.startLocation, offset: finding.startLocation.offset + 3 } };
      const actions = await globalServer.codeFixes(serverFile, cursor);
      assert.ok(actions.some(a => a.fixName === `mcp-architect/${FETCH_RULE}`));
    });

    it('keeps TypeScript’s own quick fixes', async () => {
      const diags = await openAndCheck(globalServer, serverFile);
      const misspelt = diags.find(d => d.code === 2552)!;
      const actions = await globalServer.codeFixes(serverFile, misspelt);
      assert.ok(actions.some(a => a.fixName === 'spelling' && /console/.test(a.description)), JSON.stringify(actions));
      assert.ok(!actions.some(a => a.fixName.startsWith('mcp-architect/')));
    });

    it('fixes every finding of a rule in the file at once (fix-all with a fixId per rule)', async () => {
      const file = path.join(path.dirname(serverFile), 'fixall.ts');
      const before = await openAndCheck(globalServer, file);
      const findings = before.filter(d => d.code === FETCH_CODE);
      assert.equal(findings.length, 3);
      const actions = await globalServer.codeFixes(file, findings[1]);
      const fix = actions.find(a => a.fixName === `mcp-architect/${FETCH_RULE}`);
      assert.equal(fix?.fixId, `mcp-architect/${FETCH_RULE}`);
      assert.ok(fix?.fixAllDescription);
      const combined = await globalServer.combinedCodeFix(file, fix.fixId);
      const fixed = applyCodeEdits(THREE_FETCHES_TS, file, combined.changes);
      assert.equal((fixed.match(/signal: AbortSignal\.timeout\(30_000\)/g) ?? []).length, 3, fixed);
      await globalServer.replaceText(file, THREE_FETCHES_TS, fixed);
      const after = await globalServer.semanticDiagnostics(file);
      assert.deepEqual(after.filter(d => d.code === FETCH_CODE), []);
      assert.deepEqual(typescriptOwn(after), typescriptOwn(before));
    });

    it('leaves programs that are not MCP servers alone by default (scope "mcp")', async () => {
      const withPlugin = await openAndCheck(globalServer, plainFile);
      assert.deepEqual(withPlugin, await openAndCheck(bareServer, plainFile));
      assert.deepEqual(ours(withPlugin), []);
    });

    it('checks JavaScript files of inferred projects (no tsconfig.json) too', async () => {
      const dir = path.join(tmp, 'js-no-config');
      fs.mkdirSync(dir);
      fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      const file = path.join(dir, 'server.mjs');
      fs.writeFileSync(file, "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nexport const server = new McpServer({ name: 'js', version: '1.0.0' });\nexport const load = url => fetch(url);\n");
      const diags = await openAndCheck(globalServer, file);
      const f = diags.find(d => d.code === FETCH_CODE);
      assert.equal(f?.source, SOURCE);
      assert.deepEqual(typescriptOwn(diags), await openAndCheck(bareServer, file));
    });

    it('counts an MCP SDK dependency in the project’s package.json as an MCP program', async () => {
      const dir = project('pkg', { 'load.ts': PLAIN_TS });
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'tools', dependencies: { '@modelcontextprotocol/sdk': '^1.0.0' } }));
      const diags = await openAndCheck(globalServer, path.join(dir, 'load.ts'));
      assert.ok(ours(diags).some(d => d.code === FETCH_CODE), JSON.stringify(diags));
    });

    describe('settings from configurePlugin', () => {
      const configure = (severity: string) => globalServer.configurePlugin(PLUGIN_NAME, { severities: { [FETCH_RULE]: severity } });

      it('"off" removes the rule’s findings; TypeScript’s stay', async () => {
        await openAndCheck(globalServer, serverFile);
        await configure('off');
        const diags = await globalServer.semanticDiagnostics(serverFile);
        assert.deepEqual(ours(diags).filter(d => d.code === FETCH_CODE), []);
        assert.deepEqual(codesOf(typescriptOwn(diags)).sort(), [2322, 2552]);
        assert.deepEqual(ours(await globalServer.suggestionDiagnostics(serverFile)).filter(d => d.code === FETCH_CODE), []);
      });

      it('"error" reports with the error category', async () => {
        await openAndCheck(globalServer, serverFile);
        await configure('error');
        const f = (await globalServer.semanticDiagnostics(serverFile)).find(d => d.code === FETCH_CODE);
        assert.equal(f?.category, 'error');
      });

      it('"info" stays in the semantic list with the suggestion category (editors render "message" as an error)', async () => {
        await openAndCheck(globalServer, serverFile);
        await configure('info');
        const f = (await globalServer.semanticDiagnostics(serverFile)).find(d => d.code === FETCH_CODE);
        assert.equal(f?.category, 'suggestion');
        assert.equal(f?.source, SOURCE);
      });

      it('"hint" moves the finding to the suggestion diagnostics', async () => {
        await openAndCheck(globalServer, serverFile);
        await configure('hint');
        assert.equal((await globalServer.semanticDiagnostics(serverFile)).filter(d => d.code === FETCH_CODE).length, 0);
        const suggestions = await globalServer.suggestionDiagnostics(serverFile);
        const f = suggestions.find(d => d.code === FETCH_CODE);
        assert.equal(f?.category, 'suggestion');
        assert.equal(f?.source, SOURCE);
        const actions = await globalServer.codeFixes(serverFile, f!);
        assert.ok(actions.some(a => a.fixName === `mcp-architect/${FETCH_RULE}`), 'hints have quick fixes too');
      });

      it('"enabled": false turns every finding and fix off', async () => {
        const before = await openAndCheck(globalServer, serverFile);
        const finding = before.find(d => d.code === FETCH_CODE)!;
        await globalServer.configurePlugin(PLUGIN_NAME, { enabled: false });
        const diags = await globalServer.semanticDiagnostics(serverFile);
        assert.deepEqual(diags, typescriptOwn(before));
        assert.deepEqual(ours(await globalServer.suggestionDiagnostics(serverFile)), []);
        assert.deepEqual(await globalServer.codeFixes(serverFile, finding), []);
      });

      it('"scope": "all" checks programs that are not MCP servers', async () => {
        await openAndCheck(globalServer, plainFile);
        await globalServer.configurePlugin(PLUGIN_NAME, { scope: 'all' });
        assert.ok(ours(await globalServer.semanticDiagnostics(plainFile)).some(d => d.code === FETCH_CODE));
      });

      it('ignores an invalid value with a message in the tsserver log and applies the valid ones', async () => {
        await openAndCheck(globalServer, plainFile);
        await globalServer.configurePlugin(PLUGIN_NAME, { scope: 'all', severities: { [FETCH_RULE]: 'loud' } });
        const f = (await globalServer.semanticDiagnostics(plainFile)).find(d => d.code === FETCH_CODE);
        assert.equal(f?.category, 'warning');
        assert.match(logOf('global'), /severity of "fetch-without-timeout" must be one of off, hint, info, warning, error, got "loud"; ignored/);
      });
    });
  });

  describe('loaded from tsconfig.json compilerOptions.plugins', () => {
    let server: TsServer;
    let configuredFile: string;
    before(() => {
      const plugins = [{ name: PLUGIN_NAME, severities: { [FETCH_RULE]: 'error' } }];
      configuredFile = path.join(project('configured', { 'server.ts': SERVER_TS }, { plugins }), 'server.ts');
      server = start('configured'); // probe location only: the tsconfig.json entry loads the plugin
    });

    it('loads the plugin and applies the entry’s settings', async () => {
      const diags = await openAndCheck(server, configuredFile);
      const f = diags.find(d => d.code === FETCH_CODE);
      assert.equal(f?.source, SOURCE);
      assert.equal(f?.category, 'error');
      assert.deepEqual(codesOf(typescriptOwn(diags)).sort(), [2322, 2552]);
    });

    it('lets editor settings override the entry key by key, and falls back to the entry when they are cleared', async () => {
      await openAndCheck(server, configuredFile);
      await server.configurePlugin(PLUGIN_NAME, { severities: { [FETCH_RULE]: 'warning' } });
      assert.equal((await server.semanticDiagnostics(configuredFile)).find(d => d.code === FETCH_CODE)?.category, 'warning');
      await server.configurePlugin(PLUGIN_NAME, {});
      assert.equal((await server.semanticDiagnostics(configuredFile)).find(d => d.code === FETCH_CODE)?.category, 'error');
    });

    it('decorates once when created twice for one project (listed twice, then the project reloaded)', async () => {
      const plugins = [{ name: PLUGIN_NAME }, { name: PLUGIN_NAME }];
      const file = path.join(project('twice', { 'server.ts': SERVER_TS }, { plugins }), 'server.ts');
      const diags = await openAndCheck(server, file);
      assert.equal(diags.filter(d => d.code === FETCH_CODE).length, 1);
      server.send('reloadProjects');
      const reloaded = await server.semanticDiagnostics(file);
      assert.equal(reloaded.filter(d => d.code === FETCH_CODE).length, 1);
      assert.deepEqual(typescriptOwn(reloaded), typescriptOwn(diags));
      assert.match(logOf('configured'), /is already decorated/);
    });
  });

  describe('failures inside the plugin never break tsserver', () => {
    it('a rule that throws is logged and skipped; TypeScript’s diagnostics and the other rules are intact', async () => {
      const server = start('throwing-rule', { globalPlugin: true, env: { [TEST_FAULT_ENV]: 'throwing-rule' } });
      const diags = await openAndCheck(server, serverFile);
      assert.deepEqual(typescriptOwn(diags), await openAndCheck(bareServer, serverFile));
      assert.equal(diags.filter(d => d.code === FETCH_CODE && d.source === SOURCE).length, 1);
      assert.ok(!diags.some(d => d.code === 61999));
      assert.match(logOf('throwing-rule'), /rule test-throwing-rule failed on .*server\.ts and was skipped: Error: test-throwing-rule: injected rule failure/);
      const actions = await server.codeFixes(serverFile, diags.find(d => d.code === FETCH_CODE)!);
      assert.ok(actions.some(a => a.fixName === `mcp-architect/${FETCH_RULE}`));
    });

    it('when the plugin’s own analysis throws, every answer is TypeScript’s, unchanged', async () => {
      const server = start('throwing-analysis', { globalPlugin: true, env: { [TEST_FAULT_ENV]: 'throwing-analysis' } });
      const diags = await openAndCheck(server, serverFile);
      const bare = await openAndCheck(bareServer, serverFile);
      assert.deepEqual(diags, bare);
      assert.deepEqual(await server.suggestionDiagnostics(serverFile), await bareServer.suggestionDiagnostics(serverFile));
      const misspelt = diags.find(d => d.code === 2552)!;
      assert.deepEqual(await server.codeFixes(serverFile, misspelt), await bareServer.codeFixes(serverFile, misspelt));
      assert.match(logOf('throwing-analysis'), /semantic diagnostics of .*server\.ts failed; TypeScript's are returned unchanged: Error: MCP_ARCHITECT_TSSERVER_PLUGIN_TEST_FAULT: injected analysis failure/);
    });
  });

  describe('every registered rule', () => {
    // Each rule's "Bad" example from its documentation page, as a file of one MCP server project: what the
    // plugin reports and offers through tsserver must be exactly what the analysis core computes for the
    // same program, with a type checker, as the plugin runs it.
    const analyzedFindings = new Map<string, Finding[]>();
    let dir: string;

    const badExample = (id: string): string | undefined => {
      const page = path.join(REPO_ROOT, 'docs/rules', `${id}.md`);
      if (!fs.existsSync(page)) return undefined;
      const m = /^## Bad\s*\n+```[a-z]*\n([\s\S]*?)```/m.exec(fs.readFileSync(page, 'utf8'));
      return m?.[1];
    };

    before(() => {
      const files: Record<string, string> = {};
      for (const rule of RULES) {
        const example = badExample(rule.meta.id);
        if (example === undefined) continue;
        files[`${rule.meta.id}.ts`] = /@modelcontextprotocol|fastmcp|mcp-framework/.test(example) ? example : MCP_STDIO_HEADER + example;
      }
      assert.ok(files[`${FETCH_RULE}.ts`], 'the fetch-without-timeout page has a Bad example');
      dir = project('rules', files);
      const fileNames = Object.keys(files).map(f => path.join(dir, f));
      const parsed = ts.parseJsonConfigFileContent({ compilerOptions: COMPILER_OPTIONS }, ts.sys, dir);
      const program = ts.createProgram(fileNames, parsed.options);
      const facts = mergeFacts(
        program
          .getSourceFiles()
          .filter(sf => !sf.isDeclarationFile && !program.isSourceFileFromExternalLibrary(sf) && !sf.fileName.includes('/node_modules/'))
          .map(sf => fileFacts(ts, sf)),
      );
      for (const fileName of fileNames) {
        const sourceFile = program.getSourceFile(fileName)!;
        analyzedFindings.set(fileName, analyzeSourceFile({ ts, sourceFile, checker: program.getTypeChecker() }, { project: facts }));
      }
    });

    it('reports through tsserver exactly what the analysis core reports, at the same places and severities', async () => {
      const category: Record<Severity, string> = { error: 'semantic error', warning: 'semantic warning', info: 'semantic suggestion', hint: 'suggestion suggestion' };
      const fired = new Set<number>();
      for (const [fileName, findings] of analyzedFindings) {
        const expected = findings.map(f => `${f.code} ${f.start}+${f.end - f.start} ${category[f.severity]}`).sort();
        const semantic = ours(await openAndCheck(globalServer, fileName)).map(d => `${d.code} ${d.start}+${d.length} semantic ${d.category}`);
        const suggestion = ours(await globalServer.suggestionDiagnostics(fileName)).map(d => `${d.code} ${d.start}+${d.length} suggestion ${d.category}`);
        assert.deepEqual([...semantic, ...suggestion].sort(), expected, path.basename(fileName));
        for (const f of findings) fired.add(f.code);
      }
      assert.ok(fired.has(FETCH_CODE));
    });

    it('offers through tsserver every quick fix the analysis core offers, with the same edits', async () => {
      let checked = 0;
      for (const fileName of analyzedFindings.keys()) {
        const name = path.basename(fileName);
        const text = fs.readFileSync(fileName, 'utf8');
        await globalServer.open(fileName, text);
        const reported = [...ours(await globalServer.semanticDiagnostics(fileName)), ...ours(await globalServer.suggestionDiagnostics(fileName))];
        for (const d of reported) {
          const finding = analyzedFindings.get(fileName)?.find(f => f.code === d.code && f.start === d.start && f.end - f.start === d.length);
          assert.ok(finding, `${name}: ${d.code} at ${d.start} is not a finding of the analysis core`);
          if (finding.fixes.length === 0) continue;
          const actions = (await globalServer.codeFixes(fileName, d)).filter(a => a.fixName === `mcp-architect/${finding.ruleId}`);
          for (const fix of finding.fixes) {
            const expected = fix.edits.map(e => ({ start: locationAt(text, e.start), end: locationAt(text, e.end), newText: e.newText }));
            const match = actions.find(a => a.description === fix.title && JSON.stringify(a.changes[0]?.textChanges) === JSON.stringify(expected));
            assert.ok(match, `${name}: fix "${fix.title}" of ${finding.ruleId} not offered as computed: ${JSON.stringify(actions)}`);
            checked++;
          }
        }
      }
      assert.ok(checked > 0);
    });
  });
});
