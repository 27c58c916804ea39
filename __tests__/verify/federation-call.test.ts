/**
 * `verify --peers`: the real federation call (`peer[<domain>].federation.call`) against a fake
 * peer (ingress + federator + brig, __tests__/support/fake-federator.ts) on 127.0.0.1.
 */
import type { WireFederationInput } from '../../lib/config';
import { callFederator } from '../../lib/verify/federation-call';
import { judgeFederationCall, sanitize } from '../../lib/verify/federation-call-check';
import { federationVersionsOfChart, firstChartWith, parseVersionList, versionOverlap } from '../../lib/verify/federation-versions';
import { leafOf } from '../../lib/verify/verify';
import { makeLeaf } from '../support/certificates';
import { startDnsServer, TestDnsServer, TestZone } from '../support/dns-server';
import { FakeFederatorOptions, startFakeFederator, validateCertificateName } from '../support/fake-federator';
import { startFederatorServer, TestServer } from '../support/tls-servers';
import { lines } from '../support/cli';
import {
  BACKEND,
  FEDERATOR,
  PEER,
  PEER_FEDERATOR,
  Pki,
  SRV_ALPHA,
  TempDir,
  configInput,
  goodZone,
  makePki,
  peerZone,
  run,
  verifyJson,
  writeConfig,
} from './harness';

let pki: Pki;
let dns: TestDnsServer;
let silentDns: TestDnsServer;
let dir: TempDir;
let caFile: string;
let certFile: string;
let keyFile: string;
const servers: TestServer[] = [];
const CALL = `peer[${PEER}].federation.call`;

beforeAll(async () => {
  pki = await makePki();
  dns = await startDnsServer({});
  silentDns = await startDnsServer({}, { silent: true });
  dir = new TempDir();
  caFile = dir.file('ca.pem', pki.ca.certPem);
  certFile = dir.file('federator.pem', pki.federator.chainPem);
  keyFile = dir.file('federator.key', pki.federator.keyPem);
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await Promise.all([dns?.close(), silentDns?.close()]);
  dir?.cleanup();
});

/** Our ingress, the peer's fake federator (lists us unless told otherwise), DNS for both. */
async function setup(
  peer: Partial<FakeFederatorOptions> = {},
  zone: (ours: number, theirs: number) => TestZone = (o, t) => ({ ...goodZone(o), ...peerZone(t) }),
) {
  const ours = await startFederatorServer({ cert: pki.federator.chainPem, key: pki.federator.keyPem, clientCa: [pki.ca.certPem] });
  servers.push(ours);
  const fake = await startFakeFederator({
    host: PEER_FEDERATOR,
    cert: pki.peerFederator.chainPem,
    key: pki.peerFederator.keyPem,
    clientCa: [pki.ca.certPem],
    dnsServer: dns.address,
    remotes: [BACKEND],
    ...peer,
  });
  servers.push(fake);
  dns.setZone(zone(ours.port, fake.port));
  return { ours, fake };
}

const peers = (): Partial<WireFederationInput> => ({ peers: [{ domain: PEER, caCertificates: [{ pem: pki.peerCa.certPem }] }] });

async function verifyPeers(oursPort: number, extra: string[] = [], client: [string, string] = [certFile, keyFile]) {
  const config = writeConfig(dir, configInput(oursPort, peers()));
  return verifyJson([
    '--config',
    config,
    '--dns-server',
    dns.address,
    '--ca',
    caFile,
    '--client-cert',
    client[0],
    '--client-key',
    client[1],
    '--peers',
    '--timeout',
    '1500',
    ...extra,
  ]);
}

