/**
 * A DNS outage is not a missing record: when the address lookup of an SRV target errs (the DNS
 * server does not answer for that name, or is stopped), the check has no verdict
 * (`inconclusive`, the DNS-server hint); when DNS answers "no such record", it is a definite
 * failure. Our own backend and a peer, against the test DNS server on 127.0.0.1.
 */
import { parseFederationConfig } from '../../lib/config';
import { DNS_SERVER_HINT } from '../../lib/verify/hints';
import type { CheckResult } from '../../lib/verify/report';
import { verifyFederation, verifyPeerEndpoint } from '../../lib/verify/verify';
import { startDnsServer, TestDnsServer } from '../support/dns-server';
import { BACKEND, FEDERATOR, PEER, PEER_FEDERATOR, SRV_ALPHA, SRV_BETA, configInput, makePki, Pki, srv } from './harness';

const OTHER_TARGET = 'edge.wire.alpha.test';
const TIMEOUT_MS = 400;
const servers: TestDnsServer[] = [];
let pki: Pki;

beforeAll(async () => {
  pki = await makePki();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function dnsServer(silentFor: readonly string[] = []): Promise<TestDnsServer> {
  const server = await startDnsServer(
    {
      // Our SRV record points at another name than the federator domain, so the TLS checks need its own lookup.
      [SRV_ALPHA]: [srv(OTHER_TARGET, 4443)],
      [FEDERATOR]: [{ type: 'A', address: '127.0.0.1' }],
      [OTHER_TARGET]: [],
      [SRV_BETA]: [srv(PEER_FEDERATOR, 4443)],
      [PEER_FEDERATOR]: [],
    },
    { silentFor },
  );
  servers.push(server);
  return server;
}

const peerChecks = async (server: string, options: { client?: boolean; originDomain?: string } = {}) =>
  verifyPeerEndpoint(
    { domain: PEER },
    {
      originDomain: options.originDomain,
      trust: { pems: [pki.ca.certPem], anchors: { description: 'the test CA', certificates: [] }, unknownEnvironments: [] },
      clientCertificate: options.client ? { cert: pki.federator.chainPem, key: pki.federator.keyPem, origin: 'tls.crt' } : undefined,
      versions: { list: [0, 1, 2], source: 'the test' },
      dns: { server, timeoutMs: TIMEOUT_MS },
      now: new Date(),
    },
  );

const byId = (checks: readonly CheckResult[], id: string): CheckResult => checks.find((c) => c.id === id)!;

describe("a peer's SRV target", () => {
  test('the DNS server does not answer for it: srv has no verdict, with the DNS-server hint', async () => {
    const dns = await dnsServer([PEER_FEDERATOR]);
    const { checks, skipped } = await peerChecks(dns.address);
    const check = byId(checks, `peer[${PEER}].srv`);
    expect(check).toMatchObject({ status: 'fail', inconclusive: true, hint: DNS_SERVER_HINT });
    expect(check.message).toContain(`the address lookup of ${PEER_FEDERATOR} failed`);
    expect(check.message).not.toContain('has no A/AAAA record');
    expect(skipped.map((s) => s.id)).toContain(`peer[${PEER}].tls`);
  });

  test('DNS answers that it has no address: a definite failure, "has no A/AAAA record"', async () => {
    const dns = await dnsServer();
    const check = byId((await peerChecks(dns.address)).checks, `peer[${PEER}].srv`);
    expect(check.inconclusive).toBeUndefined();
    expect(check).toMatchObject({ status: 'fail', message: expect.stringContaining(`${PEER_FEDERATOR} has no A/AAAA record`) });
  });

  test('the DNS server is stopped: the SRV lookup itself has no verdict, with the same hint', async () => {
    const dns = await dnsServer();
    const address = dns.address;
    servers.splice(servers.indexOf(dns), 1);
    await dns.close();
    const check = byId((await peerChecks(address)).checks, `peer[${PEER}].srv`);
    expect(check).toMatchObject({ status: 'fail', inconclusive: true, hint: DNS_SERVER_HINT });
  });
});

describe('our own SRV target', () => {
  const config = () => parseFederationConfig(configInput(4443));

  test('the DNS server does not answer for it: tls.connect has no verdict (not "skipped"), with the DNS-server hint', async () => {
    const dns = await dnsServer([OTHER_TARGET]);
    const report = await verifyFederation({ config: config(), dnsServer: dns.address, timeoutMs: TIMEOUT_MS });
    expect(byId(report.checks, 'tls.connect')).toMatchObject({
      status: 'fail',
      inconclusive: true,
      hint: DNS_SERVER_HINT,
      message: expect.stringContaining(`the address lookup of ${OTHER_TARGET} failed`),
    });
    expect(report.skipped.map((s) => s.id)).toEqual(expect.arrayContaining(['tls.san', 'tls.chain', 'mtls.client']));
    expect(report.skipped.map((s) => s.id)).not.toContain('tls.connect');
  });

  test('DNS answers that it has no address: the TLS checks are skipped, as before', async () => {
    const dns = await dnsServer();
    const report = await verifyFederation({ config: config(), dnsServer: dns.address, timeoutMs: TIMEOUT_MS });
    expect(report.checks.find((c) => c.id === 'tls.connect')).toBeUndefined();
    expect(report.skipped.find((s) => s.id === 'tls.connect')?.reason).toBe(`DNS gave no address for ${OTHER_TARGET}`);
  });
});

describe("a peer's federation call without an origin domain", () => {
  test('the hint asks for the origin domain, not for --client-cert (which was given)', async () => {
    const dns = await startDnsServer({ [SRV_BETA]: [srv(PEER_FEDERATOR, 1)], [PEER_FEDERATOR]: [{ type: 'A', address: '127.0.0.1' }] });
    servers.push(dns);
    const check = byId((await peerChecks(dns.address, { client: true })).checks, `peer[${PEER}].federation.call`);
    expect(check).toMatchObject({ status: 'warn', message: 'not checked: no origin domain (our backend domain) given' });
    expect(check.hint).not.toContain('--client-cert');
    expect(check.hint).toContain('origin');
  });

  test('without a client certificate the hint still says --client-cert', async () => {
    const dns = await startDnsServer({ [SRV_BETA]: [srv(PEER_FEDERATOR, 1)], [PEER_FEDERATOR]: [{ type: 'A', address: '127.0.0.1' }] });
    servers.push(dns);
    const check = byId((await peerChecks(dns.address, { originDomain: BACKEND })).checks, `peer[${PEER}].federation.call`);
    expect(check.hint).toContain('--client-cert');
  });
});
