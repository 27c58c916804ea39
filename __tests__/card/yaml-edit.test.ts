/**
 * `card add` on a YAML config changes nothing but the added peer: indentation (4 spaces,
 * unindented `- item` lists), comments and their spacing, and a comment on `peers:` stay.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { addPeerToYaml } from '../../lib/card';
import { cli } from '../support/cli';
import { makeCa } from '../support/certificates';
import { Organisation, Workspace, blueCardFor } from './support';

let red: Organisation;
let ws: Workspace;
let blueCard: string;

beforeAll(async () => {
  ({ red, ws, blueCard } = await blueCardFor());
  ws.organisation(red); // red's certificate files
  ws.file('green-ca.pem', (await makeCa({ commonName: 'green federation CA' })).certPem);
});
afterAll(() => ws?.cleanup());

/** The lines `after` has beyond `before`, when `after` is `before` with one block of lines inserted; else throws. */
function insertedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const added = b.length - a.length;
  expect(added).toBeGreaterThan(0);
  expect(b.slice(i + added)).toEqual(a.slice(i)); // nothing changed or removed: only lines added
  return b.slice(i, i + added);
}

const FOUR_SPACES = [
  '# red, indented with 4 spaces; lists not indented',
  'environment: red',
  'backendDomain: red.example.com   # never changes',
  'federatorDomain: federator.red.example.com',
  'ingress:',
  '    ipv4: 203.0.113.10 # the load balancer',
  'dns:',
  '    backendZoneId: "0123456789abcdef0123456789abcdef"',
  "    infrastructureZoneId: 'fedcba9876543210fedcba9876543210'",
  'charts:',
  '    wireServer:',
  '        version: "5.32.0"',
  '    nginxIngressServices: {version: "5.32.0"}',
  'teams:',
  '- name: red-ops   # ours',
  '  id: 6f2a4b1c-9d3e-4f5a-8b7c-1d2e3f4a5b6c',
  'peers:   # partners',
  '- domain: green.example.com    # since 2025',
  '  caCertificates:',
  '  - file: green-ca.pem',
  '# pki: provided, see docs/pki.md',
  'pki:',
  '    mode: provided',
  '    certificateFile: red-federator.pem',
  '    keyFile: red-federator.key     # read by Terraform at apply',
  '    caFile: red-ca.pem',
  '',
].join('\n');

describe('card add edits a YAML config line by line', () => {
  test('4-space indentation, unindented lists, comments: the diff is the added peer only', async () => {
    const config = ws.file('red.yaml', FOUR_SPACES);
    const added = await cli(['card', 'add', '--config', config, blueCard, '--search-policy', 'exact_handle_search']);
    expect({ code: added.code, err: added.err }).toEqual({ code: 0, err: '' });
    expect(insertedLines(FOUR_SPACES, readFileSync(config, 'utf8'))).toEqual([
      '- domain: blue.example.com',
      '  searchPolicy: exact_handle_search',
      '  caCertificates:',
      '  - file: peers/blue.example.com.pem',
    ]);
  });

  test('a list of peers already there: the new one after the last, indented as the first', () => {
    const text = 'environment: red\npeers:\n    -   domain: a.example.com   # first\n        caCertificates:\n        -   file: a.pem\n# the end\nteams: []\n';
    const entry = { domain: 'blue.example.com', searchPolicy: 'no_search' as const, caCertificates: [{ file: 'peers/b.pem' }] };
    const edited = addPeerToYaml(text, entry);
    expect(insertedLines(text, edited)).toEqual([
      '    -   domain: blue.example.com',
      '        searchPolicy: no_search',
      '        caCertificates:',
      '        - file: peers/b.pem',
    ]);
    expect(parse(edited).peers[1]).toEqual(entry);
  });

  test('"peers: []  # none yet" keeps its comment; a flow list gets a flow entry', () => {
    const entry = { domain: 'blue.example.com', searchPolicy: 'no_search' as const, caCertificates: [{ file: 'peers/b.pem' }] };
    expect(addPeerToYaml('environment: red\npeers: []  # none yet\nteams: []\n', entry)).toBe(
      'environment: red\npeers:  # none yet\n  - domain: blue.example.com\n    searchPolicy: no_search\n    caCertificates:\n      - file: peers/b.pem\nteams: []\n',
    );
    expect(addPeerToYaml('environment: red\npeers: [{domain: a.example.com, caCertificates: [{file: a.pem}]}] # c\n', entry)).toBe(
      'environment: red\npeers: [{domain: a.example.com, caCertificates: [{file: a.pem}]}, {domain: blue.example.com, searchPolicy: no_search, caCertificates: [{file: peers/b.pem}]}] # c\n',
    );
    // A file name YAML would read otherwise is quoted.
    expect(parse(addPeerToYaml('peers:\n', { ...entry, caCertificates: [{ file: 'true' }, { file: 'a: b#c' }] })).peers[0].caCertificates).toEqual([
      { file: 'true' },
      { file: 'a: b#c' },
    ]);
  });
});
