// The loader and the build plugin: valid playbooks load, invalid ones fail with messages that say what and where.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { stringify } from 'yaml';
import {
  PlaybookValidationError,
  checkPlaybooks,
  defaultPlaybooksDir,
  formatPlaybookProblem,
  loadPlaybooks,
  parsePlaybooks,
} from '../../src/core/playbook-loader';
import { PLAYBOOKS } from '../../src/core/playbook-data';
import schema from '../../src/core/playbook-schema.json';
import {
  THEMES,
  THRESHOLD_KINDS,
  THRESHOLD_UNITS,
  type Checklist,
  type ChecklistItem,
  type Playbook,
  type PlaybookSection,
  type Threshold,
} from '../../src/core/playbooks';
import { proactiveTriggers, readPersonaOutline } from './persona-outline';
import { REPO_ROOT } from '../helpers/rules';

/** A small valid playbook; tests break one thing at a time. */
function validPlaybook(id = 'sample-playbook'): Record<string, unknown> {
  return {
    id,
    title: 'Sample playbook',
    theme: 'resilience',
    source: 'Some heading',
    summary: 'What it is for.',
    when_to_use: ['Always.'],
    sections: [{ id: 'first-step', title: 'First', steps: ['Do the thing.'] }],
    thresholds: [{ name: 'Timeout', value: '30 s', number: 30, unit: 's', kind: 'limit', section: 'first-step' }],
    checklists: [{ id: 'check', title: 'Check', items: [{ id: 'done', text: 'The thing is done.' }] }],
    rules: [],
    snippets: ['mcp-circuit-breaker'],
  };
}

function problemsOf(text: string, fileName = 'sample-playbook.yaml', extra: Array<{ fileName: string; text: string }> = []): string[] {
  return checkPlaybooks([{ fileName, text }, ...extra]).problems.map(formatPlaybookProblem);
}

function expectProblem(text: string, pattern: RegExp, fileName?: string): void {
  const problems = problemsOf(text, fileName);
  assert.ok(problems.some(p => pattern.test(p)), `expected a problem matching ${pattern}, got:\n${problems.join('\n') || '(none)'}`);
}

