/**
 * The bar a partner's CA certificate must meet before it joins the trust bundle that every peer
 * shares (the ingress trusts a client certificate signed by ANY CA in it): the one check for the
 * CAs of a card (`card add`, `card check`) and the peers' `caCertificates` of a config
 * (validate, synth). Errors refuse; warnings are printed everywhere alike.
 *
 * It is our own bar (`keyProblem`) and more: a CA (basicConstraints CA:TRUE) valid now, a strong
 * key and signature (no RSA below 2048 bits, no P-192, no SHA-1 or MD5), at most
 * {@link PEER_CA_MAX_VALIDITY_YEARS} years of validity, a self-signed root or an intermediate
 * whose issuer is listed too, name constraints that do not exclude the partner's federator, a
 * path length that allows the partner's chain, at most {@link PEER_CA_MAX_PER_PEER} CAs per peer,
 * and never a CA of the public trust store unless the config accepts it by name
 * (`peers[].acceptPublicCa`): federation trust is private, and a public root would let in anyone
 * holding a client certificate of it. Plain Node: no cdktf import.
 */
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { certificateDetails, dnsConstraintCovers } from './der';
import { EXPIRY_WARNING_DAYS, daysLeft, isSelfSigned, isoDay, keyProblem, oneLineName, validFromDate, validToDate, validityProblem } from '../core/x509';
import { splitPemCertificates } from '../core/pem';

/** A longer validity than this is refused: a CA that cannot be rotated in a working life. */
export const PEER_CA_MAX_VALIDITY_YEARS = 25;
/** More CAs than this for one peer are refused (a rotation needs two, three at most). */
export const PEER_CA_MAX_PER_PEER = 5;

/** One problem of a peer CA; `code` is stable (tests, docs). */
export interface PeerCaProblem {
  readonly level: 'error' | 'warning';
  readonly code:
    | 'not-ca'
    | 'expired'
    | 'not-yet-valid'
    | 'expiring'
    | 'weak-key'
    | 'weak-signature'
    | 'validity-too-long'
    | 'intermediate-without-issuer'
    | 'name-constraints'
    | 'path-length'
    | 'public-ca'
    | 'too-many'
    | 'unreadable';
  /** One line, without the location (the caller prefixes it). */
  readonly message: string;
}

/** What the config or the card says about the partner, to check its CAs against. */
export interface PeerCaFacts {
  /** The partner's federator host (its certificate's name): name constraints must allow it. @default - not checked */
  readonly federatorDomain?: string;
  /** Certificates from the partner's federator certificate up to the CA (1: signed by the CA directly). @default - not checked */
  readonly chainDepth?: number;
  /** The config accepts a CA of the public trust store for this peer. @default false */
  readonly acceptPublicCa?: boolean;
  /** @default - now */
  readonly now?: Date;
}

const MS_PER_YEAR = 365.25 * 86_400_000;

/** SHA-256 fingerprints and subject+key identities of the public trust store (Node's and the system's). */
let publicStore: { fingerprints: Set<string>; identities: Set<string> } | undefined;

/** System bundles read for the public store (the first that exists, bounded). */
const SYSTEM_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

