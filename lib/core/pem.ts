/**
 * PEM helpers on Node's X.509 support, and the one test for private key material. Plain Node:
 * no cdktf import, imports nothing of ours (the ground floor), usable by the verifier.
 */
import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';

/** A private key header of any kind, also in its loose forms (extra spaces, lower case). */
export const PRIVATE_KEY_HEADER = /-{3,}\s*BEGIN[A-Z0-9 ]*PRIVATE\s*KEY\s*-{3,}/i;
/** Base64 runs long enough to be a DER key (whitespace allowed inside). */
const BASE64_RUN = /[A-Za-z0-9+/]{40,}(?:[\s]*[A-Za-z0-9+/]{4,})*={0,2}/g;

/** Whether DER bytes parse as a private key (PKCS#8, PKCS#1 RSA or SEC1 EC). */
function isDerPrivateKey(der: Buffer): boolean {
  // Every private key DER starts with a SEQUENCE; skip the rest cheaply.
  if (der.length < 32 || der[0] !== 0x30) return false;
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      createPrivateKey({ key: der, format: 'der', type });
      return true;
    } catch {
      // not this form
    }
  }
  return false;
}

/**
 * Whether `text` holds a private key: a PEM private key header of any form, or key CONTENT
 * (a base64 body of a PKCS#8, PKCS#1 or SEC1 key) with any header or none.
 */
export function holdsPrivateKeyContent(text: string): boolean {
  if (PRIVATE_KEY_HEADER.test(text)) return true;
  if (text.length < 60) return false;
  // Certificates are public: their bodies are not candidates.
  const withoutCerts = text.replace(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g, '');
  for (const m of withoutCerts.matchAll(BASE64_RUN)) {
    const der = Buffer.from(m[0].replace(/\s+/g, ''), 'base64');
    if (isDerPrivateKey(der)) return true;
  }
  return false;
}

/**
 * Whether `text` contains a private key (what must never be shown, sent or synthesized): a PEM
 * private key header of any kind (`PRIVATE KEY`, `EC PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, …,
 * also with odd spacing), or the content of one (a PKCS#8, PKCS#1 or SEC1 body) under any header
 * or none.
 */
export function containsPrivateKey(text: string): boolean {
  return holdsPrivateKeyContent(text);
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Every certificate block of a PEM text, each normalized (trimmed lines, LF endings). */
export function splitPemCertificates(text: string): string[] {
  return (text.match(CERT_BLOCK) ?? []).map(normalizePem);
}

/** One certificate block with trimmed lines and `\n` endings, no trailing newline. */
export function normalizePem(block: string): string {
  return block
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .join('\n');
}

type ParsedOne = { readonly cert: X509Certificate } | { readonly error: string };

/** Parsed certificates by normalized PEM: the same CA file is often named by many environments. */
const parsed = new Map<string, ParsedOne>();

function parseOne(pem: string): ParsedOne {
  let result = parsed.get(pem);
  if (result === undefined) {
    // No `instanceof Error` on what crypto throws: it fails across realms (e.g. jest's VM).
    try {
      result = { cert: new X509Certificate(pem) };
    } catch (e) {
      result = { error: String((e as { message?: unknown }).message ?? e) };
    }
    parsed.set(pem, result);
  }
  return result;
}

/**
 * Parses a PEM text expected to hold at least one certificate.
 * @returns the parsed certificates, or a reason when the text is not such a PEM.
 */
export function parseCertificates(text: string): ParsedCertificates {
  let result = parsedTexts.get(text);
  if (result === undefined) {
    result = parseCertificatesUncached(text);
    parsedTexts.set(text, result);
  }
  return result;
}

export type ParsedCertificates = { certificates: X509Certificate[]; pems: string[] } | { error: string };
const parsedTexts = new Map<string, ParsedCertificates>();

function parseCertificatesUncached(text: string): ParsedCertificates {
  const pems = splitPemCertificates(text);
  if (pems.length === 0) return { error: 'holds no "-----BEGIN CERTIFICATE-----" block' };
  const certificates: X509Certificate[] = [];
  for (const [i, pem] of pems.entries()) {
    const one = parseOne(pem);
    if ('error' in one) return { error: `certificate block ${i + 1} does not parse (${one.error})` };
    certificates.push(one.cert);
  }
  return { certificates, pems };
}

/** SHA-256 over the DER bytes: identity of a certificate for deduplication and ordering. */
export function pemFingerprint(pem: string): string {
  const body = normalizePem(pem)
    .split('\n')
    .filter((l) => !l.startsWith('-----'))
    .join('');
  return createHash('sha256').update(Buffer.from(body, 'base64')).digest('hex');
}
