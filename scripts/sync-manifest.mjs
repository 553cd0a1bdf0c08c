// Writes the `mcpArchitect.rules` settings schema into package.json from the rule registry (src/core/rules), so
// every rule id is listed with its severity choices. `--check` only reports whether package.json is in sync.
// Only that one property is rewritten; the rest of package.json keeps its formatting.
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import jsonc from 'jsonc-parser';
const { applyEdits, modify, parse } = jsonc;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RULES_SETTING_PATH = ['contributes', 'configuration', 'properties', 'mcpArchitect.rules'];

/** The schema generated from the current rule registry. */
export async function generatedRulesSchema() {
  const { RULES } = await tsImport(pathToFileURL(path.join(root, 'src/core/rules/index.ts')).href, import.meta.url);
  const { rulesSettingSchema } = await tsImport(pathToFileURL(path.join(root, 'src/extension/settings-schema.ts')).href, import.meta.url);
  return rulesSettingSchema(RULES);
}

/** package.json text with the generated schema in place (unchanged text when already in sync). */
export async function syncedManifestText(text) {
  const schema = await generatedRulesSchema();
  let current = parse(text);
  for (const key of RULES_SETTING_PATH) current = current?.[key];
  if (JSON.stringify(current) === JSON.stringify(schema)) return text;
  const edits = modify(text, RULES_SETTING_PATH, schema, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } });
  return applyEdits(text, edits);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const file = path.join(root, 'package.json');
  const text = readFileSync(file, 'utf8');
  const next = await syncedManifestText(text);
  if (process.argv.includes('--check')) {
    if (next !== text) {
      console.error('package.json: the mcpArchitect.rules schema is out of date; run `npm run sync:manifest`');
      process.exit(1);
    }
    console.log('package.json: mcpArchitect.rules schema is in sync with the rule registry');
  } else if (next !== text) {
    writeFileSync(file, next);
    console.log('package.json: mcpArchitect.rules schema updated from the rule registry');
  } else {
    console.log('package.json: mcpArchitect.rules schema already in sync');
  }
}
