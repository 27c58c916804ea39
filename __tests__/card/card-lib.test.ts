/**
 * The card's pure functions: the sample card of docs/federation-card.md is a card `card add`
 * accepts, and the YAML edit works on configs without peers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { addPeerToYaml, checkCardCertificates, parseCard, peerEntryTypeScript } from '../../lib/card';
import { REPO_ROOT } from '../support/config';

const entry = { domain: 'blue.example.com', searchPolicy: 'no_search' as const, caCertificates: [{ file: 'peers/blue.example.com.pem' }] };

describe('card library', () => {
  test('the sample card of docs/federation-card.md parses and its certificate matches its fingerprint', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'federation-card.md'), 'utf8');
    const sample = /<!-- doc-test: yaml -->\n```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(sample).toBeDefined();
    const parsed = parseCard(sample!);
    if (!('card' in parsed)) throw new Error(parsed.problems.join('\n'));
    expect(parsed.card.backendDomain).toBe('red.example.com');
    const { cas, problems } = checkCardCertificates(parsed.card, new Date('2027-01-01T00:00:00Z'));
    expect(problems).toEqual([]);
    expect(cas).toHaveLength(1);
  });

  test('addPeerToYaml: a config without peers, and one with an empty "peers:", get a block list', () => {
    const without = addPeerToYaml('# ours\nenvironment: red # name\n', entry);
    expect(without).toBe(
      '# ours\nenvironment: red # name\npeers:\n  - domain: blue.example.com\n    searchPolicy: no_search\n    caCertificates:\n      - file: peers/blue.example.com.pem\n',
    );
    const empty = addPeerToYaml('environment: red\npeers:\nteams: []\n', entry);
    expect(parse(empty)).toEqual({ environment: 'red', peers: [entry], teams: [] });
    expect(() => addPeerToYaml('peers: 3\n', entry)).toThrow('peers is not a list');
  });

  test('peerEntryTypeScript quotes what it prints', () => {
    expect(peerEntryTypeScript({ ...entry, caCertificates: [{ file: "it's/x.pem" }], allowedTeams: ['6f2a4b1c-9d3e-4f5a-8b7c-1d2e3f4a5b6c'] })).toBe(
      "{ domain: 'blue.example.com', searchPolicy: 'no_search', caCertificates: [{ file: 'it\\'s/x.pem' }], allowedTeams: ['6f2a4b1c-9d3e-4f5a-8b7c-1d2e3f4a5b6c'] }",
    );
  });
});
