// The SARIF 2.1.0 JSON schema (test/fixtures/sarif), compiled with Ajv.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { REPO_ROOT } from './rules';

let compiled: ValidateFunction<any> | undefined;

/** A validator for SARIF logs; `any` because the logs under test are parsed JSON whose fields the tests read. */
export function sarifValidator(): ValidateFunction<any> {
  if (compiled) return compiled;
  const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0-rtm.5.json'), 'utf8'));
  // Draft-04 `id` -> `$id`, and no `u` flag for one of its patterns (see test/fixtures/sarif/README.md).
  const { id, $schema: _draft, ...rest } = schema;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  ajv.addFormat('uri', s => /^[a-z][a-z0-9+.-]*:/i.test(s) && URL.canParse(s));
  ajv.addFormat('uri-reference', s => URL.canParse(s, 'file:///base/') && !/\s/.test(s));
  ajv.addFormat('date-time', s => !Number.isNaN(Date.parse(s)));
  return (compiled = ajv.compile({ $id: id, ...rest }));
}
