// Credentials written into the source: known token formats anywhere in a string, and literal values given to
// names such as `apiKey`, `password`, `clientSecret` or an `Authorization` header.
import type * as ts from 'typescript';
import type { Fix, Rule } from '../types';
import type { RuleContext } from '../rule-context';
import { replaceNode } from '../fix-helpers';

interface TokenFormat {
  label: string;
  pattern: RegExp;
  /** The environment variable the vendor's own tools read, used when the code gives no better name. */
  env: string;
  /** Extra check on the match (e.g. a JWT must decode and not be a public anon key). */
  accept?: (match: string) => boolean;
  /** The whole string is the secret (a PEM block, a connection URL), not just the match. */
  whole?: boolean;
}

// Order matters: Anthropic keys also start with `sk-`.
const FORMATS: TokenFormat[] = [
  { label: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/, env: 'GITHUB_TOKEN' },
  { label: 'GitHub fine-grained token', pattern: /\bgithub_pat_[A-Za-z0-9_]{60,255}\b/, env: 'GITHUB_TOKEN' },
  { label: 'Anthropic API key', pattern: /\bsk-ant-[A-Za-z0-9_-]{32,}/, env: 'ANTHROPIC_API_KEY' },
  { label: 'OpenAI API key', pattern: /\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}/, env: 'OPENAI_API_KEY' },
  { label: 'OpenAI-style API key', pattern: /\bsk-[A-Za-z0-9]{32,}\b/, env: 'OPENAI_API_KEY' },
  { label: 'Stripe live key', pattern: /\b[rs]k_live_[A-Za-z0-9]{20,}\b/, env: 'STRIPE_SECRET_KEY' },
  { label: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/, env: 'AWS_ACCESS_KEY_ID' },
  { label: 'Slack token', pattern: /\bxox[baprs]-[A-Za-z0-9-]{10,}\b/, env: 'SLACK_TOKEN' },
  { label: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/, env: 'GOOGLE_API_KEY' },
  {
    label: 'private key',
    pattern: /-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----\s*[A-Za-z0-9+/=\s]{40,}/,
    env: 'PRIVATE_KEY',
    whole: true,
  },
  { label: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,}/, env: 'API_TOKEN', accept: isSecretJwt },
  { label: 'password in a connection URL', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/'"`]+:[^\s:@/'"`]{3,}@[^\s/'"`]+/i, env: 'DATABASE_URL', accept: hasRealUrlPassword, whole: true },
];

/** Shorter strings are never reported. */
const MIN_SECRET_LENGTH = 8;

/** Text every match of one of FORMATS contains: one test rules out most strings before the formats are tried. */
const ANY_FORMAT = /gh[pousr]_|github_pat_|sk-|k_live_|AKIA|ASIA|xox[baprs]-|AIza|-----BEGIN|eyJ|:\/\//;

/** Normalised (lower-case, letters and digits only) name endings that hold credentials. */
const SECRET_NAME_ENDINGS = [
  'apikey', 'apisecret', 'secret', 'secretkey', 'password', 'passwd', 'passphrase', 'token', 'privatekey',
  'accesskey', 'signingkey', 'encryptionkey', 'authorization',
];
/** Tokens that are not credentials: MCP progress tokens, pagination cursors, CSRF values. */
const NOT_SECRET_NAMES = /(progress|page|next|continuation|cancellation|sync|resume|resumption|pagination|cursor|csrf|xsrf|idempotency|event|max|min)token$|hash|tokens$/;

const PLACEHOLDER = /your|x{3,}|\*{3,}|\.{3}|change[-_]?me|example|placeholder|dummy|fake|sample|redacted|replace|insert|todo|test|demo|mock|<|>|\$\{|\{\{/i;
export const AUTH_SCHEME = /^(Bearer|Basic|Token|Bot|token)\s+(.+)$/;

interface Finding {
  node: ts.StringLiteralLike | ts.TemplateLiteralLikeNode;
  message: string;
  fix?: Fix;
}

export const rule: Rule = {
  meta: {
    id: 'hardcoded-secret',
    code: 61016,
    defaultSeverity: 'error',
    description: 'Hard-coded secret (token, API key, password) in the source',
    message:
      'A credential is hard-coded in the source. Everyone with the repository, a bundle or a stack trace has it, and rotating it takes a release. Read it from the environment or a secret manager, and rotate this one: it is already exposed.',
    playbook: 'security-incident-response#response-procedures',
    fix: 'Replaces the literal with `process.env.<NAME>` (the vendor’s usual variable, or one derived from the variable or property name), adding `!` in TypeScript only where the type needs a string.',
    languages: ['typescript', 'python'],
  },
  check(ctx) {
    const { ts } = ctx;
    const testFile = isTestFile(ctx.sourceFile.fileName);
    const noEnv = [...ctx.imports.values()].some(b => b.module === 'agents/mcp' || b.module.startsWith('cloudflare:'));
    const literals: Array<ts.StringLiteralLike | ts.TemplateLiteralLikeNode> = [
      ...ctx.nodesOfKind<ts.StringLiteral>(ts.SyntaxKind.StringLiteral),
      ...ctx.nodesOfKind<ts.NoSubstitutionTemplateLiteral>(ts.SyntaxKind.NoSubstitutionTemplateLiteral),
      ...ctx.nodesOfKind<ts.TemplateHead>(ts.SyntaxKind.TemplateHead),
      ...ctx.nodesOfKind<ts.TemplateMiddle>(ts.SyntaxKind.TemplateMiddle),
      ...ctx.nodesOfKind<ts.TemplateTail>(ts.SyntaxKind.TemplateTail),
    ];
    for (const lit of literals) {
      // examine's first test, made before the literal's parent is looked at: most strings are short.
      if (lit.text.length < MIN_SECRET_LENGTH) continue;
      if (isNotAValue(ctx, lit)) continue;
      const f = examine(ctx, lit, testFile, noEnv);
      if (f) ctx.report({ node: f.node, message: f.message, fixes: f.fix ? [f.fix] : [] });
    }
  },
};

function examine(ctx: RuleContext, lit: ts.StringLiteralLike | ts.TemplateLiteralLikeNode, testFile: boolean, noEnv: boolean): Finding | undefined {
  const { ts } = ctx;
  const value = lit.text;
  if (value.length < MIN_SECRET_LENGTH) return undefined;
  const wholeLiteral = ts.isStringLiteral(lit) || ts.isNoSubstitutionTemplateLiteral(lit);
  const use = wholeLiteral ? useOf(ctx, lit) : undefined;

  const format = matchFormat(value);
  if (format) {
    const envName = use?.name && /^[A-Z][A-Z0-9_]*$/.test(use.name) ? use.name : format.format.env === 'API_TOKEN' && use?.name ? envNameFrom(use.name) : format.format.env;
    const fixable = wholeLiteral && !noEnv && (!use || use.kind === 'value');
    return {
      node: lit,
      message: `A ${format.format.label} is hard-coded in this string. Everyone with the repository, a bundle or a stack trace has it, and rotating it takes a release. Read it from the environment (\`process.env.${envName}\`) or a secret manager, and rotate this one: it is already exposed.`,
      fix: fixable ? envFix(ctx, lit as ts.StringLiteralLike, value, format.format.whole ? value : format.match, envName) : undefined,
    };
  }

  if (testFile || !use) return undefined;
  if (!isSecretName(use.name)) return undefined;
  const scheme = AUTH_SCHEME.exec(value);
  const secret = scheme ? scheme[2] : value;
  if (isAuthorizationName(use.name) && !scheme && !looksLikeToken(secret)) return undefined;
  if (!isLikelySecretValue(secret)) return undefined;

  const shown = use.name;
  const envName = envNameFrom(shown);
  if (use.kind === 'comparison') {
    return {
      node: lit,
      message: `\`${shown}\` is compared with a hard-coded value: the credential lives in the source, where everyone with the repository has it. Compare with a value read from the environment or a secret store (and fail closed when it is missing), and rotate this one.`,
    };
  }
  if (use.kind === 'fallback') {
    return {
      node: lit,
      message: `The fallback for \`${shown}\` is a hard-coded credential: when the variable is unset the server quietly runs with a value everyone with the repository knows. Fail at start-up when it is missing instead, and rotate this one.`,
    };
  }
  return {
    node: lit,
    message: `\`${shown}\` is set to a hard-coded credential. Everyone with the repository, a bundle or a stack trace has it, and rotating it takes a release. Read it from the environment (\`process.env.${envName}\`) or a secret manager, and rotate this one: it is already exposed.`,
    fix: noEnv ? undefined : envFix(ctx, lit as ts.StringLiteralLike, value, secret, envName),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Formats and values

export function matchFormat(value: string): { format: TokenFormat; match: string } | undefined {
  if (!ANY_FORMAT.test(value)) return undefined;
  for (const format of FORMATS) {
    const m = format.pattern.exec(value);
    if (!m) continue;
    const match = m[0];
    if (PLACEHOLDER.test(match.replace(/^-----BEGIN[^-]*-----/, '')) && format.label !== 'password in a connection URL') continue;
    if (format.accept ? !format.accept(match) : !hasEntropy(match)) continue;
    return { format, match };
  }
  return undefined;
}

/** A JWT whose payload decodes to JSON and is not a public `anon` key (Supabase) or an unsigned token. */
function isSecretJwt(token: string): boolean {
  const [header, payload] = token.split('.');
  const decode = (part: string): unknown => {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)));
  };
  try {
    const h = decode(header) as { alg?: string } | null;
    const p = decode(payload) as { role?: string } | null;
    if (!h || typeof h !== 'object' || h.alg === 'none') return false;
    return !(p && typeof p === 'object' && p.role === 'anon');
  } catch {
    return false;
  }
}

