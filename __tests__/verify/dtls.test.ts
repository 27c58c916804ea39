/**
 * verify's calling checks against a fake coturn federation listener on 127.0.0.1
 * (__tests__/support/fake-coturn.py, modelled on wireapp/coturn's federation.c): the DTLS probe
 * (openssl s_client -dtls1_2), the checks of a peer's coturn and of our own, and the refusals
 * coturn makes, each with its hint: a wrong CA, a certificate without clientAuth, a missing
 * whitelist entry, a closed port.
 */
import { X509Certificate } from 'node:crypto';
import { CertificateAndKey, makeCa, makeLeaf } from '../support/certificates';
import { FakeCoturn, closedUdpPort, fakeCoturnUnavailable, startFakeCoturn } from '../support/fake-coturn';
import { parseSClientOutput, probeDtls, sClientArguments } from '../../lib/verify/dtls-probe';
import { coturnHostMatches } from '../../lib/verify/dtls-checks';
import { PeerCoturnTarget, verifyOwnCoturn, verifyPeerCoturn } from '../../lib/verify/calling-checks';
import type { CheckResult } from '../../lib/verify/report';
import { verifyOwnChecks, verifyPeerChecks } from '../../lib/verify/verify';
import { baseInput, parse } from '../support/config';

const TIMEOUT_MS = 8_000;
const now = (): Date => new Date();

describe('coturn host matching (hostcheck.c wildcard_hostcheck, its own unit cases)', () => {
  test.each([
    ['foo.example.com', 'foo.example.COM', true],
    ['foo.example.com.', 'foo.EXAMPLE.com', true],
    ['foo.example.com', '*.example.com.', true],
    ['foo.example.com', 'F*O.example.com.', true],
    ['PREBLAHPOST.example.COM', 'pre*post.example.com.', true],
    ['preblahpost.example.com', '*POST.EXAMPLE.COM', true],
    ['foo.example.com', 'bar.example.COM', false],
    ['f*o.example.com', 'bar.example.COM', false],
    ['foo2.foo.example.com', 'foo.example.COM', false],
    ['hostname.com', '*.com', false],
    ['foo.example.com', 'foo*.example.COM', false],
    ['foo.example.com', '*foo*.example.COM', false],
    ['xn--mxarccr1ahws', 'xn--*ahws', false],
    ['example.com.', '*.example.com', false],
    ['192.168.0.1', '*.168.0.1', false],
  ])('%s against %s: %s', (host, pattern, expected) => {
    expect(coturnHostMatches(host, pattern)).toBe(expected);
  });
});

describe('reading openssl s_client output', () => {
  test('a refusal: the alert the server sent, the certificates before it, the master key not kept', () => {
    const stdout =
      'CONNECTED(00000003)\n---\nCertificate chain\n 0 s:CN = x\n---\nNo client certificate CA names sent\nClient Certificate Types: ECDSA sign\n---\nNew, TLSv1.2, Cipher is ECDHE-ECDSA-AES256-GCM-SHA384\n    Protocol  : DTLSv1.2\n    Master-Key: 0011\n    Verify return code: 20 (unable to get local issuer certificate)\n';
    const stderr = '40A7:error:0A000416:SSL routines:dtls1_read_bytes:sslv3 alert certificate unknown:../ssl/record/rec_layer_d1.c:619:SSL alert number 46\n';
    const parsed = parseSClientOutput(stdout, stderr, 1);
    expect(parsed).toMatchObject({
      handshake: false,
      reachedServer: true,
      alert: { number: 46, description: 'certificate unknown' },
      clientCertificateRequested: true,
      protocol: 'DTLSv1.2',
    });
    expect(JSON.stringify(parsed)).not.toContain('0011');
  });

  test('a closed port: ECONNREFUSED from the ICMP answer', () => {
    expect(parseSClientOutput('CONNECTED(00000003)\n', 'write:errno=111\n', 1)).toMatchObject({
      handshake: false,
      reachedServer: false,
      error: { code: 'ECONNREFUSED' },
    });
  });

  test('arguments: DTLS 1.2, key and certificates as files (never their text), IPv6 in brackets', () => {
    const args = sClientArguments(
      { address: '2001:db8::1', port: 9191, servername: 'coturn.b.example', ca: ['CA-PEM'], clientCertificate: { cert: 'CERT-PEM', key: 'KEY-PEM' } },
      { key: '/t/key.pem', cert: '/t/cert.pem', ca: '/t/ca.pem' },
    );
    expect(args).toEqual(
      expect.arrayContaining(['s_client', '-dtls1_2', '-connect', '[2001:db8::1]:9191', '-CAfile', '/t/ca.pem', '-cert', '/t/cert.pem', '-key', '/t/key.pem']),
    );
    expect(args.join(' ')).not.toMatch(/PEM/);
  });
});

