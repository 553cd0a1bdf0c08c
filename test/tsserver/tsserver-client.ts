// A minimal client of the real tsserver (node_modules/typescript/lib/tsserver.js) over its stdio protocol:
// requests go in as JSON lines, responses and events come back as `Content-Length` framed JSON.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import type * as ts from 'typescript';

export const TSSERVER_PATH = path.resolve(__dirname, '../../node_modules/typescript/lib/tsserver.js');

/** tsserver sends `source` with each diagnostic that has one, though the protocol type does not declare it. */
export type ProtocolDiagnostic = ts.server.protocol.DiagnosticWithLinePosition & { source?: string };
export type CodeFixAction = ts.server.protocol.CodeFixAction;
export type FileCodeEdits = ts.server.protocol.FileCodeEdits;

interface Message {
  seq: number;
  type: 'response' | 'event';
  command?: string;
  request_seq?: number;
  success?: boolean;
  message?: string;
  body?: unknown;
  event?: string;
}

export interface TsServerOptions {
  /** Extra command-line arguments (plugin probe locations, global plugins, log file...). */
  args?: string[];
  env?: NodeJS.ProcessEnv;
}

export class TsServer {
  private readonly proc: ChildProcessWithoutNullStreams;
  private seq = 0;
  private buffer = Buffer.alloc(0);
  private stderr = '';
  private readonly pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  private readonly eventListeners = new Set<(m: Message) => void>();
  private exited = false;

  constructor(options: TsServerOptions = {}) {
    this.proc = spawn(
      process.execPath,
      [TSSERVER_PATH, '--disableAutomaticTypingAcquisition', '--noGetErrOnBackgroundUpdate', '--locale', 'en', ...(options.args ?? [])],
      { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.proc.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.proc.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.proc.on('exit', code => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error(`tsserver exited (${code}): ${this.stderr}`));
      this.pending.clear();
    });
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd === -1) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const m = /Content-Length: (\d+)/i.exec(header);
      if (!m) throw new Error(`unexpected tsserver output: ${header}`);
      const length = Number(m[1]);
      const bodyStart = headerEnd + 4;
      if (this.buffer.length < bodyStart + length) return;
      const body = this.buffer.subarray(bodyStart, bodyStart + length).toString('utf8');
      this.buffer = this.buffer.subarray(bodyStart + length);
      const message = JSON.parse(body) as Message;
      if (message.type === 'response' && message.request_seq !== undefined) {
        const p = this.pending.get(message.request_seq);
        if (p) {
          this.pending.delete(message.request_seq);
          p.resolve(message);
        }
      } else if (message.type === 'event') {
        for (const l of this.eventListeners) l(message);
      }
    }
  }

  /** Sends a request without waiting (for commands that send no response, e.g. geterr). Returns its seq. */
  send(command: string, args?: unknown): number {
    const seq = ++this.seq;
    this.proc.stdin.write(JSON.stringify({ seq, type: 'request', command, arguments: args }) + '\n');
    return seq;
  }

  /** Sends a request and resolves with its response body; rejects when tsserver reports a failure. */
  request<T = unknown>(command: string, args?: unknown, timeoutMs = 60_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`tsserver has exited: ${this.stderr}`));
    const seq = this.send(command, args);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new Error(`tsserver did not answer ${command} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(seq, {
        resolve: m => {
          clearTimeout(timer);
          if (m.success === false) reject(new Error(`tsserver ${command} failed: ${m.message}`));
          else resolve(m.body as T);
        },
        reject: e => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  /** Collects events until `done` returns true for one of them. */
  collectEvents(done: (event: Message, all: Message[]) => boolean, timeoutMs = 60_000): Promise<Message[]> {
    return new Promise((resolve, reject) => {
      const all: Message[] = [];
      const listener = (m: Message) => {
        all.push(m);
        if (done(m, all)) {
          clearTimeout(timer);
          this.eventListeners.delete(listener);
          resolve(all);
        }
      };
      const timer = setTimeout(() => {
        this.eventListeners.delete(listener);
        reject(new Error(`events did not complete within ${timeoutMs} ms: ${all.map(e => e.event).join(', ')}`));
      }, timeoutMs);
      this.eventListeners.add(listener);
    });
  }

  // ---- the requests the tests use ----

  open(file: string, content: string): Promise<unknown> {
    return this.request('updateOpen', { openFiles: [{ file, fileContent: content, scriptKindName: scriptKindName(file) }] });
  }

  /** Replaces the whole text of an open file (as an editor does after applying an edit). */
  replaceText(file: string, oldText: string, newText: string): Promise<unknown> {
    const end = locationAt(oldText, oldText.length);
    return this.request('updateOpen', { changedFiles: [{ fileName: file, textChanges: [{ start: { line: 1, offset: 1 }, end, newText }] }] });
  }

  semanticDiagnostics(file: string): Promise<ProtocolDiagnostic[]> {
    return this.request<ProtocolDiagnostic[]>('semanticDiagnosticsSync', { file, includeLinePosition: true });
  }

  suggestionDiagnostics(file: string): Promise<ProtocolDiagnostic[]> {
    return this.request<ProtocolDiagnostic[]>('suggestionDiagnosticsSync', { file, includeLinePosition: true });
  }

  codeFixes(file: string, d: ProtocolDiagnostic, errorCodes = [d.code]): Promise<CodeFixAction[]> {
    return this.request<CodeFixAction[]>('getCodeFixes', {
      file,
      startLine: d.startLocation.line,
      startOffset: d.startLocation.offset,
      endLine: d.endLocation.line,
      endOffset: d.endLocation.offset,
      errorCodes,
    });
  }

  combinedCodeFix(file: string, fixId: unknown): Promise<{ changes: FileCodeEdits[] }> {
    return this.request('getCombinedCodeFix', { scope: { type: 'file', args: { file } }, fixId });
  }

  configurePlugin(pluginName: string, configuration: unknown): Promise<unknown> {
    return this.request('configurePlugin', { pluginName, configuration });
  }

  kill(): void {
    if (!this.exited) this.proc.kill();
  }

  get errorOutput(): string {
    return this.stderr;
  }
}

function scriptKindName(file: string): 'TS' | 'TSX' | 'JS' | 'JSX' {
  if (/\.tsx$/.test(file)) return 'TSX';
  if (/\.jsx$/.test(file)) return 'JSX';
  if (/\.[cm]?js$/.test(file)) return 'JS';
  return 'TS';
}

/** 1-based tsserver location of a 0-based offset. */
export function locationAt(text: string, offset: number): { line: number; offset: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, offset: offset - lineStart + 1 };
}

/** 0-based offset of a 1-based tsserver location. */
export function offsetAt(text: string, loc: { line: number; offset: number }): number {
  let lineStart = 0;
  for (let line = 1; line < loc.line; line++) {
    const nl = text.indexOf('\n', lineStart);
    if (nl === -1) throw new Error(`line ${loc.line} is past the end of the text`);
    lineStart = nl + 1;
  }
  return lineStart + loc.offset - 1;
}

/** Applies the edits tsserver returned for `file` to its text, last edit first. */
export function applyCodeEdits(text: string, file: string, changes: readonly FileCodeEdits[]): string {
  const edits = changes
    .filter(c => path.resolve(c.fileName) === path.resolve(file))
    .flatMap(c => c.textChanges)
    .map(e => ({ start: offsetAt(text, e.start), end: offsetAt(text, e.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