describe('playbook loader', () => {
  it('loads the shipped playbooks, sorted by id, as plain data', () => {
    const loaded = loadPlaybooks();
    assert.equal(loaded.length, 24);
    assert.deepEqual(loaded.map(p => p.id), [...loaded.map(p => p.id)].sort());
    assert.deepEqual(JSON.parse(JSON.stringify(loaded)), loaded, 'JSON round trip loses nothing');
    assert.equal(defaultPlaybooksDir(), path.join(REPO_ROOT, 'media/playbooks'));
  });

  it('gives the same data through playbook-data when run unbundled', () => {
    assert.deepEqual(PLAYBOOKS, loadPlaybooks());
  });

  it('accepts a valid playbook', () => {
    assert.deepEqual(problemsOf(stringify(validPlaybook())), []);
    assert.equal(parsePlaybooks([{ fileName: 'sample-playbook.yaml', text: stringify(validPlaybook()) }])[0].id, 'sample-playbook');
  });

  it('reports a missing property with file, line and path', () => {
    const p = validPlaybook();
    delete (p.sections as Array<Record<string, unknown>>)[0].steps;
    const text = stringify(p);
    const line = text.split('\n').findIndex(l => l.includes('id: first-step')) + 1;
    expectProblem(text, new RegExp(`^sample-playbook\\.yaml:${line}:\\d+: sections\\[0\\]: missing required property "steps"$`));
  });

  it('reports an unknown property and lists the allowed ones', () => {
    expectProblem(stringify({ ...validPlaybook(), summery: 'typo' }), /: summery: unknown property "summery" \(allowed: id, title, theme, .*summary.*\)/);
  });

  it('reports a theme outside the fixed set with the allowed values', () => {
    expectProblem(stringify({ ...validPlaybook(), theme: 'misc' }), /theme: "misc" is not one of: principles, resilience, .*outcomes/);
  });

  it('reports ids that are not kebab-case', () => {
    const p = validPlaybook();
    (p.sections as Array<Record<string, unknown>>)[0].id = 'First Step';
    expectProblem(stringify(p), /sections\[0\]\.id: "First Step" is not a kebab-case id/);
  });

  it('reports wrong types, empty lists and blank text', () => {
    expectProblem(stringify({ ...validPlaybook(), when_to_use: 'Always.' }), /when_to_use: must be a list, not text "Always\."/);
    expectProblem(stringify({ ...validPlaybook(), checklists: [] }), /checklists: must list at least 1 item/);
    expectProblem(stringify({ ...validPlaybook(), summary: '   ' }), /summary: must not be blank/);
    expectProblem(stringify({ ...validPlaybook(), snippets: ['circuit-breaker'] }), /snippets\[0\]: "circuit-breaker" is not a snippet prefix/);
  });

  it('reports a threshold number without its unit', () => {
    const p = validPlaybook();
    p.thresholds = [{ name: 'Timeout', value: '30 s', number: 30, kind: 'limit' }];
    expectProblem(stringify(p), /thresholds\[0\]: "number" needs "unit" as well/);
  });

  it('reports duplicates, dangling section references and an id that does not match the file name', () => {
    const p = validPlaybook();
    p.sections = [...(p.sections as unknown[]), { id: 'first-step', title: 'Again', steps: ['x'] }];
    p.thresholds = [{ name: 'Timeout', value: '30 s', kind: 'limit', section: 'nowhere' }];
    const problems = problemsOf(stringify(p), 'other-name.yaml');
    for (const pattern of [
      /other-name\.yaml:\d+:\d+: id: the id "sample-playbook" must match the file name "other-name\.yaml"/,
      /sections\[1\]\.id: duplicate section id "first-step"/,
      /thresholds\[0\]\.section: no section "nowhere" in this playbook \(sections: first-step\)/,
    ]) {
      assert.ok(problems.some(x => pattern.test(x)), `${pattern} not in:\n${problems.join('\n')}`);
    }
  });

  it('reports related playbooks that do not exist, and accepts ones that do', () => {
    const a = stringify({ ...validPlaybook('a-playbook'), related: ['b-playbook', 'missing-playbook'] });
    const b = stringify(validPlaybook('b-playbook'));
    const problems = problemsOf(a, 'a-playbook.yaml', [{ fileName: 'b-playbook.yaml', text: b }]);
    assert.deepEqual(problems.map(p => p.replace(/:\d+:\d+/, '')), ['a-playbook.yaml: related[1]: no playbook has the id "missing-playbook"']);
  });

  it('reports YAML syntax errors and duplicate keys with their line', () => {
    expectProblem('id: x\ntitle: [unclosed\n', /^sample-playbook\.yaml:\d+:\d+: YAML: /);
    const dup = `${stringify(validPlaybook())}title: Twice\n`;
    const line = dup.trimEnd().split('\n').length;
    expectProblem(dup, new RegExp(`^sample-playbook\\.yaml:${line}:1: YAML: duplicate key "title"$`));
    expectProblem('', /sample-playbook\.yaml: the file is empty/);
  });

  it('throws one error that lists every problem of every file', () => {
    const bad1 = stringify({ ...validPlaybook('one-playbook'), theme: 'misc' });
    const bad2 = stringify({ ...validPlaybook('two-playbook'), title: 5 });
    assert.throws(
      () => parsePlaybooks([{ fileName: 'one-playbook.yaml', text: bad1 }, { fileName: 'two-playbook.yaml', text: bad2 }]),
      (e: unknown) => {
        assert.ok(e instanceof PlaybookValidationError);
        assert.equal(e.problems.length, 2);
        assert.match(e.message, /^2 problems in the playbooks:\n {2}one-playbook\.yaml:\d+:\d+: theme: .*\n {2}two-playbook\.yaml:\d+:\d+: title: must be text, not number 5$/);
        return true;
      },
    );
  });

  it('refuses a directory with .yml files or no playbooks at all', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'playbooks-'));
    try {
      assert.throws(() => loadPlaybooks(dir), /no playbook files found/);
      fs.writeFileSync(path.join(dir, 'sample-playbook.yml'), stringify(validPlaybook()));
      assert.throws(() => loadPlaybooks(dir), /sample-playbook\.yml: playbook files end in "\.yaml"/);
      assert.throws(() => loadPlaybooks(path.join(dir, 'absent')), /cannot read the playbooks directory/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('playbooks esbuild plugin', () => {
  type PluginModule = { playbooksPlugin: (options?: { dir?: string }) => esbuild.Plugin };
  const pluginModule = (): Promise<PluginModule> => import(pathToFileURL(path.join(REPO_ROOT, 'scripts/esbuild-playbooks.mjs')).href);

  async function bundle(plugin: esbuild.Plugin, contents: string, platform: esbuild.Platform = 'node') {
    return esbuild.build({
      stdin: { contents, resolveDir: REPO_ROOT, loader: 'ts', sourcefile: 'entry.ts' },
      bundle: true,
      write: false,
      platform,
      format: 'cjs',
      logLevel: 'silent',
      plugins: [plugin],
    });
  }

  function run(code: string): Record<string, unknown> {
    const mod = { exports: {} as Record<string, unknown> };
    new Function('module', 'exports', code)(mod, mod.exports);
    return mod.exports;
  }

  it('inlines the validated playbooks for both import forms, with no loader code in the bundle', async () => {
    const { playbooksPlugin } = await pluginModule();
    const result = await bundle(
      playbooksPlugin(),
      "import virtual from 'mcp-architect:playbooks';\nimport { PLAYBOOKS } from './src/core/playbook-data';\nmodule.exports = { virtual, PLAYBOOKS };",
      'browser',
    );
    const code = result.outputFiles[0].text;
    for (const absent of ['readdirSync', 'parseDocument', 'ajv']) assert.ok(!code.includes(absent), `bundle contains ${absent}`);
    const out = run(code);
    const expected = loadPlaybooks();
    assert.deepEqual(out.virtual, expected);
    assert.deepEqual(out.PLAYBOOKS, expected);
  });

  it('fails the build on invalid playbooks, naming file, line and problem', async () => {
    const { playbooksPlugin } = await pluginModule();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'playbooks-'));
    try {
      fs.writeFileSync(path.join(dir, 'sample-playbook.yaml'), stringify({ ...validPlaybook(), theme: 'misc' }));
      await assert.rejects(bundle(playbooksPlugin({ dir }), "import p from 'mcp-architect:playbooks'; console.log(p);"), (e: unknown) => {
        const errors = (e as esbuild.BuildFailure).errors;
        assert.equal(errors.length, 1);
        assert.match(errors[0].text, /^Invalid playbook: theme: "misc" is not one of: /);
        assert.match(errors[0].location?.file ?? '', /sample-playbook\.yaml$/);
        assert.equal(errors[0].location?.line, 3);
        return true;
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('playbook schema and types', () => {
  it('describe the same fields and values', () => {
    const defs = schema.definitions;
    const keys = (o: object) => Object.keys(o).sort();
    const playbookFields: Record<keyof Playbook, true> = {
      id: true, title: true, theme: true, source: true, senior_rule: true, provenance: true, summary: true, when_to_use: true,
      triggers: true, sections: true, thresholds: true, checklists: true, rules: true, snippets: true, related: true,
    };
    const sectionFields: Record<keyof PlaybookSection, true> = { id: true, title: true, source: true, steps: true };
    const thresholdFields: Record<keyof Threshold, true> = { name: true, value: true, number: true, unit: true, kind: true, section: true, note: true };
    const checklistFields: Record<keyof Checklist, true> = { id: true, title: true, source: true, items: true };
    const itemFields: Record<keyof ChecklistItem, true> = { id: true, text: true, rules: true };
    assert.deepEqual(keys(schema.properties), keys(playbookFields));
    assert.deepEqual(keys(defs.section.properties), keys(sectionFields));
    assert.deepEqual(keys(defs.threshold.properties), keys(thresholdFields));
    assert.deepEqual(keys(defs.checklist.properties), keys(checklistFields));
    assert.deepEqual(keys(defs.checklist.properties.items.items.properties), keys(itemFields));
    assert.deepEqual(schema.properties.theme.enum, THEMES.map(t => t.id));
    assert.deepEqual(defs.threshold.properties.kind.enum, Object.keys(THRESHOLD_KINDS));
    assert.deepEqual(defs.threshold.properties.unit.enum, [...THRESHOLD_UNITS]);
  });

  it('allows exactly the proactive triggers of the persona', () => {
    assert.deepEqual(schema.properties.triggers.items.enum, proactiveTriggers(readPersonaOutline()));
  });
});
