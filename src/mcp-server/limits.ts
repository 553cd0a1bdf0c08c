// Input limits of the MCP server's tools: a client may send anything, so sizes are bounded before work starts.
export const MAX_CODE_BYTES = 1024 * 1024; // 1 MB of source per analysis
export const MAX_PATH_LENGTH = 4096;
export const MAX_FILE_NAME_LENGTH = 255;
export const MAX_TEXT_ARGUMENT_LENGTH = 20_000; // prompt arguments such as incident symptoms
