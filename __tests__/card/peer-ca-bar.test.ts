/**
 * One bar for a partner's CA (issue 32; issue 26 item 5): the same check refuses (or warns about)
 * a CA in a card (`checkCardCertificates`, used by `card add` and `card check`) and in a config's
 * `peers[].caCertificates` (validate and synth). Test CAs are made by openssl at test time.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { checkCardCertificates, parseCard } from '../../lib/card';
import { certificateDetails } from '../../lib/pki/der';
import { PEER_CA_MAX_PER_PEER, isPublicTrustStoreCa, peerCaProblems } from '../../lib/pki/peer-ca';
import { validateFederationConfig } from '../../lib/validation/pipeline';
import { PEER_CA_PEM, baseInput, synthStack } from '../support/config';
import { caEntry } from './support';
import { makeCa } from '../support/certificates';

let dir: string;
let n = 0;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'peer-ca-bar-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface CaSpec {
  readonly key?: string[]; // openssl genpkey/req -newkey arguments
  readonly digest?: string;
  readonly days?: number;
  readonly ext?: string[];
  readonly notBefore?: string;
  readonly issuer?: { cert: string; key: string };
}

/** A CA by openssl: `{cert, key}` file paths. */
function opensslCa(spec: CaSpec = {}): { cert: string; key: string; pem: string } {
  const i = n++;
  const key = join(dir, `k${i}.pem`);
  const cert = join(dir, `c${i}.pem`);
  const keyArgs = spec.key ?? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  const basic = spec.ext?.some((e) => e.startsWith('basicConstraints')) ? [] : ['-addext', 'basicConstraints=critical,CA:TRUE'];
  const ext = [...basic, '-addext', 'keyUsage=critical,keyCertSign,cRLSign', ...(spec.ext ?? []).flatMap((e) => ['-addext', e])];
  if (spec.issuer === undefined) {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        ...keyArgs,
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-subj',
        `/CN=Partner CA ${i}`,
        '-days',
        String(spec.days ?? 3650),
        `-${spec.digest ?? 'sha256'}`,
        ...ext,
      ],
      { stdio: 'pipe' },
    );
  } else {
    const csr = join(dir, `r${i}.pem`);
    execFileSync('openssl', ['req', '-new', ...keyArgs, '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=Partner Intermediate ${i}`], { stdio: 'pipe' });
    const extFile = join(dir, `e${i}.cnf`);
    writeFileSync(extFile, 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
    execFileSync(
      'openssl',
      [
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        spec.issuer.cert,
        '-CAkey',
        spec.issuer.key,
        '-CAcreateserial',
        '-out',
        cert,
        '-days',
        '365',
        '-sha256',
        '-extfile',
        extFile,
      ],
      { stdio: 'pipe' },
    );
  }
  return { cert, key, pem: readFileSync(cert, 'utf8') };
}

/** A card text carrying `pems` as its CAs. */
function cardWith(pems: readonly string[], federator = { domain: 'federator.partner.example', port: 443, chainDepth: 1 }): string {
  return JSON.stringify({
    apiVersion: 'wire-federation-cdktf/v1',
    kind: 'FederationCard',
    backendDomain: 'partner.example',
    federator,
    ingress: { chart: 'nginx-ingress-services', verifyDepth: 1 },
    searchPolicy: 'no_search',
    federationApiVersions: [1],
    caCertificates: pems.map(caEntry),
    contact: 'ops@partner.example',
    date: '2026-01-01',
  });
}

/** The problems of the card (certificates only), as `level: message`. */
function cardProblems(text: string, now = new Date()): string[] {
  const parsed = parseCard(text);
  if (!('card' in parsed)) throw new Error(parsed.problems.join('\n'));
  return checkCardCertificates(parsed.card, now).problems.map((p) => `${p.level}: ${p.message}`);
}

/** The findings of validate for a config whose peer trusts `pems`. */
function configFindings(pems: readonly string[], extra: Record<string, unknown> = {}): string[] {
  const input = baseInput({ peers: [{ domain: 'partner.example', caCertificates: pems.map((pem) => ({ pem })), ...extra }] as never });
  return validateFederationConfig(input)
    .findings.filter((f) => f.rule.startsWith('peer-ca'))
    .map((f) => `${f.level}: ${f.message}`);
}

const cases: Array<[string, () => { pems: string[]; federator?: { domain: string; port: number; chainDepth: number } }, RegExp]> = [
  ['RSA-512', () => ({ pems: [opensslCa({ key: ['-newkey', 'rsa:512'] }).pem] }), /RSA 512 bits: RSA keys below 2048/],
  ['RSA-1024', () => ({ pems: [opensslCa({ key: ['-newkey', 'rsa:1024'] }).pem] }), /RSA 1024 bits/],
  ['P-192', () => ({ pems: [opensslCa({ key: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime192v1'] }).pem] }), /ECDSA P-192 key/],
  ['a SHA-1 signature', () => ({ pems: [opensslCa({ digest: 'sha1' }).pem] }), /signed with ecdsa-with-SHA1/],
  ['an MD5 signature', () => ({ pems: [opensslCa({ key: ['-newkey', 'rsa:2048'], digest: 'md5' }).pem] }), /signed with md5WithRSAEncryption/],
  ['100 years of validity', () => ({ pems: [opensslCa({ days: 36525 }).pem] }), /valid for 100 years/],
  ['an intermediate without its issuer', () => ({ pems: [opensslCa({ issuer: opensslCa() }).pem] }), /is an intermediate .* whose issuer is not listed/],
  [
    'name constraints that exclude the federator',
    () => ({ pems: [opensslCa({ ext: ['nameConstraints=critical,excluded;DNS:partner.example'] }).pem] }),
    /excludes the DNS names under "partner.example"/,
  ],
  [
    'name constraints that permit other names only',
    () => ({ pems: [opensslCa({ ext: ['nameConstraints=critical,permitted;DNS:other.example'] }).pem] }),
    /may sign DNS names under "other.example" only/,
  ],
  [
    'pathlen:0 with a chain depth of 2',
    () => ({
      pems: [opensslCa({ ext: ['basicConstraints=critical,CA:TRUE,pathlen:0'] }).pem],
      federator: { domain: 'federator.partner.example', port: 443, chainDepth: 2 },
    }),
    /pathlen:0.*needs 1/,
  ],
  [
    'ISRG Root X1 from the public trust store',
    () => ({ pems: [rootCertificates.find((c) => new X509Certificate(c).subject.includes('ISRG Root X1'))!] }),
    /public trust store/,
  ],
  ['1,000 CAs in one card', () => ({ pems: Array.from({ length: 6 }, () => opensslCa().pem) }), new RegExp(`more than ${PEER_CA_MAX_PER_PEER}`)],
];

describe('a partner CA below the bar is refused in a card and in a config alike', () => {
  test.each(cases)('%s', (_, make, message) => {
    const { pems, federator } = make();
    const card = cardProblems(cardWith(pems, federator));
    expect(card.filter((p) => p.startsWith('error: ') && message.test(p))).not.toHaveLength(0);
    // Name constraints and path length need the card's facts (the federator, its chain depth): cards only.
    if (/name constraints|pathlen/.test(_)) return;
    const config = configFindings(pems);
    expect(config.filter((p) => p.startsWith('error: ') && message.test(p))).not.toHaveLength(0);
  });

  test('a good CA and an intermediate listed with its root pass both', () => {
    const root = opensslCa();
    const inter = opensslCa({ issuer: root });
    expect(cardProblems(cardWith([root.pem, inter.pem]))).toEqual([]);
    expect(configFindings([root.pem, inter.pem])).toEqual([]);
    expect(configFindings([PEER_CA_PEM])).toEqual([]);
  });

  test('the public-CA refusal is lifted by peers[].acceptPublicCa only', () => {
    const isrg = rootCertificates.find((c) => new X509Certificate(c).subject.includes('ISRG Root X1'))!;
    expect(isPublicTrustStoreCa(new X509Certificate(isrg))).toBe(true);
    expect(configFindings([isrg], { acceptPublicCa: true }).filter((f) => /public trust store/.test(f))).toEqual([]);
  });

  test('synth refuses what validate refuses (a weak CA in a config)', () => {
    const weak = opensslCa({ key: ['-newkey', 'rsa:1024'] }).pem;
    expect(() => synthStack(baseInput({ peers: [{ domain: 'partner.example', caCertificates: [{ pem: weak }] }] }), true)).toThrow(
      /peer-ca-certificate.*RSA 1024/,
    );
  });
});

describe('issue 26 item 5: expired or not a CA is an error everywhere; expiring soon a warning everywhere', () => {
  const now = new Date();
  test('expired', () => {
    const pem = opensslCa({ days: 1 }).pem;
    const later = new Date(now.getTime() + 3 * 86_400_000);
    expect(cardProblems(cardWith([pem]), later).some((p) => /^error: .*expired on/.test(p))).toBe(true);
    const cert = new X509Certificate(pem);
    expect(peerCaProblems(cert, { now: later }).map((p) => `${p.level}:${p.code}`)).toEqual(['error:expired']);
  });

  test('expired in a config (validate): an error, as in a card', async () => {
    const pem = (await makeCa({ commonName: 'Old CA', notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') })).certPem;
    expect(configFindings([pem]).some((f) => /^error: .*expired on 2021-01-01/.test(f))).toBe(true);
    expect(cardProblems(cardWith([pem])).some((p) => /^error: .*expired on 2021-01-01/.test(p))).toBe(true);
  });

  test('not a CA: an error in a config, as in a card', () => {
    const key = join(dir, 'leaf-key.pem');
    const cert = join(dir, 'leaf.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-subj',
        '/CN=federator.partner.example',
        '-days',
        '30',
        '-addext',
        'basicConstraints=critical,CA:FALSE',
      ],
      { stdio: 'pipe' },
    );
    const pem = readFileSync(cert, 'utf8');
    expect(configFindings([pem]).some((f) => /^error: .*is not a CA/.test(f))).toBe(true);
    expect(cardProblems(cardWith([pem])).some((p) => /^error: .*is not a CA certificate/.test(p))).toBe(true);
  });

  test('expiring within 30 days: a warning in a config and in a card', () => {
    const pem = opensslCa({ days: 10 }).pem;
    expect(configFindings([pem])).toEqual([expect.stringMatching(/^warning: .*expires on .* \(9 days left\)/)]);
    expect(cardProblems(cardWith([pem]))).toEqual([expect.stringMatching(/^warning: .*expires on .* \(9 days left\)/)]);
  });
});

test('the DER reader reads the signature algorithm, pathlen and name constraints', () => {
  const ca = opensslCa({
    digest: 'sha384',
    ext: ['basicConstraints=critical,CA:TRUE,pathlen:3', 'nameConstraints=critical,permitted;DNS:a.example,excluded;DNS:.b.a.example'],
  });
  expect(certificateDetails(new X509Certificate(ca.pem))).toEqual({
    signature: { name: 'ecdsa-with-SHA384', weak: false },
    pathLength: 3,
    nameConstraints: { permitted: ['a.example'], excluded: ['.b.a.example'] },
  });
});