describe('federation.call against a fake federator', () => {
  test('success: the peer accepts us and answers its versions; they meet ours (from the chart version)', async () => {
    const { ours, fake } = await setup();
    const { code, checks, raw } = await verifyPeers(ours.port);
    expect(code).toBe(0);
    const call = checks.get(CALL);
    expect(call?.status).toBe('pass');
    expect(call?.message).toBe(
      `${PEER}'s federator accepted ${BACKEND}: federation API versions 0, 1, 2, 3; ours: 0, 1, 2, 3 from wire-server chart 5.32.0; common: 0, 1, 2, 3 (highest 3)`,
    );
    expect(JSON.parse(raw.out).checks.find((c: { id: string }) => c.id === CALL).details).toEqual({
      component: 'brig',
      httpStatus: 200,
      versions: [0, 1, 2, 3],
      commonVersions: [0, 1, 2, 3],
      ourVersions: [0, 1, 2, 3],
    });
    // The fake federator saw the call as the real one would get it.
    expect(fake.requests).toContainEqual({ method: 'POST', path: '/federation/brig/api-version', originDomain: BACKEND });
    // Nothing secret (nor any certificate body) in the report.
    expect(raw.out).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE/);
  });

  test('human output groups the checks of each peer under its heading', async () => {
    const { ours } = await setup();
    const config = writeConfig(dir, configInput(ours.port, peers()));
    const { code, out } = await run([
      'verify',
      '--config',
      config,
      '--dns-server',
      dns.address,
      '--ca',
      caFile,
      '--client-cert',
      certFile,
      '--client-key',
      keyFile,
      '--peers',
    ]);
    expect(code).toBe(0);
    const all = lines(out);
    const heading = all.indexOf(`Peer ${PEER}:`);
    expect(heading).toBeGreaterThan(all.findIndex((l) => l.startsWith('✔ mtls.client')));
    expect(all.slice(heading + 1, heading + 9).map((l) => l.trim().split(/\s+/)[1])).toEqual([
      'remote',
      'srv',
      'tls',
      'san',
      'expiry',
      'chain',
      'accepts-us',
      'federation.call',
    ]);
  });

  test('federation-denied: the peer does not list us', async () => {
    const { ours } = await setup({ remotes: ['someone.else.test'] });
    const { code, checks } = await verifyPeers(ours.port);
    expect(code).toBe(1);
    expect(checks.get(CALL)).toMatchObject({
      status: 'fail',
      message: `${PEER}'s federator refused the call: HTTP 400 federation-denied ("origin domain [${BACKEND}] not in the federation allow list")`,
      hint: expect.stringContaining(
        `${PEER} does not list ${BACKEND} in its remotes (or its federation strategy is allowNone): add ${BACKEND} to ${PEER}'s peers`,
      ),
    });
    // Everything below the federator passed: only the call shows the problem.
    expect([...checks.values()].filter((c) => c.status === 'fail').map((c) => c.id)).toEqual([CALL]);
  });

  test('federation-denied: strategy allowNone refuses even a listed domain; allowAll accepts an unlisted one', async () => {
    const none = await setup({ strategy: 'allowNone' });
    expect((await verifyPeers(none.ours.port)).checks.get(CALL)?.message).toContain('federation-denied');
    await Promise.all(servers.splice(0).map((s) => s.close()));
    const all = await setup({ strategy: 'allowAll', remotes: [] });
    expect((await verifyPeers(all.ours.port)).checks.get(CALL)?.status).toBe('pass');
  });

  test('authentication-failure: our SRV target is not covered by our certificate', async () => {
    const other = await makeLeaf({ issuer: pki.ca, dnsNames: ['other.wire.alpha.test'] });
    const otherCert = dir.file('other.pem', other.chainPem);
    const otherKey = dir.file('other.key', other.keyPem);
    const { ours } = await setup();
    const { code, checks } = await verifyPeers(ours.port, [], [otherCert, otherKey]);
    expect(code).toBe(1);
    const call = checks.get(CALL);
    expect(call?.message).toBe(
      `${PEER}'s federator refused the call: HTTP 403 authentication-failure ("none of the domain names match the certificate, errors: [[NameMismatch "${FEDERATOR}"]]")`,
    );
    expect(call?.hint).toBe(
      `${PEER} resolved ${BACKEND}'s SRV record (${SRV_ALPHA}) to ${FEDERATOR}, but ${BACKEND}'s certificate (${otherCert}) covers other.wire.alpha.test: ` +
        `on ${BACKEND}, issue the federator certificate for ${FEDERATOR} (or a wildcard that covers it), or point the SRV record at a name the certificate covers`,
    );
  });

  test('a wildcard certificate covers the SRV target: accepted', async () => {
    const wildcard = await makeLeaf({ issuer: pki.ca, dnsNames: ['*.wire.alpha.test'] });
    const { ours } = await setup();
    const { checks } = await verifyPeers(ours.port, [], [dir.file('w.pem', wildcard.chainPem), dir.file('w.key', wildcard.keyPem)]);
    expect(checks.get(CALL)?.status).toBe('pass');
  });

  test('invalid-domain: the peer finds no SRV record for us', async () => {
    const { ours } = await setup({}, (_o, t) => ({ [FEDERATOR]: [{ type: 'A', address: '127.0.0.1' }], ...peerZone(t) }));
    const { checks } = await verifyPeers(ours.port);
    expect(checks.get(CALL)).toMatchObject({
      status: 'fail',
      message: `${PEER}'s federator refused the call: HTTP 422 invalid-domain ("srv record not found: ${SRV_ALPHA}")`,
      hint: expect.stringContaining(`${PEER} found no SRV record ${SRV_ALPHA}: on ${BACKEND}, publish it`),
    });
  });

  test("discovery-failure: the peer's DNS lookup of our SRV record fails", async () => {
    const { ours } = await setup({ dnsServer: silentDns.address });
    const { checks } = await verifyPeers(ours.port);
    expect(checks.get(CALL)).toMatchObject({
      status: 'fail',
      message: `${PEER}'s federator refused the call: HTTP 400 discovery-failure ("DNS error: ${SRV_ALPHA}")`,
      hint: expect.stringContaining(`${PEER}'s DNS lookup of ${SRV_ALPHA} failed with a DNS error`),
    });
  });

  test("the ingress does not pass our certificate on: the federator's plain-text 400", async () => {
    const { ours } = await setup({ passCertificate: false });
    const { checks } = await verifyPeers(ours.port);
    expect(checks.get(CALL)).toMatchObject({
      status: 'fail',
      message: `${PEER}'s federator answered HTTP 400 (text/plain, "Header X-SSL-Certificate is required")`,
      hint: expect.stringContaining('must set the header X-SSL-Certificate'),
    });
  });

  test('an HTML error page of the ingress (federator down: 502)', async () => {
    const { ours } = await setup({ federatorDown: true });
    const { checks, raw } = await verifyPeers(ours.port);
    expect(checks.get(CALL)).toMatchObject({
      status: 'fail',
      message: `${PEER}'s ingress (nginx) answered HTTP 502 "502 Bad Gateway": it cannot reach ${PEER}'s federator`,
      hint: expect.stringContaining(`on ${PEER}: check that the federator pod is running`),
    });
    expect(JSON.parse(raw.out).checks.find((c: { id: string }) => c.id === CALL).details).toMatchObject({
      component: 'ingress',
      side: 'callee',
      httpStatus: 502,
    });
  });

  test('timeout: the federator never answers', async () => {
    const { ours } = await setup({ hang: true });
    const { checks } = await verifyPeers(ours.port, ['--timeout', '400']);
    expect(checks.get(CALL)).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(
        /^TLS handshake with federator\.wire\.beta\.test:\d+ at 127\.0\.0\.1, but no answer to the federation call within 400 ms$/,
      ),
    });
  });

  test('unknown CA: the peer\'s ingress does not trust our CA (nginx "The SSL certificate error")', async () => {
    const { ours } = await setup({ clientCa: [pki.strangerCa.certPem] });
    const { checks } = await verifyPeers(ours.port);
    expect(checks.get(CALL)).toMatchObject({
      status: 'fail',
      message: `${PEER}'s ingress (nginx) answered HTTP 400 "400 The SSL certificate error": it does not accept ${BACKEND}'s client certificate`,
      hint: expect.stringMatching(new RegExp(`^${BACKEND}'s certificate is not trusted by ${PEER}'s ingress: on ${PEER}, add ${BACKEND}'s CA`)),
    });
  });

  test('unknown CA at a server that closes the connection after the handshake (no answer)', async () => {
    const ours = await startFederatorServer({ cert: pki.federator.chainPem, key: pki.federator.keyPem, clientCa: [pki.ca.certPem] });
    const strict = await startFederatorServer({
      cert: pki.peerFederator.chainPem,
      key: pki.peerFederator.keyPem,
      clientCa: [pki.strangerCa.certPem],
      clientAuth: 'tls',
    });
    servers.push(ours, strict);
    dns.setZone({ ...goodZone(ours.port), ...peerZone(strict.port) });
    const { checks, raw } = await verifyPeers(ours.port);
    expect(checks.get(CALL)).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(
        new RegExp(
          `^${PEER}'s ingress \\(federator\\.wire\\.beta\\.test:\\d+ at 127\\.0\\.0\\.1\\) dropped the federation call after the TLS handshake: the connection was closed without an answer$`,
        ),
      ),
      hint: expect.stringContaining(`${BACKEND}'s certificate is not trusted by ${PEER}'s ingress`),
    });
    expect(JSON.parse(raw.out).checks.find((c: { id: string }) => c.id === CALL).details).toMatchObject({ component: 'ingress', side: 'callee' });
  });

  test('unknown CA as a TLS alert (an OpenSSL server that verifies in the handshake)', () => {
    const judged = judgeFederationCall(
      {
        endpoint: 'f.blue.test:443 at 192.0.2.1',
        handshake: true,
        timeoutMs: 1000,
        error: { code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', message: 'error:0A000418:SSL routines::tlsv1 alert unknown ca', afterHandshake: true },
      },
      {
        id: 'live[red→blue]',
        caller: { name: 'red', domain: 'red.test' },
        callee: { name: 'blue', domain: 'blue.test' },
        callerCertificate: leafOf(pki.federator.chainPem),
        callerCertificateOrigin: 'red.pem',
        versions: { list: [0, 1, 2, 3], source: 'test' },
      },
    );
    expect(judged).toMatchObject({
      status: 'fail',
      message: 'blue\'s ingress refused our client certificate in the TLS handshake (f.blue.test:443 at 192.0.2.1): alert "unknown ca"',
      hint: expect.stringMatching(/^red's certificate is not trusted by blue's ingress: on blue, add red's CA/),
    });
  });

  test.each([422, 500])('federation-not-implemented (HTTP %i): the connection works, the releases differ in what they federate', (status) => {
    const judged = judgeFederationCall(
      {
        endpoint: 'f.blue.test:443 at 192.0.2.1',
        handshake: true,
        timeoutMs: 1000,
        response: {
          status,
          statusText: '',
          contentType: 'application/json',
          body: JSON.stringify({ code: status, label: 'federation-not-implemented', message: 'Federation is not yet implemented for this endpoint' }),
        },
      },
      {
        id: 'live[red→blue]',
        caller: { name: 'red', domain: 'red.test' },
        callee: { name: 'blue', domain: 'blue.test' },
        callerCertificate: leafOf(pki.federator.chainPem),
        callerCertificateOrigin: 'red.pem',
        versions: { list: [0, 1, 2, 3], source: 'test' },
      },
    );
    expect(judged).toMatchObject({
      status: 'fail',
      message: `blue's federator refused the call: HTTP ${status} federation-not-implemented ("Federation is not yet implemented for this endpoint")`,
      hint: expect.stringMatching(/does not implement federation for this endpoint .*the connection, certificates and remotes work.*upgrade the older one$/),
      details: expect.objectContaining({ component: 'brig', side: 'callee', label: 'federation-not-implemented' }),
    });
  });

  test('versions without overlap: the peer speaks only newer versions', async () => {
    const { ours } = await setup({ versions: [4, 5] });
    const { code, checks } = await verifyPeers(ours.port);
    expect(code).toBe(1);
    expect(checks.get(CALL)).toMatchObject({
      status: 'fail',
      message: `${PEER}'s federator accepted ${BACKEND}, but they share no federation API version: ${PEER} speaks 4, 5, ours: 0, 1, 2, 3 from wire-server chart 5.32.0`,
      hint: `${BACKEND} is too old for ${PEER}: upgrade ${BACKEND}'s wire-server to a release that speaks version 4`,
    });
  });

  test('versions without overlap: --federation-versions newer than the peer; the peer must upgrade', async () => {
    const { ours } = await setup({ versions: [0, 1] });
    const { checks } = await verifyPeers(ours.port, ['--federation-versions', '3,2']);
    expect(checks.get(CALL)).toMatchObject({
      status: 'fail',
      hint: `${PEER} is too old for ${BACKEND}: upgrade ${PEER}'s wire-server to a release that speaks version 2 (chart 5.6.0 or later)`,
    });
    expect(checks.get(CALL)?.message).toContain('ours: 2, 3 from --federation-versions');
  });

  test('an invalid --federation-versions is a usage error', async () => {
    const config = writeConfig(dir, configInput(443, peers()));
    const { code, err } = await run(['verify', '--config', config, '--federation-versions', 'v3']);
    expect(code).toBe(2);
    expect(err).toContain('--federation-versions must be a comma-separated list of federation API version numbers such as 0,1,2,3; received "v3"');
  });

  test('without a client certificate the call is a warning', async () => {
    const { ours } = await setup();
    const config = writeConfig(dir, configInput(ours.port, peers()));
    const { code, checks } = await verifyJson(['--config', config, '--dns-server', dns.address, '--ca', caFile, '--peers']);
    expect(code).toBe(0);
    expect(checks.get(CALL)).toMatchObject({ status: 'warn', message: 'not checked: no client certificate given' });
  });
});

