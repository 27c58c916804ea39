/**
 * The few certificate fields Node's `X509Certificate` does not expose (the signature algorithm,
 * the basic constraints' path length, the name constraints), read from the DER with a minimal,
 * bounded reader. Plain Node: usable by the verifier and the card.
 */
import type { X509Certificate } from 'node:crypto';

interface Tlv {
  readonly tag: number;
  /** Offset of the content in the buffer. */
  readonly start: number;
  readonly end: number;
}

/** Reads one TLV at `at`; throws on a malformed or truncated encoding. */
function tlv(buf: Buffer, at: number, limit = buf.length): Tlv {
  if (at + 2 > limit) throw new Error('truncated DER');
  const tag = buf[at];
  let len = buf[at + 1];
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > limit) throw new Error('bad DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i];
    start += n;
  }
  if (start + len > limit) throw new Error('truncated DER');
  return { tag, start, end: start + len };
}

/** The TLVs inside a constructed TLV. */
function children(buf: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end;) {
    const t = tlv(buf, at, parent.end);
    out.push(t);
    at = t.end;
  }
  return out;
}

function oid(buf: Buffer, t: Tlv): string {
  const bytes = buf.subarray(t.start, t.end);
  const parts: number[] = [];
  let value = 0;
  for (const b of bytes) {
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      if (parts.length === 0) parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/** Signature algorithms by OID, and whether they are broken (MD5, SHA-1). */
const SIGNATURE_ALGORITHMS: Readonly<Record<string, { readonly name: string; readonly weak: boolean }>> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', weak: true },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', weak: true },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', weak: true },
  '1.2.840.10040.4.3': { name: 'dsaWithSHA1', weak: true },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', weak: true },
  '1.3.14.3.2.29': { name: 'sha1WithRSASignature', weak: true },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', weak: false },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', weak: false },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', weak: false },
  '1.2.840.113549.1.1.10': { name: 'RSASSA-PSS', weak: false },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', weak: false },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', weak: false },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', weak: false },
  '1.3.101.112': { name: 'Ed25519', weak: false },
  '1.3.101.113': { name: 'Ed448', weak: false },
};

/** What the DER says beyond Node's parser. */
export interface CertificateDetails {
  /** The signature algorithm: its name (or OID) and whether it is broken (MD5, SHA-1, MD2). */
  readonly signature: { readonly name: string; readonly weak: boolean };
  /** basicConstraints pathLenConstraint, when set. */
  readonly pathLength?: number;
  /** nameConstraints dNSName subtrees, when the extension is there. */
  readonly nameConstraints?: { readonly permitted: readonly string[]; readonly excluded: readonly string[] };
}

const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_NAME_CONSTRAINTS = '2.5.29.30';

/** Reads the signature algorithm, path length and DNS name constraints of a certificate. */
export function certificateDetails(cert: X509Certificate): CertificateDetails {
  const buf = cert.raw;
  const outer = tlv(buf, 0);
  const [tbs, algorithm] = children(buf, outer);
  const algOid = oid(buf, children(buf, algorithm)[0]);
  const signature = SIGNATURE_ALGORITHMS[algOid] ?? { name: algOid, weak: false };
  let pathLength: number | undefined;
  let nameConstraints: CertificateDetails['nameConstraints'];
  const extensions = children(buf, tbs).find((t) => t.tag === 0xa3);
  if (extensions !== undefined) {
    for (const ext of children(buf, children(buf, extensions)[0])) {
      const parts = children(buf, ext);
      const id = oid(buf, parts[0]);
      const value = parts[parts.length - 1]; // OCTET STRING (after the optional critical flag)
      const inner = tlv(buf, value.start, value.end);
      if (id === OID_BASIC_CONSTRAINTS) {
        const integer = children(buf, inner).find((t) => t.tag === 0x02);
        if (integer !== undefined) pathLength = buf.subarray(integer.start, integer.end).reduce((n, b) => n * 256 + b, 0);
      } else if (id === OID_NAME_CONSTRAINTS) {
        const permitted: string[] = [];
        const excluded: string[] = [];
        for (const subtrees of children(buf, inner)) {
          const list = subtrees.tag === 0xa0 ? permitted : subtrees.tag === 0xa1 ? excluded : undefined;
          if (list === undefined) continue;
          for (const subtree of children(buf, subtrees)) {
            const name = children(buf, subtree)[0];
            if (name?.tag === 0x82) list.push(buf.subarray(name.start, name.end).toString('latin1').toLowerCase());
          }
        }
        nameConstraints = { permitted, excluded };
      }
    }
  }
  return { signature, pathLength, nameConstraints };
}

/** Whether a DNS name constraint (RFC 5280: `example.com` covers it and its subdomains, `.example.com` subdomains only) covers `host`. */
export function dnsConstraintCovers(constraint: string, host: string): boolean {
  const c = constraint.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase();
  if (c === '') return true;
  if (c.startsWith('.')) return h.endsWith(c);
  return h === c || h.endsWith(`.${c}`);
}
