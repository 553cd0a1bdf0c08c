import { expandSnippet, getSnippet } from '../src/core/snippets';
const [lang, prefix] = process.argv.slice(2) as ['typescript', string];
const s = getSnippet(prefix, lang)!;
console.log(expandSnippet(s.body, { language: lang, fileName: '/w/orders-server.ts', unknownVariables: 'error' }));
