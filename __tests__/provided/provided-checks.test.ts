import { checkProvidedCertificate, ProvidedCertificateFiles } from '../../lib/config/provided-certificate';
import { CertificateAndKey, days, makeCa, makeLeaf, opensslSelfSigned } from '../support/certificates';

const FILES: ProvidedCertificateFiles = { certificateFile: 'certs/federator.pem', keyFile: 'certs/federator.key', caFile: 'certs/ca.pem' };
const DOMAIN = 'federator.wire.example.test';
// Whole seconds: certificate dates have no milliseconds, so day counts come out exact.
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);

let ca: CertificateAndKey;
let otherCa: CertificateAndKey;
let intermediate: CertificateAndKey;
let good: CertificateAndKey;
let rsa2048: CertificateAndKey;
let rsa1024: CertificateAndKey;

beforeAll(async () => {
  ca = await makeCa();
  [otherCa, intermediate, good, rsa2048, rsa1024] = await Promise.all([
    makeCa({ commonName: 'Other CA' }),
    makeCa({ issuer: ca, commonName: 'Test Intermediate' }),
    makeLeaf({ issuer: ca, dnsNames: [DOMAIN] }),
    // RSA key generation is slow: one key per size, once.
    makeLeaf({ issuer: ca, dnsNames: [DOMAIN], key: { type: 'rsa', bits: 2048 } }),
    makeLeaf({ issuer: ca, dnsNames: [DOMAIN], key: { type: 'rsa', bits: 1024 } }),
  ]);
});

/** Runs the checks on a leaf (its chain PEM and key) against `ca`, with overrides. */
function check(leaf: CertificateAndKey, overrides: { certificatePem?: string; keyPem?: string; caPem?: string; now?: Date } = {}) {
  return checkProvidedCertificate({
    files: FILES,
    certificatePem: overrides.certificatePem ?? leaf.chainPem,
    keyPem: overrides.keyPem ?? leaf.keyPem,
    caPem: overrides.caPem ?? ca.certPem,
    federatorDomain: DOMAIN,
    now: overrides.now ?? NOW,
  });
}

const finding = (level: 'error' | 'warning', field: keyof ProvidedCertificateFiles, message: RegExp) => ({
  level,
  field,
  file: FILES[field],
  message: expect.stringMatching(message),
});