const DEV_PASSWORDS = new Set(['password', 'pass', 'postgres', 'root', 'admin', 'secret', 'changeme', 'guest', 'user', 'mysql', 'mongo', 'redis', 'test']);

/** `scheme://user:password@host` with a real-looking password on a host that is not the local machine. */
function hasRealUrlPassword(url: string): boolean {
  const m = /:\/\/[^:@/]+:([^@/]+)@([^/:?#]+)/.exec(url);
  if (!m) return false;
  const [, password, host] = m;
  if (/^(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|host\.docker\.internal)$/i.test(host)) return false;
  if (DEV_PASSWORDS.has(password.toLowerCase()) || PLACEHOLDER.test(password)) return false;
  return password.length >= 6;
}

export function isSecretName(name: string): boolean {
  const n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (NOT_SECRET_NAMES.test(n)) return false;
  return SECRET_NAME_ENDINGS.some(e => n.endsWith(e));
}

export function isAuthorizationName(name: string): boolean {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '').endsWith('authorization');
}

/** Not a placeholder, not a word, not a name of an environment variable, a path or a URL; enough entropy. */
export function isLikelySecretValue(value: string): boolean {
  if (value.length < 8 || /\s/.test(value)) return false;
  if (/^[A-Z][A-Z0-9_]*$/.test(value)) return false; // `'OPENAI_API_KEY'`: the name of a variable, not its value
  if (/^[a-z]+([-_.][a-z]+)*$/.test(value) || /^[a-z]{2,}([A-Z][a-z]{2,})+$/.test(value)) return false; // words and identifiers: `'same-origin'`, `'accessToken'`
  if (/:\/\/|^[./~]/.test(value)) return false;
  if (/^\$(2[abxy]?|argon2)/.test(value)) return false; // a password hash
  if (PLACEHOLDER.test(value) || isSequential(value)) return false;
  return hasEntropy(value);
}

export function looksLikeToken(value: string): boolean {
  return /^[A-Za-z0-9._~+/=-]{16,}$/.test(value);
}

/** Shannon entropy of at least 3 bits per character with two character classes, or 3.5 bits for long single-class strings. */
function hasEntropy(value: string): boolean {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const c of counts.values()) {
    const p = c / value.length;
    bits -= p * Math.log2(p);
  }
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter(r => r.test(value)).length;
  return classes >= 2 ? bits >= 3 : value.length >= 20 && bits >= 3.5;
}

