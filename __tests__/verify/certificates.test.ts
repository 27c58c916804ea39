/**
 * `wire-federation verify`: checks of the federator's server certificate, each against a TLS
 * server on 127.0.0.1 serving a certificate made for the case.
 */
import { CertificateAndKey, LeafOptions, days, makeCa, makeLeaf } from '../support/certificates';
import { startDnsServer, TestDnsServer } from '../support/dns-server';
import { startFederatorServer } from '../support/tls-servers';
import { FEDERATOR, Pki, TempDir, configInput, goodZone, idsWith, makePki, verifyJson, writeConfig } from './harness';

let pki: Pki;
let dns: TestDnsServer;
let dir: TempDir;
let caFile: string;

beforeAll(async () => {
  pki = await makePki();
  dns = await startDnsServer({});
  dir = new TempDir();
  caFile = dir.file('ca.pem', pki.ca.certPem);
});

afterAll(async () => {
  await dns?.close();
  dir?.cleanup();
});

/** Serves `cert` (client certificates required, issued by our CA) and runs verify against it. */
async function verifyServing(cert: CertificateAndKey, extraArgs: string[] = ['--ca', caFile]) {
  const server = await startFederatorServer({ cert: cert.chainPem, key: cert.keyPem, clientCa: [pki.ca.certPem] });
  try {
    dns.setZone(goodZone(server.port));
    const config = writeConfig(dir, configInput(server.port));
    const client = ['--client-cert', dir.file('client.pem', pki.federator.chainPem), '--client-key', dir.file('client.key', pki.federator.keyPem)];
    return await verifyJson(['--config', config, '--dns-server', dns.address, '--timeout', '2000', ...client, ...extraArgs]);
  } finally {
    await server.close();
  }
}

const leaf = (options: LeafOptions = {}): Promise<CertificateAndKey> => makeLeaf({ issuer: pki.ca, dnsNames: [FEDERATOR], ...options });

