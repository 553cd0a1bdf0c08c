// Python: credentials written into the source. The same token formats and secret-name heuristics as the
// TypeScript rule, applied to Python string literals and the names they are given to.
import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../types';
import { AUTH_SCHEME, envNameFrom, isAuthorizationName, isLikelySecretValue, isSecretName, looksLikeToken, matchFormat, rule } from '../../rules/hardcoded-secret';
import { type PyContext, stringValue, unparen } from '../context';
import { ensureModuleImport, replaceNode } from '../edits';
import type { PythonRule } from './index';

interface Use {
  name: string;
  kind: 'value' | 'fallback' | 'comparison';
}

const ENV_GETTERS = new Set(['os.getenv', 'os.environ.get']);

export const pythonRule: PythonRule = {
  meta: rule.meta,
  check(ctx) {
    const testFile = /(^|[\\/])(tests?|fixtures?|__fixtures__)[\\/]|(^|[\\/])(test_[^\\/]*|[^\\/]*_test|conftest)\.py$/.test(ctx.fileName);
    for (const lit of ctx.nodesOfType('string')) {
      // Quotes plus eight characters at least: most strings are shorter, and this costs no walk up the tree.
      if (lit.text.length < 10) continue;
      if (lit.parent?.type === 'concatenated_string' || isDocstring(lit)) continue;
      examine(ctx, lit, testFile);
    }
  },
};

function isDocstring(lit: Node): boolean {
  const p = lit.parent;
  return p?.type === 'expression_statement' && p.namedChildCount === 1;
}

