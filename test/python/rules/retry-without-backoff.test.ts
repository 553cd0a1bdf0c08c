import * as assert from 'node:assert/strict';
import { FASTMCP_HEADER, expectPyFires, expectPyFixWorks, expectPyQuiet, loadPythonParser } from '../../helpers/python';

const ID = 'retry-without-backoff';
const H = `import time\nimport asyncio\nimport random\nimport httpx\n${FASTMCP_HEADER}`;

describe(`python: ${ID}`, () => {
  before(loadPythonParser);

  describe('fires', () => {
    it('for attempt in range(n) with a constant time.sleep', () => {
      expectPyFires(ID, `${H}\ndef get(url: str) -> str:\n    for attempt in range(5):\n        try:\n            return httpx.get(url).text\n        except httpx.HTTPError:\n            time.sleep(2)\n    raise RuntimeError("unreachable")\n`);
    });
    it('while retries < n with await asyncio.sleep(1), and a loop that retries at once', () => {
      expectPyFires(ID, `${H}\nasync def get(url: str) -> str:\n    retries = 0\n    while retries < 3:\n        try:\n            return (await httpx.AsyncClient().get(url)).text\n        except httpx.HTTPError:\n            retries += 1\n            await asyncio.sleep(1)\n    return ""\n\ndef again(url: str) -> str:\n    for attempt in range(3):\n        try:\n            return httpx.get(url).text\n        except httpx.HTTPError:\n            continue\n    return ""\n`, 2);
    });
    it('tenacity @retry without wait=, and a bare @retry', () => {
      expectPyFires(ID, `from tenacity import retry, stop_after_attempt\n${FASTMCP_HEADER}\n@retry(stop=stop_after_attempt(3))\ndef a() -> None:\n    pass\n\n@retry\ndef b() -> None:\n    pass\n`, 2);
    });
  });

  describe('stays quiet', () => {
    it('exponential backoff with jitter', () => {
      expectPyQuiet(ID, `${H}\ndef get(url: str) -> str:\n    for attempt in range(5):\n        try:\n            return httpx.get(url).text\n        except httpx.HTTPError:\n            time.sleep(min(30, 0.5 * 2 ** attempt) * random.random())\n    return ""\n`);
    });
    it('a loop over items (not a retry), and a loop without except', () => {
      expectPyQuiet(ID, `${H}\ndef each(urls: list[str]) -> None:\n    for url in urls:\n        try:\n            httpx.get(url)\n        except httpx.HTTPError:\n            time.sleep(1)\n\ndef poll() -> None:\n    for attempt in range(3):\n        time.sleep(1)\n`);
    });
    it('tenacity with wait=wait_random_exponential, and a backoff helper', () => {
      expectPyQuiet(ID, `from tenacity import retry, wait_random_exponential\n${H}\n@retry(wait=wait_random_exponential(max=30))\ndef a() -> None:\n    pass\n\ndef b(url: str) -> None:\n    for attempt in range(3):\n        try:\n            httpx.get(url)\n        except httpx.HTTPError:\n            time.sleep(backoff_delay(attempt))\n`);
    });
  });

  describe('fix', () => {
    it('replaces a constant delay with capped full-jitter backoff, importing random when needed', () => {
      const fixed = expectPyFixWorks(ID, `import time\nimport httpx\n${FASTMCP_HEADER}\ndef get(url: str) -> str:\n    for attempt in range(5):\n        try:\n            return httpx.get(url).text\n        except httpx.HTTPError:\n            time.sleep(2)\n    return ""\n`);
      assert.match(fixed, /time\.sleep\(min\(30, 2 \* 2 \*\* attempt\) \* random\.random\(\)\)/);
      assert.match(fixed, /^import random$/m);
    });
    it('adds wait_random_exponential to tenacity', () => {
      const fixed = expectPyFixWorks(ID, `from tenacity import retry, stop_after_attempt\n${FASTMCP_HEADER}\n@retry(stop=stop_after_attempt(3))\ndef a() -> None:\n    pass\n\n@retry\ndef b() -> None:\n    pass\n`);
      assert.match(fixed, /@retry\(stop=stop_after_attempt\(3\), wait=tenacity\.wait_random_exponential\(multiplier=1, max=30\)\)/);
      assert.match(fixed, /@retry\(wait=tenacity\.wait_random_exponential\(multiplier=1, max=30\), stop=stop_after_attempt\(5\)\)/);
    });
  });
});