describe('verify: server certificate', () => {
  test('wrong SAN fails tls.san', async () => {
    const { code, checks } = await verifyServing(await leaf({ dnsNames: ['nginz-https.wire.alpha.test'] }));
    expect(code).toBe(1);
    expect(idsWith(checks, 'fail')).toEqual(['tls.san']);
    expect(checks.get('tls.san')?.message).toBe(`SAN (nginz-https.wire.alpha.test) does not cover ${FEDERATOR}`);
  });

  test('a wildcard SAN covers the federator domain', async () => {
    const { code, checks } = await verifyServing(await leaf({ dnsNames: ['*.wire.alpha.test'] }));
    expect(code).toBe(0);
    expect(checks.get('tls.san')).toMatchObject({ status: 'pass', message: `SAN *.wire.alpha.test covers ${FEDERATOR}` });
  });

  test('a wildcard one level too high does not cover it', async () => {
    const { code, checks } = await verifyServing(await leaf({ dnsNames: ['*.alpha.test'] }));
    expect(code).toBe(1);
    expect(idsWith(checks, 'fail')).toEqual(['tls.san']);
  });

  test('without client auth usage fails tls.eku', async () => {
    const { code, checks } = await verifyServing(await leaf({ extendedKeyUsages: ['serverAuth'] }));
    expect(code).toBe(1);
    expect(idsWith(checks, 'fail')).toEqual(['tls.eku']);
    expect(checks.get('tls.eku')?.message).toBe('extended key usage is serverAuth; missing clientAuth');
    expect(checks.get('tls.eku')?.hint).toContain('client certificate');
  });

  test.each(['P-384', 'P-521'] as const)('a %s key passes tls.key', async (curve) => {
    const { code, checks } = await verifyServing(await leaf({ key: { type: 'ecdsa', curve } }));
    expect(code).toBe(0);
    expect(checks.get('tls.key')).toMatchObject({ status: 'pass', message: `ECDSA ${curve} key` });
  });

  test('an Ed25519 key fails tls.key with the reason', async () => {
    const { code, checks } = await verifyServing(await leaf({ key: { type: 'ed25519' } }));
    expect(code).toBe(1);
    expect(idsWith(checks, 'fail')).toContain('tls.key');
    expect(checks.get('tls.key')?.message).toContain('Ed25519 key: the federator supports ECDSA (P-256, P-384, P-521) and RSA keys only');
  });

  test('an RSA 2048 key is a warning, exit 0', async () => {
    const { code, checks } = await verifyServing(await leaf({ key: { type: 'rsa', bits: 2048 } }));
    expect(code).toBe(0);
    expect(idsWith(checks, 'warn')).toEqual(['tls.key']);
    expect(checks.get('tls.key')?.message).toBe('RSA 2048 bits: at least 3072 bits are recommended');
  });

  test('expired: tls.expiry fails, the chain is still judged on its own', async () => {
    const notAfter = new Date(Date.now() - days(3) - 60_000);
    const { code, checks } = await verifyServing(await leaf({ notBefore: new Date(Date.now() - days(100)), notAfter }));
    expect(code).toBe(1);
    expect(idsWith(checks, 'fail')).toEqual(['tls.expiry']);
    expect(checks.get('tls.expiry')?.message).toBe(`certificate expired on ${notAfter.toISOString().slice(0, 10)} (4 days ago)`);
    expect(checks.get('tls.chain')?.status).toBe('pass');
  });

  test('expiring within 30 days is a warning with the days left', async () => {
    const { code, checks } = await verifyServing(await leaf({ notAfter: new Date(Date.now() + days(10) + 3_600_000) }));
    expect(code).toBe(0);
    expect(idsWith(checks, 'warn')).toEqual(['tls.expiry']);
    expect(checks.get('tls.expiry')?.message).toMatch(/: 10 days left$/);
  });

  test('signed by an unknown CA fails tls.chain', async () => {
    const { code, checks } = await verifyServing(await leaf({ issuer: pki.strangerCa }));
    expect(code).toBe(1);
    expect(idsWith(checks, 'fail')).toEqual(['tls.chain']);
    expect(checks.get('tls.chain')?.message).toMatch(
      /^issuer "CN=Stranger CA" is not trusted by --ca .*ca\.pem \((UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\)$/,
    );
  });

  test('an expired certificate from an unknown CA fails both checks', async () => {
    const { code, checks } = await verifyServing(
      await leaf({ issuer: pki.strangerCa, notBefore: new Date(Date.now() - days(10)), notAfter: new Date(Date.now() - days(1)) }),
    );
    expect(code).toBe(1);
    expect(idsWith(checks, 'fail').sort()).toEqual(['tls.chain', 'tls.expiry']);
  });

  test('without --ca the system store is used, and a private CA is not in it', async () => {
    const { code, checks } = await verifyServing(pki.federator, []);
    expect(code).toBe(1);
    expect(idsWith(checks, 'fail')).toEqual(['tls.chain']);
    expect(checks.get('tls.chain')?.message).toContain('the system CA store');
    expect(checks.get('tls.chain')?.hint).toContain('--ca');
  });

  test('a chain through an intermediate CA verifies when the server sends the intermediate', async () => {
    const intermediate = await makeCa({ issuer: pki.ca, commonName: 'Alpha Issuing CA' });
    const { code, checks } = await verifyServing(await makeLeaf({ issuer: intermediate, dnsNames: [FEDERATOR] }));
    expect(code).toBe(0);
    expect(checks.get('tls.chain')).toMatchObject({ status: 'pass', message: expect.stringContaining('issued by "CN=Alpha Issuing CA"') });
  });

  test('a certificate without SAN fails tls.san', async () => {
    const { code, checks } = await verifyServing(await leaf({ dnsNames: [], commonName: FEDERATOR }));
    expect(code).toBe(1);
    expect(idsWith(checks, 'fail')).toEqual(['tls.san']);
  });

  test('a self-signed certificate fails tls.chain', async () => {
    const { code, checks } = await verifyServing(await makeLeaf({ dnsNames: [FEDERATOR] }));
    expect(code).toBe(1);
    expect(idsWith(checks, 'fail')).toEqual(['tls.chain']);
    expect(checks.get('tls.chain')?.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
  });
});