/** `abcdefgh`, `12345678`: a run of eight or more consecutive characters marks a made-up value. */
function isSequential(value: string): boolean {
  let run = 1;
  for (let i = 1; i < value.length; i++) {
    run = value.charCodeAt(i) === value.charCodeAt(i - 1) + 1 ? run + 1 : 1;
    if (run >= 8) return true;
  }
  return false;
}

function isTestFile(fileName: string): boolean {
  return /(^|[\\/])(__tests__|__mocks__|__fixtures__|fixtures?|tests?|spec)[\\/]/.test(fileName) || /\.(test|spec)\.[cm]?[jt]sx?$/.test(fileName);
}

// ---------------------------------------------------------------------------------------------------------------
// Where the literal goes

interface Use {
  /** The variable, property, parameter or header name the value is given to. */
  name: string;
  /** 'value': assigned or passed; 'fallback': `x ?? 'literal'`; 'comparison': `token === 'literal'`. */
  kind: 'value' | 'fallback' | 'comparison';
}

/** Literals that are syntax rather than data: module specifiers, property keys, literal types. */
function isNotAValue(ctx: RuleContext, lit: ts.Node): boolean {
  const { ts } = ctx;
  const p = lit.parent;
  if (!p) return true;
  if (ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isExternalModuleReference(p) || ts.isLiteralTypeNode(p)) return true;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isEnumMember(p)) && p.name === lit) return true;
  if (ts.isCallExpression(p) && ts.isIdentifier(p.expression) && p.expression.text === 'require') return true;
  return false;
}

