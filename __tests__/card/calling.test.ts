/**
 * The card carries calling: red and blue (provided certificates, a brought coturn certificate
 * each) export cards with their coturn host, public IPs, DTLS and the issuer CN; `card add` fills
 * the peer's `calling` fields; the round trip ends with check-pairs agreeing. Offline card checks
 * of the calling endpoints, and the TypeScript entry to paste.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { peerCallingOf, peerEntry, peerEntryTypeScript } from '../../lib/card/add';
import { parseCard } from '../../lib/card/parse';
import { checkCardCertificates } from '../../lib/card/validate';
import type { CertificateAndKey } from '../support/certificates';
import { makeLeaf } from '../support/certificates';
import { cli } from '../support/cli';
import { Organisation, Workspace, configYaml, makeOrganisation, tampered } from './support';

const IPS = { red: '198.51.100.21', blue: '198.51.100.22' } as const;

let red: Organisation;
let blue: Organisation;
let coturn: Record<'red' | 'blue', CertificateAndKey>;
let ws: Workspace;

/** The organisation's YAML config with calling on and its brought coturn certificate. */
function callingConfig(org: Organisation): string {
  ws.file(`${org.name}-coturn.pem`, coturn[org.name].chainPem);
  ws.file(`${org.name}-coturn.key`, coturn[org.name].keyPem);
  const text = configYaml(org).replace(
    '  nginxIngressServices: {version: "5.32.0"}\n',
    '  nginxIngressServices: {version: "5.32.0"}\n  coturn: {version: "0.0.43"}\n  sftd: {version: "0.0.43"}\n',
  );
  return ws.file(
    `${org.name}.yaml`,
    `${text}calling:\n  enabled: true\n  coturn:\n    host: coturn.${org.name}.example.com\n    publicIps: [${IPS[org.name]}]\n    certificate: {certificateFile: ${org.name}-coturn.pem, keyFile: ${org.name}-coturn.key}\n  sftd: {publicIps: [198.51.100.3${org.name === 'red' ? 1 : 2}]}\n`,
  );
}

beforeAll(async () => {
  [red, blue] = await Promise.all([makeOrganisation('red'), makeOrganisation('blue')]);
  coturn = {
    red: await makeLeaf({ issuer: red.ca, dnsNames: ['coturn.red.example.com'] }),
    blue: await makeLeaf({ issuer: blue.ca, dnsNames: ['coturn.blue.example.com'] }),
  };
  ws = new Workspace();
  ws.organisation(red);
  ws.organisation(blue);
});
afterAll(() => ws?.cleanup());

describe('the card carries calling', () => {
  test('export includes our coturn host, its public IPs, DTLS and the issuer CN; add fills the peer; check-pairs agrees', async () => {
    const redConfig = callingConfig(red);
    const blueConfig = callingConfig(blue);
    const redCard = join(ws.path, 'red-card.yaml');
    const exported = await cli(['card', 'export', '--config', redConfig, '--contact', 'ops@red.example.com', '--date', '2026-12-03', '--out', redCard]);
    expect({ code: exported.code, err: exported.err }).toEqual({ code: 0, err: '' });
    expect(parse(readFileSync(redCard, 'utf8')).calling).toEqual({
      coturn: { host: 'coturn.red.example.com', publicIps: ['198.51.100.21'], port: 9191, dtls: true, issuerCommonName: 'red federation CA' },
    });

    const blueAdds = await cli(['card', 'add', '--config', blueConfig, redCard]);
    expect({ code: blueAdds.code, err: blueAdds.err }).toEqual({ code: 0, err: '' });
    expect(parse(readFileSync(blueConfig, 'utf8')).peers).toEqual([
      {
        domain: 'red.example.com',
        searchPolicy: 'no_search',
        caCertificates: [{ file: 'peers/red.example.com.pem' }],
        calling: { coturnHost: 'coturn.red.example.com', publicIps: ['198.51.100.21'], issuerCommonName: 'red federation CA' },
      },
    ]);

    const blueCard = join(ws.path, 'blue-card.yaml');
    expect((await cli(['card', 'export', '--config', blueConfig, '--contact', 'ops@blue.example.com', '--date', '2026-12-03', '--out', blueCard])).code).toBe(
      0,
    );
    const redAdds = await cli(['card', 'add', '--config', redConfig, blueCard]);
    expect({ code: redAdds.code, err: redAdds.err }).toEqual({ code: 0, err: '' });
    expect(parse(readFileSync(redConfig, 'utf8')).peers[0].calling).toEqual({
      coturnHost: 'coturn.blue.example.com',
      publicIps: ['198.51.100.22'],
      issuerCommonName: 'blue federation CA',
    });

    expect(await cli(['check-pairs', '--config', redConfig, '--config', blueConfig])).toEqual({
      code: 0,
      out: '✔ 2 environments: every federating pair agrees\n',
      err: '',
    });
    // The coturn whitelist of each side now names the other's coturn and issuer.
    const validated = await cli(['validate', redConfig, blueConfig]);
    expect(validated.code).toBe(0);
    expect(validated.out + validated.err).not.toMatch(/calling-peer-endpoints/);
  });

  test('offline checks: an issuer CN that no CA of the card has, a private address, the federator host, DTLS off', () => {
    const text = readFileSync(join(ws.path, 'red-card.yaml'), 'utf8');
    const bad = tampered(text, (c) => {
      c.calling.coturn.issuerCommonName = 'Some Other CA';
      c.calling.coturn.publicIps = ['10.0.0.5'];
      c.calling.coturn.host = c.federator.domain;
      c.calling.coturn.dtls = false;
    });
    const parsed = parseCard(bad);
    if (!('card' in parsed)) throw new Error(parsed.problems.join('\n'));
    const problems = checkCardCertificates(parsed.card, new Date()).problems.filter((p) => p.message.startsWith('calling.'));
    expect(problems.map((p) => [p.level, p.message.split(':')[0]])).toEqual([
      ['error', 'calling.coturn.host'],
      ['warning', 'calling.coturn.publicIps[0]'],
      ['warning', 'calling.coturn.dtls'],
      ['warning', 'calling.coturn.issuerCommonName'],
    ]);
  });

  test('a card field of the wrong shape is refused by the schema; a card without calling still reads', () => {
    const text = readFileSync(join(ws.path, 'red-card.yaml'), 'utf8');
    const refused = parseCard(tampered(text, (c) => (c.calling.coturn.issuerCommonName = 'CA, Inc')));
    expect('problems' in refused && refused.problems.join('\n')).toMatch(/calling\.coturn\.issuerCommonName/);
    const without = parse(text);
    delete without.calling;
    const read = parseCard(stringify(without));
    expect('card' in read && read.card.calling).toBeUndefined();
  });

  test('the TypeScript entry to paste carries calling too', () => {
    const parsed = parseCard(readFileSync(join(ws.path, 'red-card.yaml'), 'utf8'));
    if (!('card' in parsed)) throw new Error('card');
    expect(peerCallingOf(parsed.card)).toEqual({ coturnHost: 'coturn.red.example.com', publicIps: ['198.51.100.21'], issuerCommonName: 'red federation CA' });
    expect(peerEntryTypeScript(peerEntry(parsed.card, { caFile: 'peers/red.example.com.pem' }))).toBe(
      "{ domain: 'red.example.com', searchPolicy: 'no_search', caCertificates: [{ file: 'peers/red.example.com.pem' }], calling: { coturnHost: 'coturn.red.example.com', publicIps: ['198.51.100.21'], issuerCommonName: 'red federation CA' } }",
    );
  });
});
