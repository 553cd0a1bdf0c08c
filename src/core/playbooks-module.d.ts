// `import playbooks from 'mcp-architect:playbooks'`: the parsed, validated media/playbooks/*.yaml, resolved by the
// esbuild plugin in scripts/esbuild-playbooks.mjs. Bundles only; code that tests run unbundled imports
// `PLAYBOOKS` from './playbook-data' instead, which works in both.
declare module 'mcp-architect:playbooks' {
  const playbooks: readonly import('./playbooks').Playbook[];
  export default playbooks;
}
