/**
 * The references in docs/reference/ are generated from the code (`npm run docs`): the committed
 * files must be exactly what the code generates now, and every check id of the code is listed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateReferences } from '../../scripts/docs/references';
import { validationChecks, verifyChecks } from '../../scripts/docs/checks-reference';
import { CONFIG_RULES } from '../../lib/config/errors';
import { FEDERATION_RULES } from '../../lib/checks/pack';
import { PIPELINE_RULE_IDS } from '../../lib/validation/pipeline';
import { RENDER_RULE_IDS } from '../../lib/render/checks';
import { PAIR_RULES } from '../../lib/checks/pairs';
import { ADOPT_RULES } from '../../lib/adopt/rules';

const ROOT = join(__dirname, '..', '..');
const generated = generateReferences(ROOT);

describe('generated references', () => {
  test.each([...generated.keys()])('%s is what the code generates (run `npm run docs` after changing the code)', (file) => {
    let committed: string;
    try {
      committed = readFileSync(join(ROOT, file), 'utf8');
    } catch {
      throw new Error(`${file} is missing: run \`npm run docs\` and commit it`);
    }
    if (committed !== generated.get(file)) {
      throw new Error(`${file} differs from what the code generates: run \`npm run docs\` and commit the result`);
    }
  });

  test('generation is deterministic and machine-independent (no dates, no absolute paths)', () => {
    const again = generateReferences(ROOT);
    for (const [file, content] of generated) {
      expect(again.get(file)).toBe(content);
      expect(content).not.toContain(ROOT);
      expect(content).not.toMatch(/\b20\d\d-\d\d-\d\dT/);
    }
  });

  test('the config reference documents every field, with a description', () => {
    const config = generated.get('docs/reference/config.md') as string;
    for (const path of [
      'environment',
      'backendDomain',
      'dns.srv.weight',
      'peers[].allowedTeams',
      'pki.caGenerations',
      'ingress.gateway.className',
      'remotes.removedPeers',
      'backend.bucket',
    ]) {
      expect(config).toContain(`| \`${path}\` |`);
    }
    const undocumented = config.split('\n').filter((l) => /^\| `[^`]+` \|/.test(l) && /\|\s+\|$/.test(l));
    expect(undocumented).toEqual([]);
    expect(config).toMatch(/\| `dns\.srv\.weight` \| integer, 1 to 65535 \| `10` \|/);
    expect(config).toContain('| `dns.provider` | `"cloudflare"` \\| `"route53"`');
  });

  test('the CLI reference lists every command and option of the program', () => {
    const cli = generated.get('docs/reference/cli.md') as string;
    for (const command of ['validate', 'lock', 'verify', 'check-pairs', 'adopt', 'render']) expect(cli).toContain(`## \`${command}\``);
    expect(cli).toContain('| `--timeout <ms>` | `5000` |');
    expect(cli).toMatch(/\| 2 \| usage error/);
  });
});

describe('the checks reference lists every check id of the code', () => {
  const checks = generated.get('docs/reference/checks.md') as string;
  const ids = [
    ...Object.keys(CONFIG_RULES),
    ...FEDERATION_RULES.map((r) => r.id),
    ...Object.values(PIPELINE_RULE_IDS),
    ...Object.keys(PAIR_RULES),
    ...Object.values(RENDER_RULE_IDS),
    ...Object.keys(ADOPT_RULES),
    ...verifyChecks().map((c) => c.id),
  ];
  test.each(ids)('`%s`', (id) => {
    expect(checks).toContain(`| \`${id}\` |`);
  });

  test('every validation check has a level and a description', () => {
    for (const c of validationChecks()) {
      expect(c.description.length).toBeGreaterThan(10);
      expect(['error', 'warning', 'error or warning']).toContain(c.level);
    }
  });

  /** `rule: '<id>'` literals in the sources of the parser, the PKI checks, the lock and the pairs. */
  function literalRuleIds(dir: string): string[] {
    return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...readFileSync(join(ROOT, dir, f), 'utf8').matchAll(/\b(?:rule: |const RULE = )'([a-z0-9-]+)'/g)].map((m) => m[1]));
  }

  test('every rule id written as a literal in the code is registered', () => {
    const registered = new Set(validationChecks().map((c) => c.id));
    const used = ['lib', 'bin'].flatMap(literalRuleIds);
    expect(used.length).toBeGreaterThan(10);
    expect([...new Set(used)].filter((id) => !registered.has(id))).toEqual([]);
  });

  test("each federation rule's declared level is the level of the findings it writes (lib/checks/rules/)", () => {
    const dir = join(ROOT, 'lib', 'checks', 'rules');
    const mismatches: string[] = [];
    let rules = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const chunks = readFileSync(join(dir, file), 'utf8')
        .split(/^export const \w+: FederationRule = \{$/m)
        .slice(1);
      for (const chunk of chunks) {
        rules++;
        const id = /\bid: '([a-z0-9-]+)'/.exec(chunk)?.[1];
        const declared = /^ {2}level: '(error|warning)',$/m.exec(chunk)?.[1] ?? 'error';
        const written = new Set([...chunk.replace(/^ {2}level: '(error|warning)',$/m, '').matchAll(/\blevel: '(error|warning)'/g)].map((m) => m[1]));
        if (/\berror\(/.test(chunk)) written.add('error');
        if ([...written].some((level) => level !== declared)) mismatches.push(`${file} ${id}: declared ${declared}, writes ${[...written].join(', ')}`);
      }
    }
    expect(rules).toBe(FEDERATION_RULES.length);
    expect(mismatches).toEqual([]);
  });
});
