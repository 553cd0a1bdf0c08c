import * as assert from 'node:assert/strict';
import { FASTMCP_HEADER, expectPyFires, expectPyFixWorks, expectPyQuiet, loadPythonParser } from '../../helpers/python';

const ID = 'unbounded-cache';

describe(`python: ${ID}`, () => {
  before(loadPythonParser);

  describe('fires', () => {
    it('functools.lru_cache(maxsize=None) and lru_cache(None)', () => {
      expectPyFires(ID, `import functools\nfrom functools import lru_cache\n${FASTMCP_HEADER}\n@functools.lru_cache(maxsize=None)\ndef lookup(key: str) -> str:\n    return key.upper()\n\n@lru_cache(None)\ndef other(key: str) -> str:\n    return key\n`, 2);
    });
    it('functools.cache and @cache', () => {
      expectPyFires(ID, `import functools\nfrom functools import cache\n${FASTMCP_HEADER}\n@functools.cache\ndef a(k: str) -> str:\n    return k\n\n@cache\ndef b(k: str) -> str:\n    return k\n`, 2);
    });
    it('a module-level dict that a tool adds to and nothing removes from', () => {
      expectPyFires(ID, `${FASTMCP_HEADER}\nRESULTS: dict[str, str] = {}\nseen = set()\n\n@mcp.tool()\nasync def remember(key: str, value: str) -> str:\n    RESULTS[key] = value\n    seen.add(key)\n    return value\n`, 2);
    });
  });

  describe('stays quiet', () => {
    it('lru_cache with a bound, or the default maxsize of 128', () => {
      expectPyQuiet(ID, `import functools\n${FASTMCP_HEADER}\n@functools.lru_cache(maxsize=1000)\ndef a(k: str) -> str:\n    return k\n\n@functools.lru_cache\ndef b(k: str) -> str:\n    return k\n\n@functools.lru_cache()\ndef c(k: str) -> str:\n    return k\n`);
    });
    it('a module-level dict with eviction (pop / del / clear) or filled only at import time', () => {
      expectPyQuiet(ID, `${FASTMCP_HEADER}\nCACHE = {}\nTABLE = {}\nTABLE["a"] = 1\n\n@mcp.tool()\nasync def put(key: str) -> str:\n    CACHE[key] = key\n    if len(CACHE) > 1000:\n        CACHE.pop(next(iter(CACHE)))\n    return key\n`);
      expectPyQuiet(ID, `${FASTMCP_HEADER}\nsessions = {}\n\n@mcp.tool()\nasync def open_session(sid: str) -> str:\n    sessions[sid] = {}\n    return sid\n\n@mcp.tool()\nasync def close_session(sid: str) -> str:\n    del sessions[sid]\n    return sid\n`);
    });
    it('a local dict of the same name, and cachetools.TTLCache', () => {
      expectPyQuiet(ID, `from cachetools import TTLCache\n${FASTMCP_HEADER}\ncache = TTLCache(maxsize=1000, ttl=300)\nresults = {}\n\n@mcp.tool()\nasync def t(key: str) -> str:\n    results = {}\n    results[key] = key\n    cache[key] = key\n    return key\n`);
    });
  });

  describe('fix', () => {
    it('bounds lru_cache(maxsize=None) to 1000 and turns @cache into lru_cache(maxsize=1000)', () => {
      const fixed = expectPyFixWorks(ID, `import functools\nfrom functools import cache\n${FASTMCP_HEADER}\n@functools.lru_cache(maxsize=None)\ndef a(k: str) -> str:\n    return k\n\n@functools.cache\ndef b(k: str) -> str:\n    return k\n\n@cache\ndef c(k: str) -> str:\n    return k\n`);
      assert.match(fixed, /@functools\.lru_cache\(maxsize=1000\)\ndef a/);
      assert.match(fixed, /@functools\.lru_cache\(maxsize=1000\)\ndef b/);
      assert.match(fixed, /@functools\.lru_cache\(maxsize=1000\)\ndef c/);
    });
    it('imports lru_cache when only `from functools import cache` is there', () => {
      const fixed = expectPyFixWorks(ID, `from functools import cache\n${FASTMCP_HEADER}\n@cache\ndef c(k: str) -> str:\n    return k\n`);
      assert.match(fixed, /from functools import lru_cache/);
      assert.match(fixed, /@lru_cache\(maxsize=1000\)/);
    });
  });
});