/** The literal's text between its quotes, with its prefix and quote. Undefined for f-strings with interpolation. */
function parts(lit: Node): { prefix: string; quote: string; body: string } | undefined {
  const start = lit.namedChildren.find(c => c?.type === 'string_start');
  if (!start) return undefined;
  const m = /^([a-zA-Z]*)('''|"""|'|")$/.exec(start.text);
  if (!m) return undefined;
  const value = stringValue(lit);
  if (value === undefined) return undefined;
  return { prefix: m[1].toLowerCase(), quote: m[2], body: value };
}

function examine(ctx: PyContext, lit: Node, testFile: boolean): void {
  const p = parts(lit);
  // Text of an f-string's literal parts still shows a token format.
  const value = p?.body ?? lit.namedChildren.filter(c => c?.type === 'string_content').map(c => c!.text).join('');
  if (value.length < 8) return;
  const use = p ? useOf(ctx, lit) : undefined;

  const format = matchFormat(value);
  if (format) {
    const envName = use?.name && /^[A-Z][A-Z0-9_]*$/.test(use.name) ? use.name : format.format.env === 'API_TOKEN' && use?.name ? envNameFrom(use.name) : format.format.env;
    const fixable = !!p && (!use || use.kind === 'value');
    ctx.report({
      node: lit,
      message: `A ${format.format.label} is hard-coded in this string. Everyone with the repository, a package or a traceback has it, and rotating it takes a release. Read it from the environment (\`os.environ["${envName}"]\`) or a secret manager, and rotate this one: it is already exposed.`,
      fixes: fixable ? envFix(ctx, lit, p!, format.format.whole ? value : format.match, envName) : [],
    });
    return;
  }

  if (testFile || !use || !p) return;
  if (!isSecretName(use.name)) return;
  const scheme = AUTH_SCHEME.exec(value);
  const secret = scheme ? scheme[2] : value;
  if (isAuthorizationName(use.name) && !scheme && !looksLikeToken(secret)) return;
  if (!isLikelySecretValue(secret)) return;
  const envName = envNameFrom(use.name);
  if (use.kind === 'comparison') {
    ctx.report({
      node: lit,
      message: `\`${use.name}\` is compared with a hard-coded value: the credential lives in the source, where everyone with the repository has it. Compare (with \`hmac.compare_digest\`) against a value read from the environment or a secret store, fail closed when it is missing, and rotate this one.`,
    });
    return;
  }
  if (use.kind === 'fallback') {
    ctx.report({
      node: lit,
      message: `The fallback for \`${use.name}\` is a hard-coded credential: when the variable is unset the server quietly runs with a value everyone with the repository knows. Fail at start-up when it is missing instead (\`os.environ["${use.name}"]\`), and rotate this one.`,
    });
    return;
  }
  ctx.report({
    node: lit,
    message: `\`${use.name}\` is set to a hard-coded credential. Everyone with the repository, a package or a traceback has it, and rotating it takes a release. Read it from the environment (\`os.environ["${envName}"]\`) or a secret manager, and rotate this one: it is already exposed.`,
    fixes: envFix(ctx, lit, p, secret, envName),
  });
}

/** Where a literal goes: the variable, keyword, dict key or parameter it is given to, a comparison, or an env fallback. */
function useOf(ctx: PyContext, lit: Node): Use | undefined {
  let node: Node = lit;
  let p = node.parent;
  while (p?.type === 'parenthesized_expression') {
    node = p;
    p = p.parent;
  }
  if (!p) return undefined;
  if (p.type === 'comparison_operator') {
    const other = p.namedChildren.find(c => !!c && c.id !== node.id);
    const name = nameOf(ctx, other ?? null);
    return name ? { name, kind: 'comparison' } : undefined;
  }
  if (p.type === 'boolean_operator' && p.childForFieldName('right')?.id === node.id && p.child(1)?.type === 'or') {
    const outer = useOf(ctx, p);
    return outer ? { name: outer.name, kind: 'fallback' } : undefined;
  }
  if (p.type === 'argument_list') {
    const call = p.parent;
    const args = call?.type === 'call' ? ctx.argsOf(call) : undefined;
    if (call && args && ctx.isCallTo(call, ENV_GETTERS) && args.positional[1]?.id === node.id) {
      const name = stringValue(args.positional[0]);
      return name ? { name, kind: 'fallback' } : undefined;
    }
    return undefined;
  }
  let name: string | undefined;
  if (p.type === 'assignment' && p.childForFieldName('right')?.id === node.id) name = nameOf(ctx, p.childForFieldName('left'));
  else if (p.type === 'keyword_argument' && p.childForFieldName('value')?.id === node.id) name = p.childForFieldName('name')?.text;
  else if (p.type === 'pair' && p.childForFieldName('value')?.id === node.id) name = stringValue(p.childForFieldName('key'));
  else if ((p.type === 'default_parameter' || p.type === 'typed_default_parameter') && p.childForFieldName('value')?.id === node.id) name = p.childForFieldName('name')?.text;
  return name ? { name, kind: 'value' } : undefined;
}

/** `API_KEY`, `self.api_key` -> `api_key`, `headers["Authorization"]` -> `Authorization`. */
function nameOf(ctx: PyContext, n: Node | null): string | undefined {
  const e = unparen(n);
  if (!e) return undefined;
  if (e.type === 'identifier') return e.text;
  if (e.type === 'attribute') return e.childForFieldName('attribute')?.text;
  if (e.type === 'subscript') return stringValue(e.childForFieldName('subscript'));
  return undefined;
}

/**
 * The literal becomes `os.environ["NAME"]` (whole value) or an f-string with the secret read from the environment
 * (an auth scheme before it). Raw and byte strings, and values with escapes or braces around the secret, get no fix.
 */
function envFix(ctx: PyContext, lit: Node, p: { prefix: string; quote: string; body: string }, secret: string, envName: string): Fix[] {
  if (p.prefix !== '' && p.prefix !== 'u') return [];
  const os = ensureModuleImport(ctx, 'os');
  const title = `Read the secret from os.environ["${envName}"]`;
  if (secret === p.body) return [{ title, edits: [replaceNode(lit, `${os.local}.environ["${envName}"]`), ...os.edits] }];
  const at = p.body.indexOf(secret);
  if (at < 0 || p.body.indexOf(secret, at + 1) >= 0) return [];
  const before = p.body.slice(0, at);
  const after = p.body.slice(at + secret.length);
  if (/[{}\\]/.test(before + after) || p.quote.length === 3) return [];
  const inner = p.quote === '"' ? "'" : '"';
  return [{ title, edits: [replaceNode(lit, `f${p.quote}${before}{${os.local}.environ[${inner}${envName}${inner}]}${after}${p.quote}`), ...os.edits] }];
}