describe('the fake federator behaves like the real one', () => {
  async function call(path: string, host = PEER_FEDERATOR) {
    const { fake } = await setup();
    return callFederator({
      address: '127.0.0.1',
      port: fake.port,
      host,
      originDomain: BACKEND,
      clientCertificate: { cert: pki.federator.chainPem, key: pki.federator.keyPem },
      timeoutMs: 2000,
      path,
    });
  }

  test('unknown paths: 404 without body, judged as an unknown endpoint', async () => {
    const result = await call('/federation/brig/api-version/extra');
    expect(result.response).toMatchObject({ status: 404, body: '' });
    const judged = judgeFederationCall(result, {
      id: 'live[red→blue]',
      caller: { name: 'red', domain: BACKEND },
      callee: { name: 'blue', domain: PEER },
      callerCertificate: leafOf(pki.federator.chainPem),
      callerCertificateOrigin: 'red.pem',
      versions: { list: [0, 1, 2, 3], source: 'test' },
    });
    expect(judged.message).toBe("blue's federator answered HTTP 404 (text/plain, empty body): it does not know POST /federation/brig/api-version");
    expect((await call('/i/users')).response?.status).toBe(404);
    expect((await call('/federation/brig/get-users-by-ids')).response?.status).toBe(404);
  });

  test('a query string is an invalid endpoint (403 JSON)', async () => {
    const result = await call('/federation/brig/api-version?x=1');
    expect(result.response?.status).toBe(403);
    expect(JSON.parse(result.response!.body)).toEqual({ code: 403, label: 'invalid-endpoint', message: 'The requested endpoint does not exist' });
  });

  test("another host than the federator's: the ingress default backend (HTML 404)", async () => {
    const result = await call('/federation/brig/api-version', 'wrong.wire.beta.test');
    expect(result.response).toMatchObject({ status: 404, contentType: 'text/html' });
  });

  test('certificate names as x509-validation matches them (SAN, else CN; one-label wildcards)', async () => {
    const [san, cnOnly] = await Promise.all([
      makeLeaf({ issuer: pki.ca, dnsNames: ['*.wire.alpha.test', 'b.test'] }),
      makeLeaf({ issuer: pki.ca, commonName: 'cn.wire.alpha.test' }),
    ]);
    expect(validateCertificateName('federator.wire.alpha.test.', leafOf(san.certPem))).toEqual([]);
    expect(validateCertificateName('a.b.wire.alpha.test', leafOf(san.certPem))).toEqual(['NameMismatch "a.b.wire.alpha.test"']);
    expect(validateCertificateName('cn.wire.alpha.test', leafOf(cnOnly.certPem))).toEqual([]);
  });
});

