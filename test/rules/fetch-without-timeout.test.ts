import { MCP_HEADER, expectFires, expectFixWorks, expectQuiet } from '../helpers/rules';

const ID = 'fetch-without-timeout';

describe(`rule ${ID}`, () => {
  describe('fires', () => {
    it('on fetch with no options', () => {
      expectFires(ID, `${MCP_HEADER}export async function get(u: string) { return fetch(u); }`);
    });
    it('on fetch with options but no signal', () => {
      expectFires(ID, `${MCP_HEADER}export async function post(u: string) { return fetch(u, { method: 'POST', body: '{}' }); }`);
    });
    it('on node-fetch default import and globalThis.fetch', () => {
      expectFires(ID, `${MCP_HEADER}import nf from 'node-fetch';\nexport async function a(u: string) { await nf(u); return globalThis.fetch(u, {}); }`, 2);
    });
  });
  describe('stays quiet', () => {
    it('when a signal is passed (the playbook pattern)', () => {
      expectQuiet(ID, `${MCP_HEADER}export async function get(u: string) { return fetch(u, { signal: AbortSignal.timeout(30_000) }); }`);
    });
    it('when options are spread or built elsewhere', () => {
      expectQuiet(ID, `${MCP_HEADER}const opts = { signal: AbortSignal.timeout(5000) };\nexport async function get(u: string, o: RequestInit) { await fetch(u, { ...o }); return fetch(u, opts); }`);
    });
    it('for a locally declared fetch or a method named fetch', () => {
      expectQuiet(ID, `${MCP_HEADER}function fetch(u: string) { return u; }\nconst repo = { fetch(id: string) { return id; } };\nexport const x = [fetch('a'), repo.fetch('b')];`);
    });
  });
  describe('fix', () => {
    it('adds a signal to a call with no options', () => {
      expectFixWorks(ID, `${MCP_HEADER}export async function get(u: string) { return fetch(u); }\n`);
    });
    it('adds a signal to single- and multi-line option objects', () => {
      expectFixWorks(
        ID,
        `${MCP_HEADER}export async function post(u: string) {\n  await fetch(u, { method: 'POST' });\n  return fetch(u, {\n    method: 'PUT',\n    body: '{}',\n  });\n}\n`,
      );
    });
  });
});