function useOf(ctx: RuleContext, lit: ts.StringLiteralLike): Use | undefined {
  const { ts } = ctx;
  let node: ts.Node = lit;
  let kind: Use['kind'] = 'value';
  let p = node.parent;
  while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p))) {
    node = p;
    p = p.parent;
  }
  if (!p) return undefined;
  if (ts.isBinaryExpression(p)) {
    const op = p.operatorToken.kind;
    if ((op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) && p.right === node) {
      kind = 'fallback';
      node = p;
      p = p.parent;
      while (p && ts.isParenthesizedExpression(p)) {
        node = p;
        p = p.parent;
      }
      if (!p) return undefined;
    } else if ([ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(op)) {
      const other = p.left === node ? p.right : p.left;
      const name = nameOfExpression(ctx, other);
      return name ? { name, kind: 'comparison' } : undefined;
    }
  }
  let name: string | undefined;
  if (ts.isVariableDeclaration(p) && p.initializer === node) name = ts.isIdentifier(p.name) ? p.name.text : undefined;
  else if (ts.isPropertyAssignment(p) && p.initializer === node) name = propertyNameText(ctx, p.name);
  else if (ts.isPropertyDeclaration(p) && p.initializer === node) name = propertyNameText(ctx, p.name);
  else if (ts.isParameter(p) && p.initializer === node) name = ts.isIdentifier(p.name) ? p.name.text : undefined;
  else if (ts.isBindingElement(p) && p.initializer === node) {
    name = ts.isIdentifier(p.name) ? p.name.text : undefined;
  } else if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === node) {
    name = nameOfExpression(ctx, p.left);
  } else if (ts.isCallExpression(p) && p.arguments.length === 2 && p.arguments[1] === node && ts.isPropertyAccessExpression(p.expression)) {
    // headers.set('Authorization', '...'), res.setHeader('x-api-key', '...')
    const method = p.expression.name.text;
    const key = p.arguments[0];
    if (['set', 'append', 'setHeader', 'header'].includes(method) && ts.isStringLiteralLike(key)) name = key.text;
  }
  return name ? { name, kind } : undefined;
}

