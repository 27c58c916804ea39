/**
 * The README lists every check by its id, and the exit codes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FEDERATION_RULES } from '../../lib/checks/pack';
import { PIPELINE_RULES } from '../../lib/validation/pipeline';
import { RENDER_RULES } from '../../lib/render/checks';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const checks = readme.slice(readme.indexOf('### Checks'), readme.indexOf('### Pull-request review'));

/** Ids set by the parser (stages 1 and 2), as `rule: '<id>'` in lib/config and lib/pki. */
const PARSER_RULES = ['schema', 'config-file', 'file-not-found', 'values-file', 'ca-certificate', 'provided-certificate', 'verify-depth', 'chart-version', 'restrict-needs-api'];
const PAIR_RULES = ['pair-not-mutual', 'pair-blocked', 'pair-untrusted-ca', 'pair-search-policy'];

test.each([...FEDERATION_RULES.map((r) => r.id), ...PARSER_RULES, ...PAIR_RULES, ...Object.values(PIPELINE_RULES).filter((id) => id !== 'construction'), ...Object.values(RENDER_RULES)])('the README lists the check `%s`', (id) => {
  expect(checks).toContain(`\`${id}\``);
});

test('the README gives the exit codes', () => {
  expect(checks).toMatch(/\*\*Exit codes\*\*.*\*\*0\*\* no error \(warnings allowed\),\s+\*\*1\*\* at least one error.*\*\*2\*\* usage error/s);
});
