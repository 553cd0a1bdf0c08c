// tsserver plugin entry: tsserver requires this module and calls it with its own TypeScript module.
import type * as ts from 'typescript';
import { McpArchitectPlugin } from './plugin';

// @ts-expect-error TS1203: tsserver needs `module.exports` to be the factory; esbuild emits exactly that.
export = (mod: { typescript: typeof ts }) => new McpArchitectPlugin(mod.typescript);
