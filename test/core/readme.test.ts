import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withTable } from '../../scripts/readme-rules';
import { REPO_ROOT } from '../helpers/rules';

describe('README', () => {
  it('has the rules table generated from rule metadata (run `npx tsx scripts/readme-rules.ts --write`)', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    assert.equal(readme, withTable(readme));
  });
});
