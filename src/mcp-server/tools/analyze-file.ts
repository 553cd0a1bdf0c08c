// Tool: analyze a file inside the client's roots (or the working directory) — never outside them.
import { z } from 'zod';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { ToolContext } from '../tool-context';
import { MAX_CODE_BYTES, MAX_PATH_LENGTH } from '../limits';
import { analysisOutputShape, analysisText } from '../findings-output';
import { errorResult } from './analyze-code';

export function registerAnalyzeFile(ctx: ToolContext): void {
  ctx.server.registerTool(
    'analyze_file',
    {
      title: 'Analyze an MCP server file',
      description:
        "Reads a file inside the client's workspace roots (or the server's working directory when the client declares no roots) and runs the MCP Server Architect rules over it, with what the other files of its package do (serve stdio or HTTP, use an MCP SDK).",
      inputSchema: {
        path: z.string().min(1).max(MAX_PATH_LENGTH).describe('Absolute path, or a path relative to the first root.'),
      },
      outputSchema: analysisOutputShape,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ path: requested }) => {
      const resolved = await resolveInsideRoots(requested, await ctx.allowedRoots());
      if ('error' in resolved) return errorResult(resolved.error);
      // The other files of its package (inside the same root) tell what the program does: stdio, HTTP, an MCP SDK.
      const project = await ctx.programFacts(resolved.realPath, resolved.root).catch(error => {
        ctx.log(`program facts of ${resolved.realPath}: ${String(error)}`);
        return undefined;
      });
      const result = await ctx.analyze(resolved.displayName, resolved.text, project);
      if ('error' in result) return errorResult(result.error);
      return { content: [{ type: 'text', text: analysisText(result) }], structuredContent: result };
    },
  );
}

/** Reads `requested` if, after resolving symlinks, it lies inside one of `roots`; else explains why not. */
export async function resolveInsideRoots(
  requested: string,
  roots: string[],
): Promise<{ text: string; realPath: string; displayName: string; root: string } | { error: string }> {
  if (roots.length === 0) return { error: 'No root directory is available to read files from.' };
  if (requested.includes('\0')) return { error: 'The path contains a NUL character.' };
  const candidate = path.resolve(roots[0], requested);
  let realPath: string;
  try {
    realPath = await fs.realpath(candidate);
  } catch {
    return { error: `No such file: ${candidate}` };
  }
  let inside: string | undefined;
  for (const root of roots) {
    const realRoot = await fs.realpath(root).catch(() => undefined);
    if (!realRoot) continue;
    const rel = path.relative(realRoot, realPath);
    if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
      inside = realRoot;
      break;
    }
  }
  if (!inside) return { error: `${requested} is outside the allowed roots (${roots.join(', ')}); only files inside them can be analysed.` };
  const stat = await fs.stat(realPath);
  if (!stat.isFile()) return { error: `${requested} is not a file.` };
  if (stat.size > MAX_CODE_BYTES) return { error: `${requested} is ${stat.size} bytes; the limit is ${MAX_CODE_BYTES} bytes (1 MB).` };
  const text = await fs.readFile(realPath, 'utf8');
  return { text, realPath, root: inside, displayName: path.relative(inside, realPath) || path.basename(realPath) };
}
