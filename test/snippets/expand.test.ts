// Snippet syntax as VS Code reads it: parsing, expansion with placeholder defaults, variables, escapes, transforms;
// and the data access of src/core/snippets.ts.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  SNIPPET_FILES,
  SNIPPET_LANGUAGES,
  SnippetSyntaxError,
  defaultVariables,
  expandSnippet,
  getSnippet,
  listSnippets,
  parseSnippet,
  snippetLanguageOf,
  snippetsFromFile,
} from '../../src/core/snippets';
import { REPO_ROOT } from '../helpers/rules';

const NOW = new Date(2025, 0, 9, 7, 5, 3); // local time: 2025-01-09 07:05:03

function expand(body: string, fileName = '/work/src/orders-server.ts'): string {
  return expandSnippet(body, { fileName, now: NOW });
}

describe('snippet expansion', () => {
  describe('tab stops and placeholders', () => {
    it('drops bare tab stops and the final tab stop', () => {
      assert.equal(expand('a$1b${2}c$0d'), 'abcd');
    });
    it('inserts placeholder defaults, nested ones included', () => {
      assert.equal(expand('const ${1:name} = ${2:new ${3:Map}()};'), 'const name = new Map();');
    });
    it('mirrors a placeholder to the other occurrences of its tab stop, before or after it', () => {
      assert.equal(expand('$1 = ${1:limiter}; export { $1 };'), 'limiter = limiter; export { limiter };');
    });
    it('takes the first option of a choice', () => {
      assert.equal(expand('readOnlyHint: ${1|true,false|}, mirror: $1'), 'readOnlyHint: true, mirror: true');
    });
    it('takes typed text for a tab stop instead of its default, mirrors included', () => {
      assert.equal(expandSnippet('const ${1:LIMIT} = ${2:${3:10}_000}; use($1, ${4|a,b|})', { tabStops: { 1: 'MAX', 2: '5', 4: 'b' } }), 'const MAX = 5; use(MAX, b)');
    });
    it('keeps the default of a final tab stop with a placeholder', () => {
      assert.equal(expand('x${0:done}y'), 'xdoney');
    });
  });

  describe('escapes and literal dollars', () => {
    it('unescapes \\$, \\} and \\\\', () => {
      assert.equal(expand('`\\${a}` ${1:x\\}y} \\\\n'), '`${a}` x}y \\n');
    });
    it('treats a $ that starts no construct, and a } outside a placeholder, as text', () => {
      assert.equal(expand('cost: $ 5, ${ open, $-1, a}b, /^x$/'), 'cost: $ 5, ${ open, $-1, a}b, /^x$/');
    });
    it('treats an unclosed placeholder as text and still reads what follows', () => {
      assert.equal(expand('${1:a ${2:b}'), '${1:a b');
    });
    it('unescapes , and | inside a choice', () => {
      assert.equal(expand('${1|a\\,b\\|c,d|}'), 'a,b|c');
    });
  });

  describe('variables', () => {
    it('gives file variables from the file name', () => {
      assert.equal(expand('$TM_FILENAME ${TM_FILENAME_BASE} $TM_DIRECTORY $TM_FILEPATH'), 'orders-server.ts orders-server /work/src /work/src/orders-server.ts');
    });
    it('uses a default when the variable is empty, and the value otherwise', () => {
      assert.equal(expand('${TM_SELECTED_TEXT:nothing} ${TM_FILENAME_BASE:fallback}'), 'nothing orders-server');
    });
    it('gives date variables from the clock', () => {
      assert.equal(expand('$CURRENT_YEAR-$CURRENT_MONTH-$CURRENT_DATE $CURRENT_HOUR:$CURRENT_MINUTE:$CURRENT_SECOND $CURRENT_MONTH_NAME_SHORT'), '2025-01-09 07:05:03 Jan');
    });
    it('gives comment variables for the language', () => {
      assert.equal(expandSnippet('$LINE_COMMENT $BLOCK_COMMENT_START', { language: 'python' }), '# """');
      assert.equal(expandSnippet('$LINE_COMMENT $BLOCK_COMMENT_END', { language: 'javascript' }), '// */');
    });
    it('gives random variables of the documented shape', () => {
      const [uuid, random, hex] = expand('$UUID $RANDOM $RANDOM_HEX').split(' ');
      assert.match(uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.match(random, /^\d{6}$/);
      assert.match(hex, /^[0-9a-f]{6}$/);
    });
    it('inserts an unknown variable as its name (or its default), as VS Code does', () => {
      assert.equal(expand('$NOT_A_VARIABLE ${ALSO_NOT:dflt}'), 'NOT_A_VARIABLE dflt');
    });
    it('throws on an unknown variable when asked to', () => {
      assert.throws(() => expandSnippet('`${name}`', { unknownVariables: 'error' }), SnippetSyntaxError);
    });
    it('lets the caller override variables', () => {
      assert.equal(expandSnippet('${TM_FILENAME_BASE}', { variables: { TM_FILENAME_BASE: 'billing' } }), 'billing');
    });
    it('defaults to a file named server in each language', () => {
      assert.equal(defaultVariables({ language: 'python' }).TM_FILENAME, 'server.py');
      assert.equal(defaultVariables({ language: 'javascript' }).TM_FILENAME, 'server.mjs');
      assert.equal(defaultVariables().TM_FILENAME_BASE, 'server');
    });
  });

  describe('transforms', () => {
    it('rewrites a variable with a regular expression and a format', () => {
      assert.equal(expand('${TM_FILENAME/(.*)\\..+$/$1/}'), 'orders-server');
    });
    it('applies case modifiers', () => {
      assert.equal(expand('${TM_FILENAME_BASE/(.*)/${1:/upcase}/} ${TM_FILENAME_BASE/(.*)/${1:/pascalcase}/} ${TM_FILENAME_BASE/(.*)/${1:/camelcase}/}'), 'ORDERS-SERVER OrdersServer ordersServer');
    });
    it('applies conditional groups', () => {
      assert.equal(expand('${TM_FILENAME_BASE/(orders)?(x)?.*/${1:+yes}-${2:-no}-${2:?a:b}-${1:?c:d}/}'), 'yes-no-b-c');
    });
    it('replaces every match with the g flag, the first one without', () => {
      assert.equal(expand('${TM_FILENAME_BASE/-/_/g} ${TM_FILENAME/r/R/}'), 'orders_server oRders-server.ts');
    });
    it('transforms a tab stop mirror', () => {
      assert.equal(expand('${1:get_order} ${1/_(.)/${1:/upcase}/g}'), 'get_order getOrder');
    });
  });

  describe('parse tree', () => {
    it('reads every construct', () => {
      assert.deepEqual(parseSnippet('a${1:b$2}${3|x,y|}$V${W:z}'), [
        { kind: 'text', value: 'a' },
        { kind: 'placeholder', index: 1, children: [{ kind: 'text', value: 'b' }, { kind: 'tabstop', index: 2 }] },
        { kind: 'choice', index: 3, options: ['x', 'y'] },
        { kind: 'variable', name: 'V' },
        { kind: 'variable', name: 'W', children: [{ kind: 'text', value: 'z' }] },
      ]);
    });
    it('reports an invalid transform expression', () => {
      assert.throws(() => parseSnippet('${TM_FILENAME/(/x/}'), SnippetSyntaxError);
    });
  });
});

describe('snippet data access', () => {
  it('maps editor languages to snippet files', () => {
    assert.equal(snippetLanguageOf('typescriptreact'), 'typescript');
    assert.equal(snippetLanguageOf('javascriptreact'), 'javascript');
    assert.equal(snippetLanguageOf('python'), 'python');
    assert.equal(snippetLanguageOf('rust'), undefined);
    for (const language of SNIPPET_LANGUAGES) assert.ok(existsSync(path.join(REPO_ROOT, SNIPPET_FILES[language].path)), SNIPPET_FILES[language].path);
  });
  it('finds a snippet by prefix and language, and nothing for an unknown prefix', () => {
    const breaker = getSnippet('mcp-circuit-breaker', 'python');
    assert.ok(breaker);
    assert.equal(breaker.language, 'python');
    assert.equal(breaker.playbook, 'circuit-breaker-cascade#mcp-server-circuit-breakers');
    assert.match(breaker.body, /class CircuitBreaker/);
    assert.equal(getSnippet('mcp-no-such-thing', 'typescript'), undefined);
  });
  it('lists each language in file order', () => {
    assert.equal(listSnippets('typescript')[0]?.prefix, 'mcp-server-stdio');
    assert.equal(listSnippets('javascript').length, listSnippets('typescript').length);
  });
  it('reads string and array prefixes and bodies, and rejects entries that are not snippets', () => {
    const [s] = snippetsFromFile('javascript', { One: { prefix: ['mcp-a', 'mcp-b'], body: 'x', description: 'd. playbook: mentorship' } });
    assert.deepEqual([s?.prefix, s?.prefixes, s?.body, s?.playbook], ['mcp-a', ['mcp-a', 'mcp-b'], 'x', 'mentorship']);
    assert.throws(() => snippetsFromFile('javascript', { Bad: { prefix: 'mcp-a', description: 'no body' } }), /Bad/);
    assert.throws(() => snippetsFromFile('javascript', { Bad: null }), /Bad/);
    assert.throws(() => snippetsFromFile('javascript', { Bad: { prefix: 'mcp-a', body: ['ok', 3], description: 'd' } }), /Bad/);
  });
});