const unavailable = fakeCoturnUnavailable();
if (unavailable) process.stderr.write(`\n  SKIPPED: DTLS against a fake coturn: ${unavailable}\n`);
const withFake = unavailable ? describe.skip : describe;

withFake('DTLS against a fake coturn on 127.0.0.1 (wireapp/coturn federation.c)', () => {
  jest.setTimeout(60_000);
  let ca: CertificateAndKey; // the CA both sides trust
  let otherCa: CertificateAndKey; // a CA the peer does not trust
  let peerServer: CertificateAndKey; // the peer's coturn certificate
  let ours: CertificateAndKey; // our coturn certificate (client to the peer)
  let oursOtherCa: CertificateAndKey;
  let oursServerOnly: CertificateAndKey;
  let oursOtherName: CertificateAndKey;
  const fakes: FakeCoturn[] = [];

  beforeAll(async () => {
    ca = await makeCa({ commonName: 'a.example Federation CA 1' });
    otherCa = await makeCa({ commonName: 'Somebody Else CA' });
    peerServer = await makeLeaf({ issuer: ca, dnsNames: ['coturn.b.example'] });
    ours = await makeLeaf({ issuer: ca, dnsNames: ['coturn.a.example'] });
    oursOtherCa = await makeLeaf({ issuer: otherCa, dnsNames: ['coturn.a.example'] });
    oursServerOnly = await makeLeaf({ issuer: ca, dnsNames: ['coturn.a.example'], extendedKeyUsages: ['serverAuth'] });
    oursOtherName = await makeLeaf({ issuer: ca, dnsNames: ['turn.a.example'] });
  });
  afterAll(async () => {
    await Promise.all(fakes.map((f) => f.stop()));
  });

  const start = async (whitelist: readonly string[] = ['coturn.a.example']): Promise<FakeCoturn> => {
    const fake = await startFakeCoturn({ cert: peerServer.chainPem, key: peerServer.keyPem, ca: ca.certPem, whitelist });
    fakes.push(fake);
    return fake;
  };
  const target = (port: number, extra: Partial<PeerCoturnTarget> = {}): PeerCoturnTarget => ({
    domain: 'b.example',
    host: 'coturn.b.example',
    publicIps: ['127.0.0.1'],
    port,
    dtls: true,
    ...extra,
  });
  const trust = () => ({ pems: [ca.certPem], anchors: { description: 'the CA configured for b.example', certificates: [new X509Certificate(ca.certPem)] } });
  const check = (checks: readonly CheckResult[], id: string): CheckResult => {
    const found = checks.find((c) => c.id === id);
    if (!found) throw new Error(`no check ${id} in ${checks.map((c) => c.id).join(', ')}`);
    return found;
  };
  const peerChecks = async (port: number, client: CertificateAndKey | undefined, extra: Partial<PeerCoturnTarget> = {}) =>
    verifyPeerCoturn(
      target(port, extra),
      { trust: trust(), ourHost: 'coturn.a.example', ...(client ? { credentials: { cert: client.chainPem, key: client.keyPem, origin: 'coturn.pem' } } : {}) },
      { timeoutMs: TIMEOUT_MS, now: now() },
    );

  test('the probe: a handshake with our certificate, the peer certificate, a verdict against the CA', async () => {
    const fake = await start();
    const probe = await probeDtls({
      address: '127.0.0.1',
      port: fake.port,
      servername: 'coturn.b.example',
      ca: [ca.certPem],
      clientCertificate: { cert: ours.chainPem, key: ours.keyPem },
      timeoutMs: TIMEOUT_MS,
    });
    expect(probe).toMatchObject({
      handshake: true,
      reachedServer: true,
      protocol: 'DTLSv1.2',
      verifyCode: 0,
      clientCertificateRequested: true,
      timedOut: false,
    });
    expect(probe.peerCertificate?.subject).toContain('coturn.b.example');
    expect(probe.alert).toBeUndefined();
    expect(fake.events.at(-1)).toMatchObject({ event: 'accepted' });
  });

  test('every check passes with the right certificate', async () => {
    const fake = await start();
    const { checks, skipped } = await peerChecks(fake.port, ours);
    expect(skipped).toEqual([]);
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['peer[b.example].calling.dtls', 'pass'],
      ['peer[b.example].calling.san', 'pass'],
      ['peer[b.example].calling.expiry', 'pass'],
      ['peer[b.example].calling.eku', 'pass'],
      ['peer[b.example].calling.chain', 'pass'],
      ['peer[b.example].calling.whitelist', 'pass'],
      ['peer[b.example].calling.accepts-us', 'pass'],
    ]);
  });

  test('a wrong CA: the peer refuses with "unknown ca", and the hint says to give it our CA', async () => {
    const fake = await start();
    const { checks } = await peerChecks(fake.port, oursOtherCa);
    const accepts = check(checks, 'peer[b.example].calling.accepts-us');
    expect(accepts.status).toBe('fail');
    expect(accepts.message).toContain('alert "unknown ca" (48)');
    expect(accepts.hint).toMatch(/does not trust our CA: give its operator our CA certificate/);
    expect(fake.events.at(-1)).toMatchObject({ event: 'refused', reason: 'chain' });
    // The peer's own certificate is fine.
    expect(check(checks, 'peer[b.example].calling.chain').status).toBe('pass');
  });

  test('a peer certificate from a CA we do not trust: the chain check fails with its hint', async () => {
    const fake = await start();
    const { checks } = await verifyPeerCoturn(
      target(fake.port),
      {
        trust: { pems: [otherCa.certPem], anchors: { description: 'the CA configured for b.example', certificates: [new X509Certificate(otherCa.certPem)] } },
        ourHost: 'coturn.a.example',
      },
      { timeoutMs: TIMEOUT_MS, now: now() },
    );
    const chain = check(checks, 'peer[b.example].calling.chain');
    expect(chain.status).toBe('fail');
    expect(chain.hint).toContain("add the CA that signed its coturn certificate to the peer's caCertificates");
  });

  test('a certificate without clientAuth: "unsupported certificate", and the hint says to issue it with client auth', async () => {
    const fake = await start();
    const { checks } = await peerChecks(fake.port, oursServerOnly);
    const accepts = check(checks, 'peer[b.example].calling.accepts-us');
    expect(accepts.status).toBe('fail');
    expect(accepts.message).toContain('alert "unsupported certificate" (43)');
    expect(accepts.hint).toMatch(/lacks the clientAuth usage.*server auth AND client auth/);
    expect(fake.events.at(-1)).toMatchObject({ event: 'refused', reason: 'chain' });
  });

  test('a missing whitelist entry: "certificate unknown", and the hint gives the exact entry the peer must add', async () => {
    const fake = await start(['coturn.c.example']);
    const { checks } = await peerChecks(fake.port, ours);
    const accepts = check(checks, 'peer[b.example].calling.accepts-us');
    expect(accepts.status).toBe('fail');
    expect(accepts.message).toContain('alert "certificate unknown" (46)');
    expect(accepts.message).toContain('federation-remote-whitelist has no entry for our certificate (names: coturn.a.example');
    expect(accepts.hint).toContain('federation-remote-whitelist=coturn.a.example,a.example Federation CA 1');
    expect(fake.events.at(-1)).toMatchObject({ event: 'refused', reason: 'whitelist' });
  });

  test('a whitelist entry with another issuer CN is refused the same way (coturn checks the issuer CN in the chain)', async () => {
    const fake = await start(['coturn.a.example,Another Issuer']);
    const { checks } = await peerChecks(fake.port, ours);
    expect(check(checks, 'peer[b.example].calling.accepts-us').message).toContain('"certificate unknown" (46)');
    expect(fake.events.at(-1)).toMatchObject({ event: 'refused', reason: 'issuer' });
  });

  test('our certificate under another name than the whitelisted host is refused', async () => {
    const fake = await start(['coturn.a.example']);
    const { checks } = await peerChecks(fake.port, oursOtherName);
    expect(check(checks, 'peer[b.example].calling.accepts-us').message).toContain('names: turn.a.example');
  });

  test('our whitelist entry for the peer: matches its certificate, or fails naming what the certificate holds', async () => {
    const fake = await start();
    const good = await peerChecks(fake.port, undefined, { issuerCommonName: 'a.example Federation CA 1' });
    expect(check(good.checks, 'peer[b.example].calling.whitelist').status).toBe('pass');
    const wrongHost = await peerChecks(fake.port, undefined, { host: 'turn.b.example' });
    const whitelist = check(wrongHost.checks, 'peer[b.example].calling.whitelist');
    expect(whitelist.status).toBe('fail');
    expect(whitelist.message).toContain("matches no name of b.example's coturn certificate (coturn.b.example)");
    const wrongIssuer = await peerChecks(fake.port, undefined, { issuerCommonName: 'Other CA' });
    expect(check(wrongIssuer.checks, 'peer[b.example].calling.whitelist').hint).toContain('issuerCommonName of b.example to "a.example Federation CA 1"');
    // Without our certificate, accepts-us is a warning that says what to pass.
    const acceptsUs = check(good.checks, 'peer[b.example].calling.accepts-us');
    expect(acceptsUs.status).toBe('warn');
    expect(acceptsUs.hint).toContain('--coturn-cert');
  });

  test('a closed port: the connect check fails (port unreachable), later checks are skipped', async () => {
    const port = await closedUdpPort();
    const { checks, skipped } = await peerChecks(port, ours);
    const dtls = check(checks, 'peer[b.example].calling.dtls');
    expect(dtls.status).toBe('fail');
    expect(dtls.inconclusive).toBeUndefined();
    expect(dtls.message).toContain('127.0.0.1: port unreachable (ICMP): nothing listens on that UDP port');
    expect(dtls.hint).toContain('peers[].calling.publicIps and federationPort of b.example');
    expect(skipped.map((s) => s.id)).toContain('peer[b.example].calling.accepts-us');
  });

  test('our coturn: certificate checks pass and a client without a certificate is refused (mutual)', async () => {
    const own = await startFakeCoturn({ cert: ours.chainPem, key: ours.keyPem, ca: ca.certPem, whitelist: ['coturn.b.example'] });
    fakes.push(own);
    const { checks } = await verifyOwnCoturn(
      { host: 'coturn.a.example', publicIps: ['127.0.0.1'], port: own.port, dtls: true },
      { pems: [ca.certPem], anchors: { description: '--ca ca.pem', certificates: [new X509Certificate(ca.certPem)] } },
      { timeoutMs: TIMEOUT_MS, now: now() },
    );
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['calling.dtls.connect', 'pass'],
      ['calling.dtls.san', 'pass'],
      ['calling.dtls.expiry', 'pass'],
      ['calling.dtls.eku', 'pass'],
      ['calling.dtls.chain', 'pass'],
      ['calling.dtls.mutual', 'pass'],
    ]);
    expect(check(checks, 'calling.dtls.mutual').message).toContain('"handshake failure"');
  });

  test('our coturn without a CA file lets anyone in: mutual fails with the CA-file hint', async () => {
    const open = await startFakeCoturn({ cert: ours.chainPem, key: ours.keyPem });
    fakes.push(open);
    const { checks } = await verifyOwnCoturn(
      { host: 'coturn.a.example', publicIps: ['127.0.0.1'], port: open.port, dtls: true },
      { pems: [ca.certPem], anchors: { description: '--ca ca.pem', certificates: [new X509Certificate(ca.certPem)] } },
      { timeoutMs: TIMEOUT_MS, now: now() },
    );
    const mutual = check(checks, 'calling.dtls.mutual');
    expect(mutual.status).toBe('fail');
    expect(mutual.hint).toContain('coturn verifies peers only when it has a CA file');
  });

  test('a missing openssl program is reported without a verdict, with the install hint', async () => {
    const { checks } = await verifyPeerCoturn(
      target(9),
      { trust: trust(), ourHost: 'coturn.a.example' },
      { timeoutMs: TIMEOUT_MS, now: now(), openssl: '/nonexistent/openssl' },
    );
    const dtls = check(checks, 'peer[b.example].calling.dtls');
    expect(dtls).toMatchObject({ status: 'fail', inconclusive: true });
    expect(dtls.hint).toContain('apt-get install openssl');
  });

  test("verify runs the calling checks from the config: our coturn and the peer's, with --coturn-cert", async () => {
    const peerCoturn = await start(['coturn.a.example']);
    const ownCoturn = await startFakeCoturn({ cert: ours.chainPem, key: ours.keyPem, ca: ca.certPem, whitelist: ['coturn.b.example'] });
    fakes.push(ownCoturn);
    const config = parse(
      baseInput({
        charts: { wireServer: { version: '5.34.0' }, nginxIngressServices: { version: '5.34.0' }, coturn: { version: '4.6.2' }, sftd: { version: '0.0.43' } },
        calling: { enabled: true, coturn: { host: 'coturn.a.example', publicIps: ['127.0.0.1'], federationPort: ownCoturn.port } },
        peers: [
          {
            domain: 'b.example',
            caCertificates: [{ pem: ca.certPem }],
            calling: { coturnHost: 'coturn.b.example', publicIps: ['127.0.0.1'], federationPort: peerCoturn.port },
          },
        ],
      }),
    );
    // DNS goes to a closed port: the federator checks fail at once, the calling checks need no DNS.
    const options = {
      config,
      dnsServer: `127.0.0.1:${await closedUdpPort()}`,
      timeoutMs: TIMEOUT_MS,
      ca: { pems: [ca.certPem], origin: 'ca.pem' },
      coturnCertificate: { cert: ours.chainPem, key: ours.keyPem, origin: 'coturn.pem' },
    };
    const [own, peer] = await Promise.all([verifyOwnChecks(options), verifyPeerChecks(config.peers[0], options)]);
    const calling = (part: { checks: CheckResult[] }) => part.checks.filter((c) => c.id.includes('calling.')).map((c) => [c.id, c.status]);
    expect(calling(own)).toEqual(['connect', 'san', 'expiry', 'eku', 'chain', 'mutual'].map((c) => [`calling.dtls.${c}`, 'pass']));
    expect(calling(peer)).toEqual(['dtls', 'san', 'expiry', 'eku', 'chain', 'whitelist', 'accepts-us'].map((c) => [`peer[b.example].calling.${c}`, 'pass']));
  });

  test('verify without calling runs no calling check', async () => {
    const config = parse(baseInput());
    const own = await verifyOwnChecks({ config, dnsServer: `127.0.0.1:${await closedUdpPort()}`, timeoutMs: 2_000 });
    expect(own.checks.filter((c) => c.id.startsWith('calling.'))).toEqual([]);
  });
});
