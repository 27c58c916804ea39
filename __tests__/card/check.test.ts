/**
 * `card check` against a DNS server and a fake federator on 127.0.0.1: the right card passes,
 * a card with another CA and a backend whose SRV record points elsewhere are named.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDnsServer, TestDnsServer } from '../support/dns-server';
import { FakeFederator, startFakeFederator } from '../support/fake-federator';
import { cli, lines } from '../support/cli';
import { BACKEND, PEER, PEER_FEDERATOR, Pki, SRV_BETA, TempDir, configInput, goodZone, makePki, peerZone, srv, writeConfig } from '../verify/harness';
import { caEntry, tampered } from './support';

let pki: Pki;
let dns: TestDnsServer;
let dir: TempDir;
let peer: FakeFederator;
let card: string;
let cardText: string;
let certFile: string;
let keyFile: string;

beforeAll(async () => {
  pki = await makePki();
  dns = await startDnsServer({});
  dir = new TempDir();
  peer = await startFakeFederator({
    host: PEER_FEDERATOR,
    cert: pki.peerFederator.chainPem,
    key: pki.peerFederator.keyPem,
    clientCa: [pki.ca.certPem],
    dnsServer: dns.address,
    remotes: [BACKEND],
  });
  // The partner (beta) exports its card from its own config, in provided mode.
  dir.file('beta-federator.pem', pki.peerFederator.chainPem);
  dir.file('beta-ca.pem', pki.peerCa.certPem);
  const beta = writeConfig(
    dir,
    {
      ...configInput(peer.port),
      environment: 'beta',
      backendDomain: PEER,
      federatorDomain: PEER_FEDERATOR,
      pki: { mode: 'provided', certificateFile: 'beta-federator.pem', caFile: 'beta-ca.pem' },
    },
    'beta.json',
  );
  card = join(dir.path, 'beta-card.yaml');
  const exported = await cli(['card', 'export', '--config', beta, '--contact', 'ops@beta.test', '--date', '2026-12-03', '--out', card]);
  expect(exported.code).toBe(0);
  cardText = readFileSync(card, 'utf8');
  certFile = dir.file('alpha.pem', pki.federator.chainPem);
  keyFile = dir.file('alpha.key', pki.federator.keyPem);
});

afterAll(async () => {
  await peer?.close();
  await dns?.close();
  dir?.cleanup();
});

const check = (file: string, extra: string[] = []) => cli(['card', 'check', file, '--dns-server', dns.address, '--timeout', '2000', ...extra]);

describe('card check', () => {
  test('the right card: every check passes, with our client certificate the federated call answers', async () => {
    dns.setZone({ ...goodZone(443), ...peerZone(peer.port) });
    // --origin-domain is normalized as every domain of the config is (case, trailing dot).
    const { code, out, err } = await cli([
      'card',
      'check',
      card,
      '--dns-server',
      dns.address,
      '--timeout',
      '2000',
      '--client-cert',
      certFile,
      '--client-key',
      keyFile,
      '--origin-domain',
      `${BACKEND.toUpperCase()}.`,
    ]);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const result = lines(out);
    expect(result[0]).toBe(`Checking the card of ${PEER} (2026-12-03) against what it serves: federator ${PEER_FEDERATOR}:${peer.port}`);
    const ids = result.slice(1, -1).map((l) => /^([✔✖⚠-]) (\S+)/.exec(l)!.slice(1).join(' '));
    expect(ids).toEqual([
      '✔ srv',
      '✔ srv.target',
      '✔ srv.port',
      '✔ tls',
      '✔ san',
      '✔ expiry',
      '✔ chain',
      '✔ chain.depth',
      '✔ accepts-us',
      '✔ federation.call',
      '✔ versions',
    ]);
    expect(result).toContain(`✔ srv.target       target ${PEER_FEDERATOR} as the card says`);
    expect(result).toContain('✔ versions         answers the federation API versions the card names (0, 1, 2, 3)');
    // Without --federation-versions we have no versions of ours: the call only has to answer, the versions check compares with the card.
    expect(result).toContain(`✔ federation.call  ${PEER}'s federator accepted ${BACKEND}: federation API versions 0, 1, 2, 3`);
    expect(result.at(-1)).toBe(`11 passed, 0 failed, 0 warnings: the card matches what ${PEER} serves`);
    expect(peer.requests.some((r) => r.originDomain === BACKEND)).toBe(true);
  });

  test('without a client certificate: the mutual-TLS checks are warnings, exit 0', async () => {
    dns.setZone({ ...goodZone(443), ...peerZone(peer.port) });
    const { code, out } = await check(card);
    expect(code).toBe(0);
    expect(
      lines(out)
        .filter((l) => l.startsWith('⚠'))
        .map((l) => l.split(/\s+/)[1]),
    ).toEqual(['accepts-us', 'federation.call']);
  });

  test('a card with another CA: the chain check names the mismatch, exit 1', async () => {
    dns.setZone({ ...goodZone(443), ...peerZone(peer.port) });
    const wrong = dir.file(
      'wrong-ca.yaml',
      tampered(cardText, (c) => (c.caCertificates = [caEntry(pki.strangerCa.certPem)])),
    );
    const { code, out } = await check(wrong);
    expect(code).toBe(1);
    const failed = lines(out).filter((l) => l.startsWith('✖'));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(
      /^✖ chain +issuer "CN=Beta Federation CA" is not trusted by the card's CA \([0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2}…\) \([A-Z_]+\) → /,
    );
    expect(failed[0]).toContain(`→ ${PEER} serves a certificate that the card's CA did not sign`);
    expect(
      lines(out)
        .filter((l) => l.startsWith('⚠'))
        .map((l) => l.split(/\s+/)[1]),
    ).toEqual(['accepts-us', 'federation.call']);
    expect(lines(out)).toContain('- chain.depth      skipped: the certificate does not chain to the trusted CA (see the chain check)');
    expect(lines(out).at(-1)).toBe(`6 passed, 1 failed, 2 warnings, 1 skipped: the card does NOT match what ${PEER} serves`);
  });

  test('an SRV record that points elsewhere than the card says: srv.target and srv.port fail, exit 1', async () => {
    dns.setZone({ ...goodZone(443), [SRV_BETA]: [srv(`fed2.${PEER}`, peer.port + 1)], [`fed2.${PEER}`]: [{ type: 'A', address: '127.0.0.1' }] });
    const { code, out } = await check(card);
    expect(code).toBe(1);
    const result = lines(out);
    expect(result.find((l) => l.startsWith('✖ srv.target'))).toMatch(
      new RegExp(
        `^✖ srv.target +SRV target is fed2\\.${PEER.replace(/\./g, '\\.')}, the card says ${PEER_FEDERATOR.replace(/\./g, '\\.')} → either ${PEER.replace(/\./g, '\\.')}'s SRV record or its card is wrong: ask ops@beta\\.test which is right`,
      ),
    );
    expect(result.find((l) => l.startsWith('✖ srv.port'))).toMatch(new RegExp(`^✖ srv.port +SRV port is ${peer.port + 1}, the card says ${peer.port} → `));
  });

  test('usage: a client certificate without --origin-domain, and a tampered card, exit 2', async () => {
    const noOrigin = await cli(['card', 'check', card, '--client-cert', certFile, '--client-key', keyFile]);
    expect(noOrigin).toMatchObject({ code: 2, out: '' });
    expect(noOrigin.err).toBe('error: give --origin-domain <our backend domain> with --client-cert: the federated call names where it comes from\n');
    const badOrigin = await cli(['card', 'check', card, '--client-cert', certFile, '--client-key', keyFile, '--origin-domain', 'wire_alpha.test']);
    expect(badOrigin).toMatchObject({ code: 2, out: '' });
    expect(badOrigin.err).toBe(
      'error: --origin-domain has an invalid label "wire_alpha": labels are 1-63 characters of a-z, 0-9 and "-", not starting or ending with "-"; received "wire_alpha.test"\n',
    );
    const bad = dir.file(
      'bad.yaml',
      tampered(cardText, (c) => (c.caCertificates[0].pem = pki.strangerCa.certPem)),
    );
    const refused = await check(bad);
    expect(refused.code).toBe(2);
    expect(lines(refused.err)).toHaveLength(2);
    expect(lines(refused.err)[1]).toBe(`✖ ${bad}: not a usable card, nothing checked`);
  });
});

describe('card check: chain depth', () => {
  test('a federator certificate below an intermediate while the card says depth 1: chain.depth fails', async () => {
    const { makeCa, makeLeaf } = await import('../support/certificates');
    const intermediate = await makeCa({ commonName: 'Beta Intermediate CA', issuer: pki.peerCa });
    const leaf = await makeLeaf({ issuer: intermediate, dnsNames: [PEER_FEDERATOR] });
    const deep = await startFakeFederator({
      host: PEER_FEDERATOR,
      cert: leaf.chainPem,
      key: leaf.keyPem,
      clientCa: [pki.ca.certPem],
      dnsServer: dns.address,
      remotes: [BACKEND],
    });
    try {
      dns.setZone({ ...goodZone(443), ...peerZone(deep.port) });
      const atPort = dir.file(
        'deep-card.yaml',
        tampered(cardText, (c) => (c.federator.port = deep.port)),
      );
      const { code, out } = await check(atPort);
      expect(code).toBe(1);
      expect(lines(out).filter((l) => l.startsWith('✖'))).toEqual([
        `✖ chain.depth      the certificate is 2 certificates below the CA, federator.chainDepth of the card says at most 1 → our ingress needs federation.verifyDepth of at least the real depth: ask ops@beta.test for a card with the right chainDepth, and set federation.verifyDepth accordingly`,
      ]);
    } finally {
      await deep.close();
    }
  });
});

describe('card check: federation API versions', () => {
  test('--federation-versions: the federated call is compared with ours, named as ours', async () => {
    dns.setZone({ ...goodZone(443), ...peerZone(peer.port) });
    const { code, out } = await check(card, ['--client-cert', certFile, '--client-key', keyFile, '--origin-domain', BACKEND, '--federation-versions', '2,3,4']);
    expect(code).toBe(0);
    expect(lines(out).find((l) => l.startsWith('✔ federation.call'))).toBe(
      `✔ federation.call  ${PEER}'s federator accepted ${BACKEND}: federation API versions 0, 1, 2, 3; ours: 2, 3, 4 from --federation-versions; common: 2, 3 (highest 3)`,
    );
  });

  test('a backend that answers other versions than its card names: a warning, exit 0', async () => {
    const older = await startFakeFederator({
      host: PEER_FEDERATOR,
      cert: pki.peerFederator.chainPem,
      key: pki.peerFederator.keyPem,
      clientCa: [pki.ca.certPem],
      dnsServer: dns.address,
      remotes: [BACKEND],
      versions: [0, 1],
    });
    try {
      dns.setZone({ ...goodZone(443), ...peerZone(older.port) });
      const atPort = dir.file(
        'older-card.yaml',
        tampered(cardText, (c) => (c.federator.port = older.port)),
      );
      const { code, out } = await check(atPort, ['--client-cert', certFile, '--client-key', keyFile, '--origin-domain', BACKEND]);
      expect(code).toBe(0);
      expect(lines(out).filter((l) => l.startsWith('⚠'))).toEqual([
        '⚠ versions         answers federation API versions 0, 1, the card says 0, 1, 2, 3 → wire.beta.test upgraded or downgraded wire-server since the card was made: ask ops@beta.test for a new card',
      ]);
    } finally {
      await older.close();
    }
  });
});