describe('checkProvidedCertificate', () => {
  it('accepts a good certificate signed directly by the CA (depth 1)', () => {
    expect(check(good)).toEqual({ findings: [], chainDepth: 1 });
  });

  it('accepts a chain with one intermediate (depth 2) and a wildcard SAN', async () => {
    const leaf = await makeLeaf({ issuer: intermediate, dnsNames: ['*.wire.example.test'] });
    expect(leaf.chainPem).toContain(intermediate.certPem);
    expect(check(leaf)).toEqual({ findings: [], chainDepth: 2 });
  });

  it('refuses a SAN that does not cover the federator domain, listing the SANs found', async () => {
    const leaf = await makeLeaf({ issuer: ca, dnsNames: ['other.example.test', '*.example.test'] });
    expect(check(leaf).findings).toEqual([
      finding(
        'error',
        'certificateFile',
        /^certs\/federator\.pem: .*does not cover the federator domain federator\.wire\.example\.test: SAN DNS names found: other\.example\.test, \*\.example\.test\. Fix: issue .*federator\.wire\.example\.test/,
      ),
    ]);
  });

  it('refuses a certificate without client auth and explains why', async () => {
    const leaf = await makeLeaf({ issuer: ca, dnsNames: [DOMAIN], extendedKeyUsages: ['serverAuth'] });
    expect(check(leaf).findings).toEqual([
      finding(
        'error',
        'certificateFile',
        /^certs\/federator\.pem: .*lacks clientAuth \(found: serverAuth\)\. .*one certificate as the federator.s server certificate and as its client certificate.*a choice.*2026: use certificate mode private-ca, or cert-manager with a private CA issuer/,
      ),
    ]);
  });

  it.each(['P-384', 'P-521'] as const)('accepts an ECDSA %s key', async (curve) => {
    const leaf = await makeLeaf({ issuer: ca, dnsNames: [DOMAIN], key: { type: 'ecdsa', curve } });
    expect(check(leaf).findings).toEqual([]);
  });

  it('refuses an ECDSA P-192 key', () => {
    const leaf = opensslSelfSigned('prime192v1', DOMAIN);
    expect(check(good, { certificatePem: leaf.certPem, keyPem: leaf.keyPem, caPem: leaf.certPem }).findings).toContainEqual(
      finding(
        'error',
        'certificateFile',
        /ECDSA P-192 key: the federator accepts ECDSA keys on P-256, P-384 or P-521 only\. Fix: issue the certificate with an ECDSA P-256 key/,
      ),
    );
  });

  it('refuses an Ed25519 key', async () => {
    const leaf = await makeLeaf({ issuer: ca, dnsNames: [DOMAIN], key: { type: 'ed25519' } });
    expect(check(leaf).findings).toEqual([
      finding(
        'error',
        'certificateFile',
        /^certs\/federator\.pem: .*Ed25519 key: the federator supports ECDSA \(P-256, P-384, P-521\) and RSA keys only\. Fix: /,
      ),
    ]);
  });

  it('only warns about RSA 2048', () => {
    expect(check(rsa2048)).toEqual({
      findings: [
        finding(
          'warning',
          'certificateFile',
          /^certs\/federator\.pem: .*RSA 2048 bits: at least 3072 bits are recommended\. Fix: use RSA ≥ 3072 bits or ECDSA P-256/,
        ),
      ],
      chainDepth: 1,
    });
  });

  it('refuses RSA 1024', () => {
    expect(check(rsa1024).findings).toEqual([
      finding('error', 'certificateFile', /^certs\/federator\.pem: .*RSA 1024 bits: RSA keys below 2048 bits are refused.*Fix: /),
    ]);
  });

  it('refuses an expired certificate', async () => {
    const notAfter = new Date(NOW.getTime() - days(5));
    const leaf = await makeLeaf({ issuer: ca, dnsNames: [DOMAIN], notBefore: new Date(NOW.getTime() - days(400)), notAfter });
    expect(check(leaf).findings).toEqual([
      finding(
        'error',
        'certificateFile',
        new RegExp(`^certs/federator\\.pem: the certificate expired on ${notAfter.toISOString().slice(0, 10)} \\(5 days ago\\)\\. Fix: renew`),
      ),
    ]);
  });

  it('refuses a certificate that is not yet valid', async () => {
    const leaf = await makeLeaf({ issuer: ca, dnsNames: [DOMAIN], notBefore: new Date(NOW.getTime() + days(2)) });
    expect(check(leaf).findings).toEqual([
      finding('error', 'certificateFile', /^certs\/federator\.pem: the certificate is not valid before .*Fix: check the clock/),
    ]);
  });

  it('warns when fewer than 30 days remain, with the date and days left', async () => {
    const notAfter = new Date(NOW.getTime() + days(10));
    const leaf = await makeLeaf({ issuer: ca, dnsNames: [DOMAIN], notBefore: new Date(NOW.getTime() - days(80)), notAfter });
    expect(check(leaf).findings).toEqual([
      finding(
        'warning',
        'certificateFile',
        new RegExp(`^certs/federator\\.pem: the certificate expires on ${notAfter.toISOString().slice(0, 10)}, in 10 days\\. Fix: renew`),
      ),
    ]);
  });

  it('refuses a key that does not belong to the certificate, without showing the key', () => {
    const result = check(good, { keyPem: rsa2048.keyPem });
    expect(result.findings).toEqual([
      finding(
        'error',
        'keyFile',
        /^certs\/federator\.key: the private key does not belong to the certificate in certs\/federator\.pem \(public key SHA-256: key [0-9a-f]{16}…, certificate [0-9a-f]{16}…\)\. Fix: use the key/,
      ),
    ]);
    expect(result.findings[0].message).not.toMatch(/PRIVATE KEY|[A-Za-z0-9+/]{40}/);
  });

  it('refuses a chain signed by another CA', async () => {
    const leaf = await makeLeaf({ issuer: otherCa, dnsNames: [DOMAIN] });
    expect(check(leaf).findings).toEqual([
      finding(
        'error',
        'certificateFile',
        /^certs\/federator\.pem: the certificate chain does not lead to a CA in certs\/ca\.pem: no trusted CA signed .*issuer "CN=Other CA".*CA file holds: CN=Test CA\. Fix: put the CA that issued the certificate \(issuer "CN=Other CA"\) into certs\/ca\.pem/,
      ),
    ]);
  });

  it("refuses a chain whose issuer has the CA's name but not its key", async () => {
    const impostor = await makeCa(); // also "CN=Test CA"
    const leaf = await makeLeaf({ issuer: impostor, dnsNames: [DOMAIN] });
    expect(check(leaf).findings).toEqual([finding('error', 'certificateFile', /does not lead to a CA in certs\/ca\.pem/)]);
  });

  it('refuses a garbage certificate file', () => {
    expect(check(good, { certificatePem: 'hello, not a certificate\n' })).toEqual({
      findings: [
        finding(
          'error',
          'certificateFile',
          /^certs\/federator\.pem: the certificate file holds no "-----BEGIN CERTIFICATE-----" block\. Fix: put the federator certificate in PEM/,
        ),
      ],
      chainDepth: 1,
    });
  });

  it('points out a certificate file holding a private key, without showing it', () => {
    const { findings } = check(good, { certificatePem: good.keyPem });
    expect(findings).toEqual([finding('error', 'certificateFile', /holds no "-----BEGIN CERTIFICATE-----" block \(it holds a private key: files swapped\?\)/)]);
    expect(findings[0].message).not.toContain(good.keyPem.split('\n')[1]);
  });

  it('refuses a key file holding a certificate', () => {
    expect(check(good, { keyPem: good.certPem }).findings).toEqual([
      finding(
        'error',
        'keyFile',
        /^certs\/federator\.key: the key file holds a certificate, not a private key \(certificate and key files swapped\?\)\. Fix: put the unencrypted PEM private key/,
      ),
    ]);
  });

  it('refuses a key file holding a public key', () => {
    const publicKeyPem = good.certificate.publicKey.toString('pem');
    expect(check(good, { keyPem: publicKeyPem }).findings).toEqual([
      finding('error', 'keyFile', /^certs\/federator\.key: the key file holds a public key, not a private key\. Fix: /),
    ]);
  });

  it('refuses a corrupt private key without echoing it', () => {
    const corrupt = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgAAAA\n-----END PRIVATE KEY-----\n';
    const { findings } = check(good, { keyPem: corrupt });
    expect(findings).toEqual([finding('error', 'keyFile', /^certs\/federator\.key: the private key does not parse.*\. Fix: /)]);
    expect(findings[0].message).not.toContain('MIGH');
  });

  it('refuses a CA file without a certificate', () => {
    expect(check(good, { caPem: '' }).findings).toEqual([
      finding('error', 'caFile', /^certs\/ca\.pem: the CA file holds no "-----BEGIN CERTIFICATE-----" block\. Fix: put the PEM certificate of the CA/),
    ]);
  });

  it('reports depth 1 + intermediates when the chain does not reach the CA', async () => {
    const leaf = await makeLeaf({ issuer: intermediate, dnsNames: [DOMAIN] });
    const result = check(leaf, { caPem: otherCa.certPem });
    expect(result.chainDepth).toBe(2);
    expect(result.findings).toEqual([finding('error', 'certificateFile', /does not lead to a CA in certs\/ca\.pem/)]);
  });
});
