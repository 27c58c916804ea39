/**
 * PEM helpers on Node's X.509 support. Plain Node: no cdktf import, usable by the verifier.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { holdsPrivateKeyContent } from '../helm/values/secrets';

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
