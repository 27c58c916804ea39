/**
 * The card exchange through the CLI alone: red exports, blue adds, blue exports, red adds, and
 * check-pairs on the two YAML configs passes. `card add` keeps the comments and the key order of
 * the configs.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cli, lines } from '../support/cli';
import { BLUE_TEAM, Organisation, RED_TEAM, Workspace, makeOrganisation } from './support';

let red: Organisation;
let blue: Organisation;
let ws: Workspace;
let redConfig: string;
let blueConfig: string;

beforeAll(async () => {
  [red, blue] = await Promise.all([makeOrganisation('red'), makeOrganisation('blue')]);
  ws = new Workspace();
  redConfig = ws.organisation(red, { remotesApi: true });
  blueConfig = ws.organisation(blue, { remotesApi: true });
});
afterAll(() => ws?.cleanup());

const DATE = '2026-12-03';

describe('card round trip between two organisations', () => {
  test('red exports, blue adds, blue exports, red adds; check-pairs passes', async () => {
    const redCard = join(ws.path, 'red-card.yaml');
    const exported = await cli(['card', 'export', '--config', redConfig, '--contact', 'ops@red.example.com', '--date', DATE, '--out', redCard]);
    expect({ code: exported.code, err: exported.err }).toEqual({ code: 0, err: '' });
    expect(lines(exported.out)).toEqual([
      `CA certificate from pki.caFile red-ca.pem:`,
      `  SHA-256 ${new X509Certificate(red.ca.certPem).fingerprint256}  CN=red federation CA, valid until ${new Date(red.ca.certificate.notAfter).toISOString().slice(0, 10)}`,
      'searchPolicy no_search (the default: we have no peers yet; give --search-policy to ask for another)',
      `✔ wrote ${redCard}: the card of red.example.com; send it, then read the fingerprints above to the partner over the phone`,
    ]);
    const card = parse(readFileSync(redCard, 'utf8'));
    expect(card).toMatchObject({
      apiVersion: 'wire-federation-cdktf/v1',
      kind: 'FederationCard',
      backendDomain: 'red.example.com',
      federator: { domain: 'federator.red.example.com', port: 443, chainDepth: 1 },
      ingress: { chart: 'nginx-ingress-services', verifyDepth: 1 },
      searchPolicy: 'no_search',
      teams: [{ name: 'red-ops', id: RED_TEAM }],
      federationApiVersions: [0, 1, 2, 3],
      contact: 'ops@red.example.com',
      date: DATE,
    });
    expect(card.caCertificates).toHaveLength(1);
    expect(card.caCertificates[0].sha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(readFileSync(redCard, 'utf8')).not.toMatch(/PRIVATE KEY/);

    const blueAdds = await cli(['card', 'add', '--config', blueConfig, redCard, '--search-policy', 'full_search', '--allowed-teams', 'red-ops']);
    expect({ code: blueAdds.code, err: blueAdds.err }).toEqual({ code: 0, err: '' });
    expect(blueAdds.out).toContain(
      `✔ added peer red.example.com to ${blueConfig} (searchPolicy full_search; the card asks for no_search, tell ops@red.example.com; users of team ${RED_TEAM} of red.example.com may find ours)`,
    );
    expect(readFileSync(join(ws.path, 'peers', 'red.example.com.pem'), 'utf8')).toBe(`${red.ca.certPem.trim().replace(/\r\n/g, '\n')}\n`);
    expect(parse(readFileSync(blueConfig, 'utf8')).peers).toEqual([
      { domain: 'red.example.com', searchPolicy: 'full_search', caCertificates: [{ file: 'peers/red.example.com.pem' }], allowedTeams: [RED_TEAM] },
    ]);
    // What is left to do, both sides, in order.
    const steps = lines(blueAdds.out)
      .filter((l) => /^ {2}\d+\. /.test(l))
      .map((l) => l.replace(/^ {2}\d+\. ([a-z.]+):.*$/, '$1'));
    expect(steps).toEqual(['us', 'us', 'us', 'red.example.com', 'both', 'both', 'both']);
    expect(blueAdds.out).toContain('wait 20 s after the second deploy');

    const blueCard = join(ws.path, 'blue-card.yaml');
    const blueExports = await cli(['card', 'export', '--config', blueConfig, '--contact', '+49 30 1234567', '--date', DATE, '--out', blueCard]);
    expect({ code: blueExports.code, err: blueExports.err }).toEqual({ code: 0, err: '' });
    expect(parse(readFileSync(blueCard, 'utf8'))).toMatchObject({
      backendDomain: 'blue.example.com',
      searchPolicy: 'full_search',
      teams: [{ name: 'blue-ops', id: BLUE_TEAM }],
    });

    const redAdds = await cli(['card', 'add', '--config', redConfig, blueCard]);
    expect({ code: redAdds.code, err: redAdds.err }).toEqual({ code: 0, err: '' });
    expect(redAdds.out).toContain(
      `✔ added peer blue.example.com to ${redConfig} (searchPolicy full_search, as the card asks; all users of blue.example.com may find ours)`,
    );

    const pairs = await cli(['check-pairs', '--config', redConfig, '--config', blueConfig]);
    expect(pairs).toEqual({ code: 0, out: '✔ 2 environments: every federating pair agrees\n', err: '' });
    const validated = await cli(['validate', redConfig, blueConfig]);
    expect({ code: validated.code, err: validated.err }).toEqual({ code: 0, err: '' });
  });

  test('card add kept the comments and the key order of the YAML config', () => {
    const text = readFileSync(redConfig, 'utf8');
    expect(text).toContain('# red: the backend of the red organisation\n');
    expect(text).toContain('backendDomain: red.example.com # never changes\n');
    expect(text).toContain('# partners: added by wire-federation card add\npeers:\n  - domain: blue.example.com\n');
    expect(text).toContain('keyFile: red-federator.key # read by Terraform at apply\n');
    expect(text).toContain('  wireServer: {version: "5.32.0"}\n');
    expect(text).toContain('# team restrictions need the API\nremotes: {mode: api}\n');
    const keys = Object.keys(parse(text));
    expect(keys).toEqual(['environment', 'backendDomain', 'federatorDomain', 'ingress', 'dns', 'charts', 'remotes', 'teams', 'peers', 'pki']);
    expect(existsSync(join(ws.path, 'peers', 'blue.example.com.pem'))).toBe(true);
  });
});
