// The name the server gives itself in the MCP handshake and its log lines (a module of its own: the entry point
// names it in its messages without loading the server).
export const SERVER_NAME = 'mcp-server-architect';
