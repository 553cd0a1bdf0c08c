// Reads, parses and validates media/playbooks/*.yaml. Node only: the build (scripts/esbuild-playbooks.mjs) runs it
// once and bundles the result as JSON; tests and tsx-run tools call it directly. Bundles never include this file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { LineCounter, isMap, isScalar, parseDocument, type Document } from 'yaml';
import schema from './playbook-schema.json';
import type { Playbook } from './playbooks';

export interface PlaybookProblem {
  /** File name as given (relative to the playbooks directory when loaded from disk). */
  file: string;
  /** 1-based position of the offending YAML node, when known. */
  line?: number;
  column?: number;
  /** Where in the playbook, e.g. "sections[2].steps"; empty for the whole file. */
  path: string;
  message: string;
}

export class PlaybookValidationError extends Error {
  constructor(readonly problems: readonly PlaybookProblem[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in the playbooks:\n` +
        problems.map(p => `  ${formatPlaybookProblem(p)}`).join('\n'),
    );
    this.name = 'PlaybookValidationError';
  }
}

export function formatPlaybookProblem(p: PlaybookProblem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  return `${where}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

export interface PlaybookSource {
  /** e.g. "circuit-breaker-cascade.yaml"; the playbook's id must be the name without ".yaml". */
  fileName: string;
  text: string;
}

/** media/playbooks of this repository. */
export function defaultPlaybooksDir(): string {
  return path.resolve(__dirname, '../../media/playbooks');
}

/** Parses and validates every `*.yaml` of `dir`; throws PlaybookValidationError listing every problem found. */
export function loadPlaybooks(dir: string = defaultPlaybooksDir()): Playbook[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch (error) {
    throw new PlaybookValidationError([{ file: dir, path: '', message: `cannot read the playbooks directory: ${(error as Error).message}` }]);
  }
  const misnamed = names.filter(n => n.endsWith('.yml'));
  if (misnamed.length > 0) {
    throw new PlaybookValidationError(misnamed.map(file => ({ file, path: '', message: 'playbook files end in ".yaml"; rename it' })));
  }
  const sources = names.filter(n => n.endsWith('.yaml')).map(fileName => ({ fileName, text: fs.readFileSync(path.join(dir, fileName), 'utf8') }));
  return parsePlaybooks(sources);
}

/** Parses and validates playbook texts (no file access); throws PlaybookValidationError listing every problem. */
export function parsePlaybooks(sources: readonly PlaybookSource[]): Playbook[] {
  const { playbooks, problems } = checkPlaybooks(sources);
  if (problems.length > 0) throw new PlaybookValidationError(problems);
  return playbooks;
}

/** Like parsePlaybooks, but returns the problems instead of throwing; `playbooks` holds the valid ones. */
export function checkPlaybooks(sources: readonly PlaybookSource[]): { playbooks: Playbook[]; problems: PlaybookProblem[] } {
  const problems: PlaybookProblem[] = [];
  const parsed: Array<{ playbook: Playbook; source: PlaybookSource; locate: Locator }> = [];
  if (sources.length === 0) problems.push({ file: '(playbooks)', path: '', message: 'no playbook files found' });

  for (const source of sources) {
    const fileProblems = parseOne(source);
    problems.push(...fileProblems.problems);
    if (fileProblems.playbook) parsed.push({ playbook: fileProblems.playbook, source, locate: fileProblems.locate! });
  }

  // Links between playbooks.
  const ids = new Set(parsed.map(p => p.playbook.id));
  for (const { playbook, source, locate } of parsed) {
    (playbook.related ?? []).forEach((id, i) => {
      if (id === playbook.id) problems.push({ file: source.fileName, ...locate(['related', i]), path: `related[${i}]`, message: 'a playbook cannot be related to itself' });
      else if (!ids.has(id)) problems.push({ file: source.fileName, ...locate(['related', i]), path: `related[${i}]`, message: `no playbook has the id "${id}"` });
    });
  }
  const valid = parsed.filter(p => !problems.some(x => x.file === p.source.fileName)).map(p => p.playbook);
  return { playbooks: valid.sort((a, b) => a.id.localeCompare(b.id)), problems };
}

type PathSegment = string | number;
type Locator = (segments: PathSegment[], key?: string) => { line?: number; column?: number };

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
const validateSchema = ajv.compile<Playbook>(schema);

function parseOne(source: PlaybookSource): { playbook?: Playbook; problems: PlaybookProblem[]; locate?: Locator } {
  const file = source.fileName;
  const lineCounter = new LineCounter();
  const doc = parseDocument(source.text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const locate = locator(doc, lineCounter);
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map(e => {
        const pos = lineCounter.linePos(e.pos[0]);
        const message = e.code === 'DUPLICATE_KEY' ? `duplicate key "${/^[^:\n]*/.exec(source.text.slice(e.pos[0]))![0].trim()}"` : e.message.split('\n')[0];
        return { file, line: pos.line, column: pos.col, path: '', message: `YAML: ${message}` };
      }),
    };
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) return { problems: [{ file, path: '', message: 'the file is empty' }] };

  if (!validateSchema(data)) {
    const seen = new Set<string>();
    const problems: PlaybookProblem[] = [];
    for (const error of validateSchema.errors ?? []) {
      const problem = describeSchemaError(file, error, locate);
      const key = formatPlaybookProblem(problem);
      if (!seen.has(key)) {
        seen.add(key);
        problems.push(problem);
      }
    }
    return { problems, locate };
  }

  const playbook = data;
  const problems: PlaybookProblem[] = [];
  const at = (segments: PathSegment[], message: string, key?: string) =>
    problems.push({ file, ...locate(segments, key), path: humanPath(segments), message });

  const expectedId = path.basename(file).replace(/\.yaml$/, '');
  if (playbook.id !== expectedId) at(['id'], `the id "${playbook.id}" must match the file name "${expectedId}.yaml"`);
  duplicates(playbook.sections.map(s => s.id)).forEach(i => at(['sections', i, 'id'], `duplicate section id "${playbook.sections[i].id}"`));
  duplicates(playbook.checklists.map(c => c.id)).forEach(i => at(['checklists', i, 'id'], `duplicate checklist id "${playbook.checklists[i].id}"`));
  playbook.checklists.forEach((c, ci) =>
    duplicates(c.items.map(item => item.id)).forEach(i => at(['checklists', ci, 'items', i, 'id'], `duplicate item id "${c.items[i].id}" in checklist "${c.id}"`)),
  );
  duplicates(playbook.thresholds.map(t => t.name.toLowerCase())).forEach(i =>
    at(['thresholds', i, 'name'], `duplicate threshold name "${playbook.thresholds[i].name}"`),
  );
  const sectionIds = new Set(playbook.sections.map(s => s.id));
  playbook.thresholds.forEach((t, i) => {
    if (t.section !== undefined && !sectionIds.has(t.section)) {
      at(['thresholds', i, 'section'], `no section "${t.section}" in this playbook (sections: ${[...sectionIds].join(', ')})`);
    }
  });
  return problems.length > 0 ? { problems, locate } : { playbook, problems, locate };
}

/** Indexes of the second and later occurrences of each repeated value. */
function duplicates(values: readonly string[]): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  values.forEach((v, i) => (seen.has(v) ? out.push(i) : seen.add(v)));
  return out;
}

function locator(doc: Document, lineCounter: LineCounter): Locator {
  return (segments, key) => {
    const node = segments.length === 0 ? doc.contents : doc.getIn(segments, true);
    let offset: number | undefined;
    if (key !== undefined && isMap(node)) {
      const pair = node.items.find(p => (isScalar(p.key) ? p.key.value : p.key) === key);
      offset = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
    }
    if (offset === undefined && node && typeof node === 'object' && 'range' in node) offset = (node as { range?: [number, number, number] }).range?.[0];
    if (offset === undefined) return {};
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
}

function pointerSegments(instancePath: string): PathSegment[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map(s => (/^\d+$/.test(s) ? Number(s) : s));
}

function humanPath(segments: readonly PathSegment[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

const TYPE_NAMES: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'text', number: 'a number', integer: 'a whole number', boolean: 'true or false' };

function describeSchemaError(file: string, error: ErrorObject, locate: Locator): PlaybookProblem {
  const segments = pointerSegments(error.instancePath);
  const p = (message: string, key?: string, extra: PathSegment[] = []): PlaybookProblem => ({
    file,
    ...locate(segments, key),
    path: humanPath([...segments, ...extra]),
    message,
  });
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return p(`missing required property "${params.missingProperty}"`);
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return p(`unknown property "${name}"${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`, name, [name]);
    }
    case 'enum':
      return p(`${JSON.stringify(error.data)} is not one of: ${(params.allowedValues as unknown[]).map(v => String(v)).join(', ')}`);
    case 'type':
      return p(`must be ${TYPE_NAMES[String(params.type)] ?? params.type}, not ${describeValue(error.data)}`);
    case 'pattern': {
      const pattern = String(params.pattern);
      if (pattern === schema.definitions.id.pattern) return p(`${JSON.stringify(error.data)} is not a kebab-case id (lower-case letters, digits and single hyphens)`);
      if (pattern === schema.definitions.snippetPrefix.pattern) return p(`${JSON.stringify(error.data)} is not a snippet prefix (mcp-..., kebab-case)`);
      if (pattern === schema.definitions.text.pattern) return p('must not be blank');
      return p(`${JSON.stringify(error.data)} does not match ${pattern}`);
    }
    case 'minLength':
      return p('must not be empty');
    case 'minItems':
      return p(`must list at least ${params.limit} item${params.limit === 1 ? '' : 's'}`);
    case 'uniqueItems':
      return p(`lists ${JSON.stringify((error.data as unknown[])[Number(params.j)])} twice (items ${params.j} and ${params.i})`);
    case 'dependencies':
      return p(`"${params.property}" needs "${params.missingProperty}" as well`);
    case 'minimum':
      return p(`must be at least ${params.limit}`);
    default:
      return p(error.message ?? `fails the schema's "${error.keyword}" check`);
  }
}

function describeValue(v: unknown): string {
  if (v === null) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v === 'string' ? 'text' : typeof v} ${JSON.stringify(v)}`;
}
