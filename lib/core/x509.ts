/**
 * Inspection of X.509 certificates against what Wire federation needs (docs/chart-facts.md, section 10):
 * SAN covers the federator domain, server AND client auth usage, ECDSA (P-256/384/521) or RSA key,
 * validity, chain to a trusted CA.
 *
 * Plain Node (`node:crypto` `X509Certificate`), the ground floor: no cdktf import. Used by `wire-federation verify`
 * on live certificates and usable on certificate files an operator provides.
 */
import { X509Certificate } from 'node:crypto';
import { normalizeDnsName } from './names';

/** OID of the TLS Web Server Authentication extended key usage. */
export const EKU_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
/** OID of the TLS Web Client Authentication extended key usage. */
export const EKU_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
/** OID of anyExtendedKeyUsage. */
export const EKU_ANY = '2.5.29.37.0';

const EKU_NAMES: Readonly<Record<string, string>> = {
  [EKU_SERVER_AUTH]: 'serverAuth',
  [EKU_CLIENT_AUTH]: 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  [EKU_ANY]: 'anyExtendedKeyUsage',
};

/** Readable name of an extended key usage OID (the OID itself when unknown). */
export function extendedKeyUsageName(oid: string): string {
  return EKU_NAMES[oid] ?? oid;
}

/** Fewer days than this left on a certificate is a warning. */
export const EXPIRY_WARNING_DAYS = 30;

const MS_PER_DAY = 86_400_000;

/**
 * The DNS names of the certificate's subjectAltName extension, lowercased, in order.
 * Empty when the extension is missing or holds no DNS name.
 */
export function sanDnsNames(cert: X509Certificate): string[] {
  const text = cert.subjectAltName;
  if (!text) return [];
  const names: string[] = [];
  // Node renders `DNS:a, DNS:b, IP Address:1.2.3.4`; values with special characters are quoted.
  for (const match of text.matchAll(/(?:^|,\s*)DNS:("(?:[^"\\]|\\.)*"|[^,]*)/g)) {
    const raw = match[1].startsWith('"') ? (JSON.parse(match[1]) as string) : match[1];
    names.push(normalizeDnsName(raw.trim()));
  }
  return names;
}

/**
 * Whether one SAN DNS entry covers `name`: equal (case-insensitive, trailing dot ignored), or a
 * wildcard `*.rest` where `name` is exactly one label followed by `rest` (RFC 6125: the wildcard
 * matches one whole label only; `*.example.com` covers neither `example.com` nor `a.b.example.com`).
 */
export function sanEntryCovers(entry: string, name: string): boolean {
  const pattern = normalizeDnsName(entry);
  const host = normalizeDnsName(name);
  if (!pattern.startsWith('*.')) return pattern === host;
  const rest = pattern.slice(1); // ".example.com"
  if (!host.endsWith(rest)) return false;
  const label = host.slice(0, host.length - rest.length);
  return label.length > 0 && !label.includes('.');
}

/**
 * The SAN DNS entry of `cert` that covers `name` (exactly or by wildcard), or undefined.
 * The subject CN is not considered: TLS clients (and the federator) ignore it when a SAN exists.
 */
export function sanCovers(cert: X509Certificate, name: string): string | undefined {
  return sanDnsNames(cert).find((entry) => sanEntryCovers(entry, name));
}

/**
 * The extended key usage OIDs of the certificate, or `undefined` when the extension is absent
 * (then no usage is restricted).
 */
export function extendedKeyUsages(cert: X509Certificate): string[] | undefined {
  const usages = cert.keyUsage as string[] | undefined;
  return usages === undefined ? undefined : [...usages];
}

/**
 * Which of server auth and client auth the certificate lacks (both are needed: the federator
 * uses its certificate as server certificate and as client certificate). An absent extension or
 * anyExtendedKeyUsage allows both.
 */
export function missingFederationUsages(cert: X509Certificate): Array<'serverAuth' | 'clientAuth'> {
  const usages = extendedKeyUsages(cert);
  if (usages === undefined || usages.includes(EKU_ANY)) return [];
  const missing: Array<'serverAuth' | 'clientAuth'> = [];
  if (!usages.includes(EKU_SERVER_AUTH)) missing.push('serverAuth');
  if (!usages.includes(EKU_CLIENT_AUTH)) missing.push('clientAuth');
  return missing;
}

/** Key type and size of a certificate, readable (e.g. `ECDSA P-256`, `RSA 2048`). */
export interface KeyDescription {
  readonly type: 'ec' | 'rsa' | 'rsa-pss' | 'ed25519' | 'ed448' | 'dsa' | 'other';
  /** NIST name of the curve when known (`P-256`), else OpenSSL's name. */
  readonly curve?: string;
  readonly bits?: number;
  readonly text: string;
}

const CURVE_NAMES: Readonly<Record<string, string>> = {
  prime192v1: 'P-192',
  secp224r1: 'P-224',
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
  secp256k1: 'secp256k1',
};

