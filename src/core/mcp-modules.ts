// Module specifiers that mark a program as an MCP server, and the names of its transports.

/** Prefixes of import specifiers of MCP server SDKs and frameworks (TypeScript/JavaScript). */
export const MCP_SERVER_MODULE_PREFIXES = [
  '@modelcontextprotocol/sdk/server', // SDK v1
  '@modelcontextprotocol/server', // SDK v2
  '@modelcontextprotocol/node',
  '@modelcontextprotocol/express',
  '@modelcontextprotocol/hono',
  'fastmcp',
  'mcp-framework',
  '@mastra/mcp',
  'mcp-handler',
  '@vercel/mcp-adapter',
  'agents/mcp',
  'xmcp',
];

export function isMcpServerModule(specifier: string): boolean {
  return MCP_SERVER_MODULE_PREFIXES.some(p => specifier === p || specifier.startsWith(p + '/') || specifier.startsWith(p + '.'));
}

export const STDIO_TRANSPORT_NAMES = ['StdioServerTransport'];
export const HTTP_TRANSPORT_NAMES = ['StreamableHTTPServerTransport', 'SSEServerTransport', 'NodeStreamableHTTPServerTransport', 'WebStandardStreamableHTTPServerTransport'];

/** Methods that register a handler on an MCP server object; the handler is the last function argument. */
export const HANDLER_REGISTRATION_METHODS = new Set([
  'tool', 'registerTool', 'resource', 'registerResource', 'prompt', 'registerPrompt', 'setRequestHandler',
]);
/** FastMCP-style registrations: `server.addTool({ execute })`, `addResource({ load })`, `addPrompt({ load })`. */
export const OBJECT_HANDLER_METHODS: Record<string, string[]> = {
  addTool: ['execute'],
  addResource: ['load'],
  addResourceTemplate: ['load'],
  addPrompt: ['load'],
};

/** Normalises `node:fs` to `fs` and `fs/promises` stays itself. */
export function normaliseModule(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier;
}
