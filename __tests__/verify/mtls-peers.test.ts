/**
 * `wire-federation verify`: mutual TLS of our ingress, peers, and unreachable endpoints.
 */
import type { WireFederationInput } from '../../lib/config';
import { startDnsServer, TestDnsServer } from '../support/dns-server';
import { startFakeFederator } from '../support/fake-federator';
import { closedPort, startBlackHole, startFederatorServer, TestServer } from '../support/tls-servers';
import { BACKEND, PEER, PEER_FEDERATOR, Pki, TempDir, configInput, goodZone, idsWith, makePki, peerZone, verifyJson, writeConfig } from './harness';

let pki: Pki;
let dns: TestDnsServer;
let dir: TempDir;
let caFile: string;
let certFile: string;
let keyFile: string;
const servers: TestServer[] = [];

beforeAll(async () => {
  pki = await makePki();
  dns = await startDnsServer({});
  dir = new TempDir();
  caFile = dir.file('ca.pem', pki.ca.certPem);
  certFile = dir.file('federator.pem', pki.federator.chainPem);
  keyFile = dir.file('federator.key', pki.federator.keyPem);
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await dns?.close();
  dir?.cleanup();
});

async function server(options: Partial<Parameters<typeof startFederatorServer>[0]> = {}): Promise<TestServer> {
  const s = await startFederatorServer({ cert: pki.federator.chainPem, key: pki.federator.keyPem, clientCa: [pki.ca.certPem], ...options });
  servers.push(s);
  return s;
}

/** The peer's ingress and federator: serves the peer certificate, accepts client certificates from `trusts`, lists us as remote. */
async function peerServer(trusts: string[]): Promise<TestServer> {
  const s = await startFakeFederator({
    host: PEER_FEDERATOR,
    cert: pki.peerFederator.chainPem,
    key: pki.peerFederator.keyPem,
    clientCa: trusts,
    dnsServer: dns.address,
    remotes: [BACKEND],
  });
  servers.push(s);
  return s;
}

const client = (): string[] => ['--client-cert', certFile, '--client-key', keyFile];

async function verify(port: number, overrides: Partial<WireFederationInput>, args: string[]) {
  const config = writeConfig(dir, configInput(port, overrides));
  return verifyJson(['--config', config, '--dns-server', dns.address, '--ca', caFile, '--timeout', '2000', ...args]);
}

describe('verify: mutual TLS of our ingress', () => {
  test('a server that does not require a client certificate fails mtls.required', async () => {
    const s = await server({ clientAuth: 'none' });
    dns.setZone(goodZone(s.port));
    const { code, checks } = await verify(s.port, {}, client());
    expect(code).toBe(1);
    expect(idsWith(checks, 'fail')).toEqual(['mtls.required']);
    expect(checks.get('mtls.required')?.message).toBe('accepted a request without a client certificate (HTTP 404 Not Found)');
    expect(checks.get('mtls.client')?.status).toBe('pass');
  });

  test('with wire-ingress (client certificate optional at TLS, the federator refuses requests without one) the same server is a warning naming the ClientTrafficPolicy', async () => {
    const s = await server({ clientAuth: 'none' });
    dns.setZone(goodZone(s.port));
    const wireIngress: Partial<WireFederationInput> = {
      ingress: { ipv4: '127.0.0.1', chart: 'wire-ingress', gateway: { className: 'envoy' } },
      charts: { wireServer: { version: '5.32.0' }, wireIngress: { version: '5.32.0' } },
    };
    const { code, checks } = await verify(s.port, wireIngress, client());
    expect(code).toBe(0);
    expect(checks.get('mtls.required')).toMatchObject({
      status: 'warn',
      message:
        'answered a request without a client certificate (HTTP 404 Not Found): expected with this ingress, whose listener accepts connections without one',
      hint: expect.stringMatching(/wire-ingress ClientTrafficPolicy validates client certificates on the federator listener when presented/),
    });
    expect(checks.get('mtls.client')?.status).toBe('pass');
  });

  test('nginx-style refusal (HTTP 400 after the handshake) counts as requiring a certificate', async () => {
    const s = await server({ clientAuth: 'http' });
    dns.setZone(goodZone(s.port));
    const { code, checks } = await verify(s.port, {}, client());
    expect(code).toBe(0);
    expect(checks.get('mtls.required')?.message).toBe('refuses clients without a certificate (HTTP 400 "No required SSL certificate was sent")');
    expect(checks.get('mtls.client')?.status).toBe('pass');
  });

  test('a TLS 1.3 server refusing in the handshake: required passes, ours is accepted', async () => {
    const s = await server();
    dns.setZone(goodZone(s.port));
    const { code, checks } = await verify(s.port, {}, client());
    expect(code).toBe(0);
    expect(checks.get('mtls.required')).toMatchObject({ status: 'pass', message: expect.stringContaining('certificate required') });
    expect(checks.get('mtls.client')?.message).toContain('accepts our client certificate');
  });

  test('a TLS 1.2 server: the certificate is inspected over the connection with our client certificate', async () => {
    const s = await server({ maxVersion: 'TLSv1.2' });
    dns.setZone(goodZone(s.port));
    const { code, checks } = await verify(s.port, {}, client());
    expect(code).toBe(0);
    expect(checks.get('tls.connect')?.message).toContain('TLSv1.2');
    expect(checks.get('mtls.required')?.status).toBe('pass');
  });

  test('our ingress refuses our client certificate (its CA is not trusted): mtls.client fails', async () => {
    const s = await server({ clientCa: [pki.strangerCa.certPem] });
    dns.setZone(goodZone(s.port));
    const { code, checks } = await verify(s.port, {}, client());
    expect(code).toBe(1);
    expect(idsWith(checks, 'fail')).toEqual(['mtls.client']);
    expect(checks.get('mtls.client')?.hint).toContain('secrets.tlsClientCA');
  });

  test('without --client-cert, mtls.client is a warning and the run passes', async () => {
    const s = await server();
    dns.setZone(goodZone(s.port));
    const { code, checks } = await verify(s.port, {}, []);
    expect(code).toBe(0);
    expect(idsWith(checks, 'warn')).toEqual(['mtls.client']);
  });
});

