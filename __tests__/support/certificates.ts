/**
 * Test certificates made during the test run: CAs, intermediates and leaf certificates with
 * chosen SANs, extended key usages, key types and validity. Uses @peculiar/x509 on Node's
 * WebCrypto; everything is returned as PEM so tests can hand it to `tls`, to config files or to
 * `node:crypto` `X509Certificate`.
 *
 * Reusable by any test that needs certificates (verify, checks of provided certificate files).
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type CryptoKey = webcrypto.CryptoKey;
type Algorithm = webcrypto.Algorithm;
type EcdsaParams = webcrypto.EcdsaParams;
type EcKeyGenParams = webcrypto.EcKeyGenParams;
type RsaHashedKeyGenParams = webcrypto.RsaHashedKeyGenParams;

/** Key of a certificate: ECDSA on a named curve, RSA of a size, or Ed25519. */
export type KeySpec =
  { readonly type: 'ecdsa'; readonly curve?: 'P-256' | 'P-384' | 'P-521' } | { readonly type: 'rsa'; readonly bits?: number } | { readonly type: 'ed25519' };

/** Extended key usages by name; any other string is taken as an OID. */
export type ExtendedKeyUsageName = 'serverAuth' | 'clientAuth' | 'codeSigning' | 'emailProtection' | (string & {});

/** Key usage bits by name. */
export type KeyUsageName = keyof typeof x509.KeyUsageFlags;

/** A certificate with its private key. */
export interface CertificateAndKey {
  /** The certificate alone, PEM. */
  readonly certPem: string;
  /** PKCS#8 private key, PEM (`-----BEGIN PRIVATE KEY-----`). */
  readonly keyPem: string;
  /** The certificate followed by the intermediates up to (not including) the root, PEM. */
  readonly chainPem: string;
  /** Subject distinguished name, e.g. `CN=Test CA`. */
  readonly subject: string;
  /** For issuing further certificates. */
  readonly keys: CryptoKeyPair;
  readonly certificate: x509.X509Certificate;
}

/** Validity of a certificate: explicit dates, or days around now. */
export interface ValidityOptions {
  /** @default now minus one hour */
  readonly notBefore?: Date;
  /** @default notBefore plus `validityDays` */
  readonly notAfter?: Date;
  /** Used when notAfter is not given. @default 365 */
  readonly validityDays?: number;
}

export interface CaOptions extends ValidityOptions {
  /** @default "Test CA" */
  readonly commonName?: string;
  /** @default ECDSA P-256 */
  readonly key?: KeySpec;
  /** Makes an intermediate CA signed by this issuer. @default self-signed root */
  readonly issuer?: CertificateAndKey;
}