describe('federation API versions', () => {
  test.each([
    ['5.32.0', [0, 1, 2, 3]],
    ['5.15.0', [0, 1, 2, 3]],
    ['5.14.9', [0, 1, 2]],
    ['5.6.0', [0, 1, 2]],
    ['5.5.0', [0, 1]],
    ['4.40.0', [0, 1]],
    ['4.39.0', [0]],
    ['5.30.0-develop.20260411', [0, 1, 2, 3]],
  ])('chart %s speaks %j', (chart, versions) => {
    expect(federationVersionsOfChart(chart)).toEqual(versions);
  });

  test('overlap, and which side is too old', () => {
    expect(versionOverlap([0, 1, 2, 3], [1, 2])).toEqual({ kind: 'common', common: [1, 2], highest: 2 });
    expect(versionOverlap([2, 3], [0, 1])).toEqual({ kind: 'none', older: 'theirs' });
    expect(versionOverlap([0, 1], [2, 3])).toEqual({ kind: 'none', older: 'ours' });
    expect(firstChartWith(3)).toBe('5.15.0');
    expect(firstChartWith(0)).toBeUndefined();
    expect(parseVersionList(' 3, 1,1 ')).toEqual({ versions: [1, 3] });
    expect(parseVersionList('1,,2')).toHaveProperty('error');
  });

  test('text from the other side is cleaned of control characters and shortened', () => {
    expect(sanitize('a\u001b[31mb\nc')).toBe('a [31mb c');
    expect(sanitize('x'.repeat(300), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