/** Describes the public key of `cert`. */
export function describeKey(cert: X509Certificate): KeyDescription {
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const curve = details.namedCurve ? (CURVE_NAMES[details.namedCurve] ?? details.namedCurve) : 'unknown curve';
      return { type: 'ec', curve, text: `ECDSA ${curve}` };
    }
    case 'rsa':
    case 'rsa-pss':
      return {
        type: key.asymmetricKeyType,
        bits: details.modulusLength,
        text: `${key.asymmetricKeyType === 'rsa' ? 'RSA' : 'RSA-PSS'} ${details.modulusLength} bits`,
      };
    case 'ed25519':
      return { type: 'ed25519', text: 'Ed25519' };
    case 'ed448':
      return { type: 'ed448', text: 'Ed448' };
    case 'dsa':
      return { type: 'dsa', bits: details.modulusLength, text: `DSA ${details.modulusLength} bits` };
    default:
      return { type: 'other', text: String(key.asymmetricKeyType) };
  }
}

/** Severity and reason of a key that the federator can not use (error) or should not (warning). */
export interface KeyProblem {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly key: KeyDescription;
}

/** RSA keys below this size get a warning. */
export const RSA_RECOMMENDED_BITS = 3072;
/** RSA keys below this size are refused by current TLS libraries. */
export const RSA_MINIMUM_BITS = 2048;

/**
 * ECDSA curves the federator accepts. It talks TLS through OpenSSL since wire-server 4.34.0
 * (#3051, "Use HsOpenSSL instead of tls for federation communication"), so the NIST curves
 * P-256, P-384 and P-521 all work; P-256 stays the default (the chart's own cert-manager
 * Certificate uses it). See docs/chart-facts.md, "Certificates".
 */
export const FEDERATOR_ECDSA_CURVES: readonly string[] = ['P-256', 'P-384', 'P-521'];

/**
 * Checks the key against what the federator accepts: ECDSA on P-256, P-384 or P-521, RSA
 * (≥ 3072 bits recommended, < 2048 refused by TLS libraries), nothing else.
 * @returns undefined when the key is fine
 */
export function keyProblem(cert: X509Certificate): KeyProblem | undefined {
  const key = describeKey(cert);
  if (key.type === 'ec') {
    return key.curve !== undefined && FEDERATOR_ECDSA_CURVES.includes(key.curve)
      ? undefined
      : { severity: 'error', key, message: `${key.text} key: the federator accepts ECDSA keys on P-256, P-384 or P-521 only` };
  }
  if (key.type === 'rsa') {
    const bits = key.bits ?? 0;
    if (bits < RSA_MINIMUM_BITS)
      return { severity: 'error', key, message: `${key.text}: RSA keys below ${RSA_MINIMUM_BITS} bits are refused by TLS libraries` };
    if (bits < RSA_RECOMMENDED_BITS) return { severity: 'warning', key, message: `${key.text}: at least ${RSA_RECOMMENDED_BITS} bits are recommended` };
    return undefined;
  }
  return { severity: 'error', key, message: `${key.text} key: the federator supports ECDSA (P-256, P-384, P-521) and RSA keys only` };
}

/** A date as YYYY-MM-DD, how certificate dates are shown. */
export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/** The end of the validity period as a Date. */
export function validToDate(cert: X509Certificate): Date {
  return new Date(cert.validTo);
}

/** The start of the validity period as a Date. */
export function validFromDate(cert: X509Certificate): Date {
  return new Date(cert.validFrom);
}

/**
 * Whole days from `now` until the certificate expires, rounded down; negative once expired
 * (-1 on the first day after expiry).
 */
export function daysLeft(cert: X509Certificate, now: Date = new Date()): number {
  return Math.floor((validToDate(cert).getTime() - now.getTime()) / MS_PER_DAY);
}

/** Whether `now` lies inside the validity period. */
export function validityProblem(cert: X509Certificate, now: Date = new Date()): 'expired' | 'not-yet-valid' | undefined {
  if (now.getTime() > validToDate(cert).getTime()) return 'expired';
  if (now.getTime() < validFromDate(cert).getTime()) return 'not-yet-valid';
  return undefined;
}

/** Whether `cert` is self-issued and its signature verifies with its own key. */
export function isSelfSigned(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer && cert.checkIssued(cert) && cert.verify(cert.publicKey);
}

/** Result of {@link chainToAnchor}. */
export type ChainResult =
  { readonly ok: true; /** leaf first, the trust anchor last */ readonly path: readonly X509Certificate[] } | { readonly ok: false; readonly reason: string };

/**
 * Builds a signature chain from `leaf` through `intermediates` to one of `anchors`, checking
 * issuer names and signatures only (not validity dates, not constraints: pair it with
 * {@link validityProblem}, or use a TLS handshake for full path validation).
 */
export function chainToAnchor(
  leaf: X509Certificate,
  intermediates: readonly X509Certificate[],
  anchors: readonly X509Certificate[],
  maxDepth = 10,
): ChainResult {
  const path: X509Certificate[] = [leaf];
  let current = leaf;
  for (let depth = 0; depth <= maxDepth; depth++) {
    const anchor = anchors.find((a) => signedBy(current, a));
    if (anchor) {
      if (anchor.fingerprint256 !== current.fingerprint256) path.push(anchor);
      return { ok: true, path };
    }
    const next = intermediates.find((c) => c.fingerprint256 !== current.fingerprint256 && !path.includes(c) && signedBy(current, c));
    if (!next) {
      return { ok: false, reason: `no trusted CA signed "${current.subject.replace(/\n/g, ', ')}" (issuer "${current.issuer.replace(/\n/g, ', ')}")` };
    }
    path.push(next);
    current = next;
  }
  return { ok: false, reason: `chain longer than ${maxDepth} certificates` };
}

function signedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** The distinguished name on one line (`CN=x, O=y`), for messages. */
export function oneLineName(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}
