// Keeps rules, their files, their documentation pages and their playbooks consistent.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../src/core/rules';
import { REPO_ROOT } from '../helpers/rules';

const rulesDir = path.join(REPO_ROOT, 'src/core/rules');
const ruleFiles = fs.readdirSync(rulesDir).filter(f => f.endsWith('.ts') && f !== 'index.ts').map(f => f.replace(/\.ts$/, ''));

describe('rule metadata', () => {
  it('registers every rule file, and each rule lives in the file named by its id', () => {
    assert.deepEqual([...RULES.map(r => r.meta.id)].sort(), [...ruleFiles].sort());
    for (const id of ruleFiles) {
      const mod = require(path.join(rulesDir, id)) as { rule?: { meta: { id: string } } };
      assert.equal(mod.rule?.meta.id, id, `${id}.ts must export \`rule\` with meta.id '${id}'`);
    }
  });

  it('has unique kebab-case ids and unique codes in the 61000 range', () => {
    const ids = new Set<string>();
    const codes = new Set<number>();
    for (const { meta } of RULES) {
      assert.match(meta.id, /^[a-z]+(-[a-z0-9]+)*$/);
      assert.ok(meta.code >= 61000 && meta.code < 62000, `${meta.id}: code ${meta.code}`);
      assert.ok(!ids.has(meta.id) && !codes.has(meta.code), `duplicate ${meta.id}/${meta.code}`);
      ids.add(meta.id);
      codes.add(meta.code);
      assert.ok(['error', 'warning', 'info', 'hint'].includes(meta.defaultSeverity));
      assert.ok(meta.message.length > 20 && meta.description.length > 10);
      assert.ok(meta.languages.length > 0);
    }
  });

  for (const { meta } of RULES) {
    it(`${meta.id}: has a documentation page with why, bad, good, fix and its playbook`, () => {
      const page = path.join(REPO_ROOT, 'docs/rules', `${meta.id}.md`);
      assert.ok(fs.existsSync(page), `missing ${page}`);
      const md = fs.readFileSync(page, 'utf8');
      assert.ok(md.startsWith(`# ${meta.id}\n`), 'page starts with the rule id as its title');
      assert.ok(md.includes(String(meta.code)), 'page names the code');
      for (const heading of ['## Why it matters', '## Bad', '## Good', '## The fix']) assert.ok(md.includes(heading), `missing "${heading}"`);
      const playbookId = meta.playbook.split('#')[0];
      assert.ok(md.includes(`playbooks/${playbookId}.yaml`), 'page links its playbook');
    });

    it(`${meta.id}: links a playbook (and section) that exists`, () => {
      const [playbookId, section] = meta.playbook.split('#');
      const file = path.join(REPO_ROOT, 'media/playbooks', `${playbookId}.yaml`);
      assert.ok(fs.existsSync(file), `missing playbook ${file}`);
      if (section) assert.match(fs.readFileSync(file, 'utf8'), new RegExp(`\\bid: ${section}\\b`), `playbook ${playbookId} has no section '${section}'`);
    });
  }
});
