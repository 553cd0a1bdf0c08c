// The package version, inlined into the bundle at build time.
import { version } from '../../package.json';

export const CLI_NAME = 'mcp-architect';
export const VERSION: string = version;
