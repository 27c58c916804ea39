/**
 * PEM helpers on Node's X.509 support. Plain Node: no cdktf import, usable by the verifier.
 */
import { X509Certificate, createHash } from 'node:crypto';

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

/** Parsed certificates by normalized PEM: the same CA file is often named by many environments. */
const parsed = new Map<string, X509Certificate | Error>();

function parseOne(pem: string): X509Certificate | Error {
  let cert = parsed.get(pem);
  if (cert === undefined) {
    try {
      cert = new X509Certificate(pem);
    } catch (e) {
      cert = e as Error;
    }
    parsed.set(pem, cert);
  }
  return cert;
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
    const cert = parseOne(pem);
    if (cert instanceof Error) return { error: `certificate block ${i + 1} does not parse (${cert.message})` };
    certificates.push(cert);
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
