/**
 * `card add` for the other kinds of config: an environment written in TypeScript (the entry to
 * paste, the CA bundle in the peers directory) and a JSON file (edited in place, key order and
 * indentation kept).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, lines } from '../support/cli';
import { filesUnder } from '../support/files';
import { REPO_ROOT } from '../support/config';
import { Organisation, Workspace, makeOrganisation } from './support';

let partner: Organisation;
let ws: Workspace;
let card: string;

beforeAll(async () => {
  partner = await makeOrganisation('blue');
  ws = new Workspace();
  const config = ws.organisation(partner);
  card = join(ws.path, 'blue-card.yaml');
  expect((await cli(['card', 'export', '--config', config, '--contact', 'ops@blue.example.com', '--date', '2026-12-03', '--out', card])).code).toBe(0);
});
afterAll(() => ws?.cleanup());

describe('card add', () => {
  test('an environment written in TypeScript: the CA bundle is stored, the peers[] entry is printed to paste', async () => {
    const repoPeers = filesUnder(join(REPO_ROOT, 'stacks', 'environments', 'peers'));
    const peersDir = join(ws.path, 'ts-peers');
    const { code, out, err } = await cli(['card', 'add', 'red', card, '--peers-dir', peersDir, '--search-policy', 'exact_handle_search']);
    // red federates calls; blue's card carries no calling endpoints: a warning says what to ask for.
    expect({ code, err }).toEqual({
      code: 0,
      err: expect.stringMatching(
        /^⚠ \S+blue-card\.yaml: calling: the card carries no calling endpoints, but environment red federates calls: ask blue\.example\.com \(ops@blue\.example\.com\)[^\n]*\n$/,
      ),
    });
    expect(readFileSync(join(peersDir, 'blue.example.com.pem'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    const result = lines(out);
    const at = result.indexOf(
      '→ add this entry to peers in stacks/environments/red.ts (searchPolicy exact_handle_search; the card asks for no_search, tell ops@blue.example.com; all users of blue.example.com may find ours):',
    );
    expect(at).toBeGreaterThan(0);
    expect(result[at + 1]).toBe(
      `  { domain: 'blue.example.com', searchPolicy: 'exact_handle_search', caCertificates: [{ file: '${join(peersDir, 'blue.example.com.pem')}' }] }`,
    );
    expect(result).toContain('  1. us: paste the peer entry above into peers in stacks/environments/red.ts');
    expect(result).toContain('  3. us: record the new peer in the lock file: npx wire-federation lock red');
    expect(out).toContain('us: send our card back: npx wire-federation card export red --ca-file red-ca.pem --contact <you> --out red-card.yaml');
    // Nothing written into the repository.
    expect(filesUnder(join(REPO_ROOT, 'stacks', 'environments', 'peers'))).toEqual(repoPeers);
  });

  test('a JSON config: edited in place, key order and indentation kept', async () => {
    const json = ws.file(
      'red.json',
      `${JSON.stringify({ environment: 'red', backendDomain: 'red.example.com', federatorDomain: 'federator.red.example.com', ingress: { ipv4: '203.0.113.10' }, dns: { backendZoneId: '0123456789abcdef0123456789abcdef', infrastructureZoneId: 'fedcba9876543210fedcba9876543210' }, charts: { wireServer: { version: '5.32.0' }, nginxIngressServices: { version: '5.32.0' } } }, null, 4)}\n`,
    );
    const { code, err } = await cli(['card', 'add', '--config', json, card]);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const text = readFileSync(json, 'utf8');
    expect(text).toMatch(/^\{\n {4}"environment": "red",\n/);
    expect(Object.keys(JSON.parse(text))).toEqual(['environment', 'backendDomain', 'federatorDomain', 'ingress', 'dns', 'charts', 'peers']);
    expect(JSON.parse(text).peers).toEqual([
      { domain: 'blue.example.com', searchPolicy: 'no_search', caCertificates: [{ file: 'peers/blue.example.com.pem' }] },
    ]);
  });

  test('usage: no card file, an unknown environment', async () => {
    const noCard = await cli(['card', 'add', 'red']);
    expect(noCard.code).toBe(2);
    expect(noCard.err).toBe(
      'error: give the environment and the card file: npx wire-federation card add <environment> <card.yaml> (or --config <file> <card.yaml>)\n',
    );
    const unknown = await cli(['card', 'add', 'purple', card]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^error: unknown environment "purple"/);
  });
});
