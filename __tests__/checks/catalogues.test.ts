/**
 * The catalogues of rule and check ids (all but verify's, which has its own registry) in the one
 * shape of lib/core/catalogue.ts, with the id constants the code reports by naming exactly the
 * catalogue's ids, and no id in two catalogues (docs/reference/checks.md lists each once).
 */
import { ADOPT_RULES } from '../../lib/adopt/rules';
import { FEDERATION_RULE_CATALOGUE, FEDERATION_RULES } from '../../lib/checks/pack';
import { PAIR_RULES } from '../../lib/checks/pairs';
import { CONFIG_RULES } from '../../lib/config/errors';
import { catalogueEntries, type Catalogue } from '../../lib/core/catalogue';
import { PREFLIGHT_RULE_IDS, PREFLIGHT_RULES } from '../../lib/preflight/preflight';
import { RENDER_RULE_IDS, RENDER_RULES } from '../../lib/render/checks';
import { PIPELINE_RULE_IDS, PIPELINE_RULES } from '../../lib/validation/pipeline';

const CATALOGUES: { [name: string]: Catalogue } = {
  CONFIG_RULES,
  FEDERATION_RULE_CATALOGUE,
  PIPELINE_RULES,
  PAIR_RULES,
  RENDER_RULES,
  ADOPT_RULES,
  PREFLIGHT_RULES,
};

test.each(Object.entries(CATALOGUES))('%s: every entry has a level, a one-line description, and an id in kebab case', (_name, catalogue) => {
  const entries = catalogueEntries(catalogue);
  expect(entries.length).toBeGreaterThan(0);
  for (const e of entries) {
    expect(e.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(['error', 'warning', 'error or warning', 'info']).toContain(e.level);
    expect(e.description).toMatch(/^\S/);
    expect(e.description).not.toContain('\n');
  }
});

test.each([
  ['PIPELINE', PIPELINE_RULE_IDS, PIPELINE_RULES],
  ['RENDER', RENDER_RULE_IDS, RENDER_RULES],
  ['PREFLIGHT', PREFLIGHT_RULE_IDS, PREFLIGHT_RULES],
] as const)('%s_RULE_IDS name exactly the ids of the catalogue', (_name, ids, catalogue) => {
  expect(Object.values(ids).sort()).toEqual(Object.keys(catalogue).sort());
});

test("the federation rules' catalogue is the pack, in pack order, level error by default", () => {
  expect(Object.keys(FEDERATION_RULE_CATALOGUE)).toEqual(FEDERATION_RULES.map((r) => r.id));
  for (const r of FEDERATION_RULES) expect(FEDERATION_RULE_CATALOGUE[r.id]).toMatchObject({ level: r.level ?? 'error', description: r.description });
});

test('no id is in two catalogues, except the schema check the pipeline shares with the parser', () => {
  const seen = new Map<string, string>();
  for (const [name, catalogue] of Object.entries(CATALOGUES)) {
    for (const id of Object.keys(catalogue)) {
      if (seen.has(id)) expect([id, seen.get(id), name]).toEqual(['schema', 'CONFIG_RULES', 'PIPELINE_RULES']);
      seen.set(id, name);
    }
  }
  expect(PIPELINE_RULES.schema).toBe(CONFIG_RULES.schema);
});