export interface LeafOptions extends ValidityOptions {
  /** Signs the certificate. @default self-signed */
  readonly issuer?: CertificateAndKey;
  /** @default the first DNS name, or "test leaf" */
  readonly commonName?: string;
  /** DNS names in the SAN (wildcards allowed, e.g. `*.example.test`). @default none */
  readonly dnsNames?: readonly string[];
  /** IP addresses in the SAN. @default none */
  readonly ipAddresses?: readonly string[];
  /**
   * Extended key usages; `null` leaves the extension out.
   * @default ['serverAuth', 'clientAuth'] (what the federator certificate needs)
   */
  readonly extendedKeyUsages?: readonly ExtendedKeyUsageName[] | null;
  /** @default ['digitalSignature', 'keyEncipherment'] */
  readonly keyUsages?: readonly KeyUsageName[];
  /** @default ECDSA P-256 */
  readonly key?: KeySpec;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function keyAlgorithm(spec: KeySpec = { type: 'ecdsa' }): { generate: EcKeyGenParams | RsaHashedKeyGenParams | Algorithm; sign: Algorithm | EcdsaParams } {
  switch (spec.type) {
    case 'ecdsa': {
      const curve = spec.curve ?? 'P-256';
      const hash = curve === 'P-256' ? 'SHA-256' : curve === 'P-384' ? 'SHA-384' : 'SHA-512';
      return { generate: { name: 'ECDSA', namedCurve: curve }, sign: { name: 'ECDSA', hash } };
    }
    case 'rsa':
      return {
        generate: {
          name: 'RSASSA-PKCS1-v1_5',
          modulusLength: spec.bits ?? 2048,
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: 'SHA-256',
        },
        sign: { name: 'RSASSA-PKCS1-v1_5' },
      };
    case 'ed25519':
      return { generate: { name: 'Ed25519' }, sign: { name: 'Ed25519' } };
  }
}

async function generateKeys(spec?: KeySpec): Promise<{ keys: CryptoKeyPair; sign: Algorithm | EcdsaParams }> {
  const alg = keyAlgorithm(spec);
  const keys = await webcrypto.subtle.generateKey(alg.generate as EcKeyGenParams, true, ['sign', 'verify']);
  return { keys, sign: alg.sign };
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

function validity(options: ValidityOptions): { notBefore: Date; notAfter: Date } {
  const notBefore = options.notBefore ?? new Date(Date.now() - HOUR);
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + (options.validityDays ?? 365) * DAY);
  return { notBefore, notAfter };
}

/** Signature algorithm of the issuer's key (the issuer signs). */
function issuerSigning(issuer: CertificateAndKey): Algorithm | EcdsaParams {
  const alg = issuer.keys.privateKey.algorithm as Algorithm & { namedCurve?: string };
  if (alg.name === 'ECDSA') {
    const hash = alg.namedCurve === 'P-256' ? 'SHA-256' : alg.namedCurve === 'P-384' ? 'SHA-384' : 'SHA-512';
    return { name: 'ECDSA', hash };
  }
  if (alg.name === 'Ed25519') return { name: 'Ed25519' };
  return { name: 'RSASSA-PKCS1-v1_5' };
}

const EKU_OIDS: Record<string, string> = {
  serverAuth: x509.ExtendedKeyUsage.serverAuth,
  clientAuth: x509.ExtendedKeyUsage.clientAuth,
  codeSigning: x509.ExtendedKeyUsage.codeSigning,
  emailProtection: x509.ExtendedKeyUsage.emailProtection,
};

let serial = 1;
function nextSerial(): string {
  // Positive, unique within a run; random prefix so two runs never share serials.
  const prefix = Math.floor(Math.random() * 0x7fffff)
    .toString(16)
    .padStart(6, '0');
  return `${prefix}${(serial++).toString(16).padStart(8, '0')}`;
}

async function finish(certificate: x509.X509Certificate, keys: CryptoKeyPair, issuer: CertificateAndKey | undefined): Promise<CertificateAndKey> {
  const certPem = certificate.toString('pem');
  // Intermediates go with the leaf; a root (self-signed) issuer is left out.
  const issuerChain = issuer && issuer.certificate.subject !== issuer.certificate.issuer ? `\n${issuer.chainPem}` : '';
  return {
    certPem,
    keyPem: await privateKeyPem(keys.privateKey),
    chainPem: `${certPem}${issuerChain}`,
    subject: certificate.subject,
    keys,
    certificate,
  };
}

/** Issues the certificate: signed by `issuer`, or self-signed with `signing` when there is none. */
function sign(
  name: string,
  keys: CryptoKeyPair,
  signing: Algorithm | EcdsaParams,
  issuer: CertificateAndKey | undefined,
  { notBefore, notAfter }: { notBefore: Date; notAfter: Date },
  extensions: x509.Extension[],
): Promise<x509.X509Certificate> {
  const common = { serialNumber: nextSerial(), notBefore, notAfter, extensions };
  return issuer
    ? x509.X509CertificateGenerator.create({
        ...common,
        subject: name,
        issuer: issuer.subject,
        publicKey: keys.publicKey,
        signingKey: issuer.keys.privateKey,
        signingAlgorithm: issuerSigning(issuer),
      })
    : x509.X509CertificateGenerator.createSelfSigned({ ...common, name, keys, signingAlgorithm: signing });
}

/** Makes a CA certificate: a self-signed root, or an intermediate when `issuer` is given. */
export async function makeCa(options: CaOptions = {}): Promise<CertificateAndKey> {
  const { keys, sign: signing } = await generateKeys(options.key);
  const name = `CN=${options.commonName ?? 'Test CA'}`;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (options.issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(options.issuer.keys.publicKey));
  const certificate = await sign(name, keys, signing, options.issuer, validity({ validityDays: 3650, ...options }), extensions);
  return finish(certificate, keys, options.issuer);
}

/** Makes an end-entity certificate (server and/or client), signed by `issuer` or self-signed. */
export async function makeLeaf(options: LeafOptions = {}): Promise<CertificateAndKey> {
  const { keys, sign: signing } = await generateKeys(options.key);
  const dnsNames = options.dnsNames ?? [];
  const name = `CN=${options.commonName ?? dnsNames[0] ?? 'test leaf'}`;
  const keyUsages = (options.keyUsages ?? ['digitalSignature', 'keyEncipherment']).reduce((bits, u) => bits | x509.KeyUsageFlags[u], 0);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(keyUsages, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  const ekus = options.extendedKeyUsages === undefined ? ['serverAuth', 'clientAuth'] : options.extendedKeyUsages;
  if (ekus !== null) extensions.push(new x509.ExtendedKeyUsageExtension(ekus.map((u) => EKU_OIDS[u] ?? u)));
  const sans = [...dnsNames.map((value) => ({ type: 'dns' as const, value })), ...(options.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value }))];
  if (sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sans));
  if (options.issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(options.issuer.keys.publicKey));
  const certificate = await sign(name, keys, signing, options.issuer, validity(options), extensions);
  return finish(certificate, keys, options.issuer);
}

/** Days as milliseconds, for building validity dates in tests. */
export const days = (n: number): number => n * DAY;

/**
 * A self-signed server+client certificate on an ECDSA curve that WebCrypto cannot make (e.g.
 * `prime192v1`), made with the openssl command line.
 */
export function opensslSelfSigned(curve: string, dnsName: string): { certPem: string; keyPem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'wfc-openssl-'));
  try {
    execFileSync('openssl', ['ecparam', '-name', curve, '-genkey', '-noout', '-out', join(dir, 'key.sec1')], { stdio: 'pipe' });
    execFileSync('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', join(dir, 'key.sec1'), '-out', join(dir, 'key.pem')], { stdio: 'pipe' });
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-new',
        '-key',
        join(dir, 'key.pem'),
        '-subj',
        `/CN=${dnsName}`,
        '-days',
        '30',
        '-sha256',
        '-addext',
        `subjectAltName=DNS:${dnsName}`,
        '-addext',
        'extendedKeyUsage=serverAuth,clientAuth',
        '-addext',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'pipe' },
    );
    return { certPem: readFileSync(join(dir, 'cert.pem'), 'utf8'), keyPem: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