function propertyNameText(ctx: RuleContext, name: ts.PropertyName): string | undefined {
  const { ts } = ctx;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)) return name.text.replace(/^#/, '');
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

function nameOfExpression(ctx: RuleContext, e: ts.Expression): string | undefined {
  const { ts } = ctx;
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) return e.argumentExpression.text;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// The fix

/** `clientSecret` -> `CLIENT_SECRET`, `x-api-key` -> `API_KEY`, `Authorization` -> `API_TOKEN`. */
export function envNameFrom(name: string): string {
  if (isAuthorizationName(name)) return 'API_TOKEN';
  const snake = name
    .replace(/^#/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase()
    .replace(/^X_(?=API_KEY$|AUTH_TOKEN$|API_TOKEN$)/, '');
  return /^[A-Z_]/.test(snake) ? snake : `SECRET_${snake}`;
}

/**
 * The literal becomes `process.env.NAME` (whole value), a template `` `Bearer ${process.env.NAME}` `` (an auth
 * scheme before the secret), or a template with the secret cut out of a longer string.
 */
function envFix(ctx: RuleContext, lit: ts.StringLiteralLike, value: string, secret: string, envName: string): Fix | undefined {
  const env = `process.env.${envName}`;
  const title = `Read the secret from process.env.${envName}`;
  if (secret === value) {
    return { title, edits: [replaceNode(ctx, lit, `${env}${typeSuffix(ctx, lit)}`)] };
  }
  const raw = ctx.getText(lit).slice(1, -1);
  const at = raw.indexOf(secret);
  if (at < 0 || raw.indexOf(secret, at + 1) >= 0) return undefined;
  const escape = (s: string): string =>
    ctx.ts.isNoSubstitutionTemplateLiteral(lit) ? s : s.replace(/\\(['"])/g, '$1').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
  const text = `\`${escape(raw.slice(0, at))}\${${env}}${escape(raw.slice(at + secret.length))}\``;
  return { title, edits: [replaceNode(ctx, lit, text)] };
}

/**
 * `process.env.X` is `string | undefined`. In TypeScript, add `!` when a string is required: always without a
 * type checker (it cannot be proven unneeded), and with one only where the contextual type or a use of the
 * variable rejects `undefined`.
 */
function typeSuffix(ctx: RuleContext, lit: ts.StringLiteralLike): string {
  if (/\.[cm]?jsx?$/i.test(ctx.sourceFile.fileName)) return '';
  const checker = ctx.checker;
  if (!checker) return '!';
  try {
    return undefinedBreaksTypes(ctx, checker, lit) ? '!' : '';
  } catch {
    return '!';
  }
}

function undefinedBreaksTypes(ctx: RuleContext, checker: ts.TypeChecker, lit: ts.StringLiteralLike): boolean {
  const { ts } = ctx;
  let node: ts.Node = lit;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent))) node = node.parent;
  const p = node.parent;
  if (ts.isVariableDeclaration(p) && !p.type && ts.isIdentifier(p.name)) {
    const statement = p.parent?.parent;
    if (statement && ts.isVariableStatement(statement) && ts.getModifiers(statement)?.some(m => m.kind === ts.SyntaxKind.ExportKeyword)) return true;
    const symbol = checker.getSymbolAtLocation(p.name);
    if (!symbol) return true;
    for (const id of ctx.nodesOfKind<ts.Identifier>(ts.SyntaxKind.Identifier)) {
      if (id === p.name || id.text !== p.name.text || checker.getSymbolAtLocation(id) !== symbol) continue;
      if (referenceNeedsString(ctx, checker, id)) return true;
    }
    return false;
  }
  if (ts.isPropertyDeclaration(p) && !p.type) return true;
  const contextual = checker.getContextualType(node as ts.Expression);
  if (!contextual) return true; // an untyped object or field: every later use would see `string | undefined`
  return !acceptsUndefined(checker, contextual);
}

function referenceNeedsString(ctx: RuleContext, checker: ts.TypeChecker, id: ts.Identifier): boolean {
  const { ts } = ctx;
  const p = id.parent;
  if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === id) return !p.questionDotToken;
  if (ts.isCallExpression(p) && p.expression === id) return true;
  if (ts.isShorthandPropertyAssignment(p)) {
    const objectType = checker.getContextualType(p.parent);
    if (!objectType) return true;
    const prop = objectType.getProperty(p.name.text);
    if (!prop) return true;
    return !acceptsUndefined(checker, checker.getTypeOfSymbolAtLocation(prop, p));
  }
  if (ts.isTemplateSpan(p) || (ts.isBinaryExpression(p) && p.operatorToken.kind !== ts.SyntaxKind.EqualsToken)) return false;
  const contextual = checker.getContextualType(id);
  return !!contextual && !acceptsUndefined(checker, contextual);
}

function acceptsUndefined(checker: ts.TypeChecker, type: ts.Type): boolean {
  const undefinedType = checker.getUndefinedType();
  if (typeof checker.isTypeAssignableTo === 'function') return checker.isTypeAssignableTo(undefinedType, type);
  // Older TypeScript: accept `any`, `unknown` and unions with `undefined`.
  const flags = type.flags;
  if (flags & (1 /* Any */ | 2 /* Unknown */)) return true;
  return type.isUnion() && type.types.some(t => t === undefinedType || (t.flags & 32768) /* Undefined */ !== 0);
}
