/**
 * lib/core/x509.ts: certificate inspection helpers, on certificates made in the test run.
 */
import { X509Certificate } from 'node:crypto';
import {
  chainToAnchor,
  daysLeft,
  describeKey,
  extendedKeyUsages,
  keyProblem,
  missingFederationUsages,
  sanCovers,
  sanDnsNames,
  sanEntryCovers,
  validityProblem,
} from '../../lib/core/x509';
import { CertificateAndKey, days, makeCa, makeLeaf, opensslSelfSigned } from '../support/certificates';

const x509 = (c: CertificateAndKey): X509Certificate => new X509Certificate(c.certPem);

let root: CertificateAndKey;
let intermediate: CertificateAndKey;
let leaf: CertificateAndKey;

beforeAll(async () => {
  root = await makeCa({ commonName: 'Root' });
  intermediate = await makeCa({ commonName: 'Issuing', issuer: root });
  leaf = await makeLeaf({ issuer: intermediate, dnsNames: ['federator.example.org', '*.wire.example.org'], ipAddresses: ['192.0.2.1'] });
});

describe('SAN', () => {
  test.each([
    ['federator.example.org', 'federator.example.org', true],
    ['federator.example.org', 'FEDERATOR.example.org.', true],
    ['*.example.org', 'federator.example.org', true],
    ['*.example.org', 'example.org', false],
    ['*.example.org', 'a.federator.example.org', false],
    ['*.example.org', '.example.org', false],
    ['federator.example.org', 'other.example.org', false],
  ])('entry %s covers %s: %s', (entry, name, expected) => {
    expect(sanEntryCovers(entry, name)).toBe(expected);
  });

  test('reads DNS names only, and finds the covering entry', () => {
    const cert = x509(leaf);
    expect(sanDnsNames(cert)).toEqual(['federator.example.org', '*.wire.example.org']);
    expect(sanCovers(cert, 'federator.example.org')).toBe('federator.example.org');
    expect(sanCovers(cert, 'federator.wire.example.org')).toBe('*.wire.example.org');
    expect(sanCovers(cert, '192.0.2.1')).toBeUndefined();
  });
});

describe('extended key usage', () => {
  test('both usages present', () => {
    expect(missingFederationUsages(x509(leaf))).toEqual([]);
  });
  test('server only', async () => {
    expect(missingFederationUsages(x509(await makeLeaf({ extendedKeyUsages: ['serverAuth'] })))).toEqual(['clientAuth']);
  });
  test('no extension means no restriction', async () => {
    const cert = x509(await makeLeaf({ extendedKeyUsages: null }));
    expect(extendedKeyUsages(cert)).toBeUndefined();
    expect(missingFederationUsages(cert)).toEqual([]);
  });
});

describe('key', () => {
  test('P-256, P-384 and P-521 are fine, P-192 is an error, RSA 2048 a warning, Ed25519 an error', async () => {
    expect(keyProblem(x509(leaf))).toBeUndefined();
    expect(keyProblem(x509(await makeLeaf({ key: { type: 'ecdsa', curve: 'P-384' } })))).toBeUndefined();
    expect(keyProblem(x509(await makeLeaf({ key: { type: 'ecdsa', curve: 'P-521' } })))).toBeUndefined();
    expect(keyProblem(new X509Certificate(opensslSelfSigned('prime192v1', 'p192.example.com').certPem))).toMatchObject({
      severity: 'error',
      key: { curve: 'P-192' },
    });
    const rsa = x509(await makeLeaf({ key: { type: 'rsa', bits: 2048 } }));
    expect(describeKey(rsa)).toMatchObject({ type: 'rsa', bits: 2048 });
    expect(keyProblem(rsa)?.severity).toBe('warning');
    expect(keyProblem(x509(await makeLeaf({ key: { type: 'ed25519' } })))?.severity).toBe('error');
  });
});

describe('validity', () => {
  test('daysLeft and validityProblem against a given now', async () => {
    const notBefore = new Date('2030-01-01T00:00:00Z');
    const cert = x509(await makeLeaf({ notBefore, notAfter: new Date('2030-03-02T00:00:00Z') }));
    expect(daysLeft(cert, new Date('2030-03-01T12:00:00Z'))).toBe(0);
    expect(daysLeft(cert, new Date('2030-01-31T00:00:00Z'))).toBe(30);
    expect(daysLeft(cert, new Date('2030-03-03T00:00:00Z'))).toBe(-1);
    expect(validityProblem(cert, new Date('2030-03-03T00:00:00Z'))).toBe('expired');
    expect(validityProblem(cert, new Date('2029-12-31T00:00:00Z'))).toBe('not-yet-valid');
    expect(validityProblem(cert, new Date(notBefore.getTime() + days(1)))).toBeUndefined();
  });
});

describe('chainToAnchor', () => {
  test('leaf → intermediate → root', () => {
    const result = chainToAnchor(x509(leaf), [x509(intermediate)], [x509(root)]);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.path.map((c) => c.subject)).toEqual([x509(leaf).subject, 'CN=Issuing', 'CN=Root']);
  });
  test('missing intermediate', () => {
    expect(chainToAnchor(x509(leaf), [], [x509(root)])).toMatchObject({ ok: false, reason: expect.stringContaining('issuer "CN=Issuing"') });
  });
  test('an anchor with the same name but another key does not count', async () => {
    const impostor = await makeCa({ commonName: 'Root' });
    expect(chainToAnchor(x509(leaf), [x509(intermediate)], [x509(impostor)]).ok).toBe(false);
  });
});
