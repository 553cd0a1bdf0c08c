// Fix-all: how the first fixes of several findings are combined into one set of edits.
import * as assert from 'node:assert/strict';
import { combineFixes } from '../../src/tsserver-plugin/decorator';

const insert = (at: number, newText: string) => ({ start: at, end: at, newText });

describe('tsserver plugin fix-all edits', () => {
  it('takes every fix when none touch the same text, in document order', () => {
    const edits = combineFixes([
      { title: 'b', edits: [insert(40, ', { signal }')] },
      { title: 'a', edits: [insert(10, ', { signal }')] },
    ]);
    assert.deepEqual(edits.map(e => e.start), [10, 40]);
  });

  it('shares an edit two fixes both make (the same import line) instead of repeating it', () => {
    const importLine = insert(0, "import { setTimeout } from 'node:timers/promises';\n");
    const edits = combineFixes([
      { title: 'a', edits: [importLine, insert(30, 'x')] },
      { title: 'b', edits: [importLine, insert(50, 'y')] },
      { title: 'a again', edits: [importLine, insert(30, 'x')] },
    ]);
    assert.deepEqual(edits, [importLine, insert(30, 'x'), insert(50, 'y')]);
  });

  it('leaves a fix whose edits overlap a taken one, whole, for the next run', () => {
    const edits = combineFixes([
      { title: 'outer', edits: [{ start: 10, end: 30, newText: 'replaced' }] },
      { title: 'inner', edits: [insert(60, 'kept?'), { start: 20, end: 25, newText: 'inner' }] },
      { title: 'same spot', edits: [insert(10, 'ambiguous order')] },
    ]);
    assert.deepEqual(edits, [{ start: 10, end: 30, newText: 'replaced' }]);
  });

  it('skips findings without a fix', () => {
    assert.deepEqual(combineFixes([undefined, { title: 'empty', edits: [] }]), []);
  });
});