describe('verify: unreachable endpoints', () => {
  test('a port that accepts TCP but never speaks TLS: tls.connect fails after --timeout', async () => {
    const hole = await startBlackHole();
    servers.push(hole);
    dns.setZone(goodZone(hole.port));
    const config = writeConfig(dir, configInput(hole.port));
    const started = Date.now();
    const { code, checks, skipped } = await verifyJson(['--config', config, '--dns-server', dns.address, '--ca', caFile, '--timeout', '300', ...client()]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(code).toBe(1);
    expect(idsWith(checks, 'fail')).toEqual(['tls.connect']);
    expect(checks.get('tls.connect')?.message).toBe(`no TLS handshake with federator.wire.alpha.test:${hole.port} at 127.0.0.1 within 300 ms`);
    expect(skipped).toEqual(['tls.san', 'tls.expiry', 'tls.eku', 'tls.key', 'tls.chain', 'mtls.required', 'mtls.client']);
  });

  test('a closed port: tls.connect fails with connection refused', async () => {
    const port = await closedPort();
    dns.setZone(goodZone(port));
    const { code, checks } = await verify(port, {}, client());
    expect(code).toBe(1);
    expect(idsWith(checks, 'fail')).toEqual(['tls.connect']);
    expect(checks.get('tls.connect')?.message).toContain('connection refused');
  });
});

describe('verify --peers', () => {
  const peerWithPem = (): Partial<WireFederationInput> => ({ peers: [{ domain: PEER, caCertificates: [{ pem: pki.peerCa.certPem }] }] });

  test('a good peer: SRV, certificate against its configured CA, and it accepts us', async () => {
    const ours = await server();
    const peer = await peerServer([pki.ca.certPem]);
    dns.setZone({ ...goodZone(ours.port), ...peerZone(peer.port) });
    const { code, checks } = await verify(ours.port, peerWithPem(), ['--peers', ...client()]);
    expect(code).toBe(0);
    expect(idsWith(checks, 'fail')).toEqual([]);
    expect(idsWith(checks, 'warn')).toEqual([]);
    for (const s of ['srv', 'tls', 'san', 'expiry', 'chain', 'accepts-us', 'federation.call']) expect(checks.get(`peer[${PEER}].${s}`)?.status).toBe('pass');
    expect(checks.get(`peer[${PEER}].srv`)?.message).toBe(`_wire-server-federator._tcp.${PEER} → 0 10 ${peer.port} ${PEER_FEDERATOR}. (127.0.0.1)`);
  });

  test('a peer whose SRV record has weight 0: a warning, and everything else is checked and passes', async () => {
    const ours = await server();
    const peer = await peerServer([pki.ca.certPem]);
    dns.setZone({ ...goodZone(ours.port), ...peerZone(peer.port, 0) });
    const { code, checks } = await verify(ours.port, peerWithPem(), ['--peers', ...client()]);
    expect(code).toBe(0);
    expect(idsWith(checks, 'fail')).toEqual([]);
    expect(idsWith(checks, 'warn')).toEqual([`peer[${PEER}].srv.weight`]);
    expect(checks.get(`peer[${PEER}].srv.weight`)?.hint).toMatch(
      /ignores SRV weights today, but RFC 2782 ranks a weight-0 record last: ask the operator of wire.beta.test to set weight > 0$/,
    );
    for (const s of ['srv', 'tls', 'chain', 'accepts-us', 'federation.call']) expect(checks.get(`peer[${PEER}].${s}`)?.status).toBe('pass');
  });

  test("the remote's restriction is reported in the peer's words: teams of the peer whose users may find ours", async () => {
    const TEAM = '6f2a4b1c-9d3e-4f5a-8b7c-1d2e3f4a5b6c';
    const ours = await server();
    const peer = await peerServer([pki.ca.certPem]);
    dns.setZone({ ...goodZone(ours.port), ...peerZone(peer.port) });
    const open = await verify(ours.port, peerWithPem(), ['--peers', ...client()]);
    expect(open.checks.get(`peer[${PEER}].remote`)?.message).toBe(
      `configured remote: search_policy no_search, allow_all: all users of ${PEER} may find ours (as its search policy allows)`,
    );
    const restricted: Partial<WireFederationInput> = {
      remotes: { mode: 'api' },
      peers: [{ domain: PEER, caCertificates: [{ pem: pki.peerCa.certPem }], allowedTeams: [TEAM.toUpperCase()] }],
    };
    const { code, checks } = await verify(ours.port, restricted, ['--peers', ...client()]);
    expect(code).toBe(0);
    expect(checks.get(`peer[${PEER}].remote`)).toMatchObject({
      status: 'pass',
      message: `configured remote: search_policy no_search, restrict_by_team: only users of teams [${TEAM}] of ${PEER} may find ours`,
    });
  });

  test('a peer that rejects our certificate fails accepts-us', async () => {
    const ours = await server();
    const peer = await peerServer([pki.strangerCa.certPem]);
    dns.setZone({ ...goodZone(ours.port), ...peerZone(peer.port) });
    const { code, checks } = await verify(ours.port, peerWithPem(), ['--peers', ...client()]);
    expect(code).toBe(1);
    expect(idsWith(checks, 'fail')).toEqual([`peer[${PEER}].accepts-us`, `peer[${PEER}].federation.call`]);
    expect(checks.get(`peer[${PEER}].accepts-us`)?.hint).toContain('must trust our CA');
    expect(checks.get(`peer[${PEER}].federation.call`)?.hint).toContain(`wire.alpha.test's certificate is not trusted by ${PEER}'s ingress`);
  });

  test('a peer whose certificate is not from the CA we trust for it fails chain', async () => {
    const ours = await server();
    const peer = await peerServer([pki.ca.certPem]);
    dns.setZone({ ...goodZone(ours.port), ...peerZone(peer.port) });
    const { code, checks } = await verify(ours.port, { peers: [{ domain: PEER, caCertificates: [{ pem: pki.strangerCa.certPem }] }] }, [
      '--peers',
      ...client(),
    ]);
    expect(code).toBe(1);
    expect(idsWith(checks, 'fail')).toEqual([`peer[${PEER}].chain`]);
  });

  test('a peer CA from another environment: a warning without --peer-ca, a pass with it', async () => {
    const ours = await server();
    const peer = await peerServer([pki.ca.certPem]);
    dns.setZone({ ...goodZone(ours.port), ...peerZone(peer.port) });
    const overrides = { peers: [{ domain: PEER, caCertificates: [{ environment: 'beta' }] }] };
    const without = await verify(ours.port, overrides, ['--peers', ...client()]);
    expect(without.code).toBe(0);
    expect(idsWith(without.checks, 'warn')).toEqual([`peer[${PEER}].chain`]);
    expect(without.checks.get(`peer[${PEER}].chain`)?.hint).toBe(`pass --peer-ca ${PEER}=<file> with the ca_certificate_pem output of beta`);

    const peerCa = dir.file('beta-ca.pem', pki.peerCa.certPem);
    const withCa = await verify(ours.port, overrides, ['--peers', '--peer-ca', `${PEER}=${peerCa}`, ...client()]);
    expect(withCa.code).toBe(0);
    expect(withCa.checks.get(`peer[${PEER}].chain`)).toMatchObject({ status: 'pass', message: expect.stringContaining(`--peer-ca ${peerCa}`) });
  });

  test('a peer without SRV record fails srv and skips the rest', async () => {
    const ours = await server();
    dns.setZone(goodZone(ours.port));
    const { code, checks, skipped } = await verify(ours.port, peerWithPem(), ['--peers', ...client()]);
    expect(code).toBe(1);
    expect(idsWith(checks, 'fail')).toEqual([`peer[${PEER}].srv`]);
    expect(skipped).toContain(`peer[${PEER}].accepts-us`);
    expect(skipped).toContain(`peer[${PEER}].federation.call`);
  });

  test('an unreachable peer fails its tls check after --timeout', async () => {
    const ours = await server();
    const hole = await startBlackHole();
    servers.push(hole);
    dns.setZone({ ...goodZone(ours.port), ...peerZone(hole.port) });
    const config = writeConfig(dir, configInput(ours.port, peerWithPem()));
    const { code, checks, skipped } = await verifyJson([
      '--config',
      config,
      '--dns-server',
      dns.address,
      '--ca',
      caFile,
      '--timeout',
      '300',
      '--peers',
      ...client(),
    ]);
    expect(code).toBe(1);
    expect(idsWith(checks, 'fail')).toEqual([`peer[${PEER}].tls`]);
    expect(skipped).toContain(`peer[${PEER}].federation.call`);
  });
});