function identity(cert: X509Certificate): string {
  return `${cert.subject}\u0000${cert.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
}

function readSystemBundle(): string {
  for (const file of SYSTEM_BUNDLES) {
    let fd: number | undefined;
    try {
      fd = openSync(file, 'r');
      const st = fstatSync(fd);
      if (!st.isFile() || st.size > 16 * 1024 * 1024) continue;
      const buf = Buffer.alloc(st.size);
      let read = 0;
      while (read < st.size) {
        const n = readSync(fd, buf, read, st.size - read, read);
        if (n === 0) break;
        read += n;
      }
      return buf.subarray(0, read).toString('utf8');
    } catch {
      // not there
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return '';
}

/** The public trust store, parsed once per process. */
function publicTrustStore(): { fingerprints: Set<string>; identities: Set<string> } {
  if (publicStore === undefined) {
    const fingerprints = new Set<string>();
    const identities = new Set<string>();
    for (const pem of [...rootCertificates, ...splitPemCertificates(readSystemBundle())]) {
      try {
        const cert = new X509Certificate(pem);
        fingerprints.add(cert.fingerprint256);
        identities.add(identity(cert));
      } catch {
        // an unparsable entry of the store is not ours to judge
      }
    }
    publicStore = { fingerprints, identities };
  }
  return publicStore;
}

/** Whether `cert` is (or re-issues the key of) a CA of the system's public trust store. */
export function isPublicTrustStoreCa(cert: X509Certificate): boolean {
  const store = publicTrustStore();
  return store.fingerprints.has(cert.fingerprint256) || store.identities.has(identity(cert));
}

/**
 * Every problem of one peer CA certificate.
 * @param others - the peer's other CA certificates (the issuer of an intermediate must be among them)
 */
export function peerCaProblems(cert: X509Certificate, facts: PeerCaFacts = {}, others: readonly X509Certificate[] = []): PeerCaProblem[] {
  const now = facts.now ?? new Date();
  const name = `"${oneLineName(cert.subject)}"`;
  const problems: PeerCaProblem[] = [];
  const error = (code: PeerCaProblem['code'], message: string) => problems.push({ level: 'error', code, message });
  if (!cert.ca) {
    error(
      'not-ca',
      `${name} is not a CA certificate (basicConstraints CA:FALSE, issuer "${oneLineName(cert.issuer)}"): it looks like the partner's federator (leaf) certificate; ask the partner for the CA certificate that signs it`,
    );
    return problems;
  }
  const validity = validityProblem(cert, now);
  if (validity === 'expired') error('expired', `the CA certificate ${name} expired on ${isoDay(validToDate(cert))}: ask the partner for their current CA`);
  if (validity === 'not-yet-valid')
    error(
      'not-yet-valid',
      `the CA certificate ${name} is not valid before ${validFromDate(cert).toISOString()}: check the clock of this machine, or ask the partner for their current CA`,
    );
  const key = keyProblem(cert);
  if (key?.severity === 'error')
    error(
      'weak-key',
      `the CA certificate ${name} has a ${key.message}: ask the partner for a CA with an ECDSA P-256/P-384/P-521 or an RSA key of at least 2048 bits`,
    );
  let details: ReturnType<typeof certificateDetails> | undefined;
  try {
    details = certificateDetails(cert);
  } catch (e) {
    error('unreadable', `the CA certificate ${name} cannot be read (${(e as Error).message}): ask the partner for a new one`);
  }
  if (details?.signature.weak)
    error(
      'weak-signature',
      `the CA certificate ${name} is signed with ${details.signature.name}, which can be forged (MD5 and SHA-1 are broken): ask the partner for a CA signed with SHA-256 or better`,
    );
  const years = (validToDate(cert).getTime() - validFromDate(cert).getTime()) / MS_PER_YEAR;
  if (years > PEER_CA_MAX_VALIDITY_YEARS) {
    error(
      'validity-too-long',
      `the CA certificate ${name} is valid for ${Math.round(years)} years (${isoDay(validFromDate(cert))} to ${isoDay(validToDate(cert))}), more than ${PEER_CA_MAX_VALIDITY_YEARS}: a CA that is never rotated is one whose key can leak unnoticed; ask the partner for a CA of at most ${PEER_CA_MAX_VALIDITY_YEARS} years`,
    );
  }
  if (!isSelfSigned(cert) && !others.some((o) => o.fingerprint256 !== cert.fingerprint256 && o.ca && cert.checkIssued(o) && cert.verify(o.publicKey))) {
    error(
      'intermediate-without-issuer',
      `the CA certificate ${name} is an intermediate (issued by "${oneLineName(cert.issuer)}") whose issuer is not listed: the ingress verifies a chain up to a self-signed root; list the root that issued it too (or the partner's self-signed CA)`,
    );
  }
  const host = facts.federatorDomain;
  if (host !== undefined && details?.nameConstraints !== undefined) {
    const { permitted, excluded } = details.nameConstraints;
    const ex = excluded.find((c) => dnsConstraintCovers(c, host));
    if (ex !== undefined)
      error(
        'name-constraints',
        `the CA certificate ${name} excludes the DNS names under "${ex}" (name constraints), which covers the partner's federator ${host}: it cannot sign the partner's federator certificate; the card and the CA do not belong together`,
      );
    else if (permitted.length > 0 && !permitted.some((c) => dnsConstraintCovers(c, host))) {
      error(
        'name-constraints',
        `the CA certificate ${name} may sign DNS names under ${permitted.map((p) => `"${p}"`).join(', ')} only (name constraints), not the partner's federator ${host}: the card and the CA do not belong together`,
      );
    }
  }
  if (facts.chainDepth !== undefined && details?.pathLength !== undefined && details.pathLength < facts.chainDepth - 1) {
    error(
      'path-length',
      `the CA certificate ${name} allows ${details.pathLength} intermediate certificate${details.pathLength === 1 ? '' : 's'} below it (pathlen:${details.pathLength}), but the partner's federator certificate is ${facts.chainDepth} below its CA (federator.chainDepth), which needs ${facts.chainDepth - 1}: the chain cannot verify; ask the partner which is right`,
    );
  }
  if (!facts.acceptPublicCa && isPublicTrustStoreCa(cert)) {
    error(
      'public-ca',
      `the CA certificate ${name} is a CA of the public trust store (a web CA): in the trust bundle every peer shares, it would let in anyone holding a client certificate it issued. Federation trust is private: ask the partner for their own federation CA. If you really mean it, set acceptPublicCa: true on this peer in the config`,
    );
  }
  if (validity === undefined) {
    const left = daysLeft(cert, now);
    if (left < EXPIRY_WARNING_DAYS)
      problems.push({
        level: 'warning',
        code: 'expiring',
        message: `the CA certificate ${name} expires on ${isoDay(validToDate(cert))} (${left} days left): ask the partner when their next CA comes, and add it next to this one`,
      });
  }
  return problems;
}

/** The problem of a peer with too many CAs, or undefined. */
export function tooManyCas(count: number): PeerCaProblem | undefined {
  return count > PEER_CA_MAX_PER_PEER
    ? {
        level: 'error',
        code: 'too-many',
        message: `lists ${count} CA certificates, more than ${PEER_CA_MAX_PER_PEER}: a peer needs one CA, two or three while it rotates; every CA here is trusted for every peer. Keep the partner's current CAs only`,
      }
    : undefined;
}
