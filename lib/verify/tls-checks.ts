/**
 * TLS checks (docs/chart-facts.md, sections 4, 5 and 10) as pure functions of probe results: the server
 * certificate (SAN, validity, usages, key, chain) and whether the endpoint requires and accepts
 * client certificates.
 */
import { X509Certificate } from 'node:crypto';
import * as tls from 'node:tls';
import {
  chainToAnchor,
  daysLeft,
  extendedKeyUsageName,
  extendedKeyUsages,
  describeKey,
  keyProblem,
  missingFederationUsages,
  oneLineName,
  sanCovers,
  sanDnsNames,
  validToDate,
  validFromDate,
  validityProblem,
  EXPIRY_WARNING_DAYS,
  isoDay as day,
} from '../core/x509';
import { CheckResult, fail, inconclusive, pass, warn } from './report';
import { TlsProbeResult } from './tls-probe';
import { isTlsAlert } from './tls-connect';
import type { VerifyCheckId } from './checks';
import type { CertificateExpiryDetails, ChainAnchorDetails } from './checks/certificate-metrics';
import { TLS_TIMEOUT_HINT } from './hints';

/** Certificates expiring within this many days get a warning. */

/** Readable form of a probe error code, e.g. `ECONNREFUSED` → `connection refused`. */
export function describeProbeError(code: string, message: string): string {
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused (nothing listens on that port)',
    ECONNRESET: 'connection reset by the server',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ETIMEDOUT: 'connection timed out',
    EPIPE: 'connection closed by the server',
  };
  if (known[code]) return known[code];
  const alert = /alert ([a-z ]+)/i.exec(message);
  if (alert) return `TLS alert "${alert[1].trim()}" (${code})`;
  return `${message} (${code})`;
}

/**
 * Whether the probe reached a TLS server at all.
 * @param presentedClientCertificate whether some connection to the endpoint offered our client
 *   certificate (changes the hint for a refused handshake)
 */
export function checkConnect(id: VerifyCheckId, probe: TlsProbeResult, endpoint: string, timeoutMs: number, presentedClientCertificate: boolean): CheckResult {
  if (probe.handshake) return pass(id, `TLS handshake with ${endpoint} (${probe.protocol ?? 'TLS'})`);
  if (probe.timedOut) {
    return inconclusive(fail(id, `no TLS handshake with ${endpoint} within ${timeoutMs} ms`, TLS_TIMEOUT_HINT));
  }
  const e = probe.error;
  if (e && isTlsAlert(e.code)) {
    return fail(
      id,
      `${endpoint} refused the TLS handshake: ${describeProbeError(e.code, e.message)}`,
      presentedClientCertificate
        ? 'the server refused the handshake even with our client certificate: it does not trust our CA, or the TLS versions or ciphers do not match'
        : 'the server may check client certificates in the handshake (TLS 1.2): pass --client-cert and --client-key',
    );
  }
  return fail(
    id,
    `cannot connect to ${endpoint}: ${e ? describeProbeError(e.code, e.message) : 'closed the connection'}`,
    'is the ingress running and reachable on that address and port?',
  );
}

/** Verdict on whether the endpoint let a request through. */
export interface AccessVerdict {
  readonly verdict: 'accepted' | 'refused' | 'unreachable' | 'unknown';
  readonly reason: string;
}

/**
 * Did the server accept the connection? Refusal shows as a TLS alert (a server that checks the
 * client certificate in the handshake, e.g. TLS 1.3 "certificate required") or as nginx's
 * HTTP 400 "No required SSL certificate was sent" / "The SSL certificate error" (nginx checks
 * after the handshake). Any other HTTP answer means the request got through.
 */
export function classifyAccess(probe: TlsProbeResult): AccessVerdict {
  if (probe.timedOut === 'handshake') return { verdict: 'unreachable', reason: 'no TLS handshake in time' };
  if (probe.error) {
    const e = probe.error;
    if (isTlsAlert(e.code)) return { verdict: 'refused', reason: describeProbeError(e.code, e.message) };
    if (!probe.handshake) return { verdict: 'unreachable', reason: describeProbeError(e.code, e.message) };
    if (!probe.response) return { verdict: 'refused', reason: `${describeProbeError(e.code, e.message)} after the handshake` };
  }
  const r = probe.response;
  if (r) {
    const certificateProblem = /SSL certificate|client certificate/i.exec(r.body);
    if (r.status === 495 || r.status === 496 || (r.status === 400 && certificateProblem)) {
      const text = /No required SSL certificate was sent|The SSL certificate error/i.exec(r.body)?.[0];
      return { verdict: 'refused', reason: `HTTP ${r.status}${text ? ` "${text}"` : ''}` };
    }
    return { verdict: 'accepted', reason: `HTTP ${r.status}${r.statusText ? ` ${r.statusText}` : ''}` };
  }
  if (probe.timedOut === 'response') return { verdict: 'unknown', reason: 'no answer to an HTTP request in time' };
  return { verdict: 'refused', reason: 'closed the connection without answering' };
}

/** `tls.san`: the certificate names the federator domain (exactly or by wildcard). */
export function checkSan(id: VerifyCheckId, cert: X509Certificate, name: string, hint: string): CheckResult {
  const entry = sanCovers(cert, name);
  if (entry) return pass(id, entry === name ? `SAN contains ${name}` : `SAN ${entry} covers ${name}`);
  const names = sanDnsNames(cert);
  return fail(
    id,
    names.length === 0 ? `the certificate has no DNS name in its SAN, so it does not cover ${name}` : `SAN (${names.join(', ')}) does not cover ${name}`,
    hint,
  );
}

/** `tls.expiry`: inside the validity period; warning when fewer than 30 days are left. */
export function checkExpiry(id: VerifyCheckId, cert: X509Certificate, now: Date, renewHint: string): CheckResult<CertificateExpiryDetails> {
  const problem = validityProblem(cert, now);
  const left = daysLeft(cert, now);
  const details: CertificateExpiryDetails = { notAfter: validToDate(cert).toISOString() };
  if (problem === 'expired')
    return { ...fail(id, `certificate expired on ${day(validToDate(cert))} (${-left} day${-left === 1 ? '' : 's'} ago)`, renewHint), details };
  if (problem === 'not-yet-valid')
    return {
      ...fail(id, `certificate is not valid before ${validFromDate(cert).toISOString()}`, 'check the clock of the issuer and of this machine'),
      details,
    };
  if (left < EXPIRY_WARNING_DAYS)
    return { ...warn(id, `certificate expires on ${day(validToDate(cert))}: ${left} day${left === 1 ? '' : 's'} left`, renewHint), details };
  return { ...pass(id, `valid until ${day(validToDate(cert))} (${left} days left)`), details };
}

/** `tls.eku`: server auth and client auth (the federator uses one certificate for both). */
export function checkUsages(id: VerifyCheckId, cert: X509Certificate): CheckResult {
  const usages = extendedKeyUsages(cert);
  if (usages === undefined) return pass(id, 'no extended key usage restriction (server and client auth allowed)');
  const missing = missingFederationUsages(cert);
  const have = usages.map(extendedKeyUsageName).join(', ') || 'none';
  if (missing.length === 0) return pass(id, `extended key usage ${have}`);
  return fail(
    id,
    `extended key usage is ${have}; missing ${missing.join(' and ')}`,
    missing.includes('clientAuth')
      ? 'the federator presents this certificate as its client certificate too: issue it with server auth AND client auth (public CAs stopped issuing client auth in 2026: use the private CA)'
      : 'issue the certificate with server auth AND client auth',
  );
}

/** `tls.key`: ECDSA P-256, P-384 or P-521, or RSA (warning below 3072 bits). */
export function checkKey(id: VerifyCheckId, cert: X509Certificate): CheckResult {
  const problem = keyProblem(cert);
  if (!problem) return pass(id, `${describeKey(cert).text} key`);
  return problem.severity === 'error'
    ? fail(id, problem.message, 'issue the certificate with an ECDSA P-256 key (or RSA ≥ 3072 bits)')
    : warn(id, problem.message, 'use RSA ≥ 3072 bits or ECDSA P-256 at the next renewal');
}

/** Trust anchors for {@link checkChain}. */
export interface TrustAnchors {
  /** e.g. `--ca ca.pem` or `the system CA store`. */
  readonly description: string;
  readonly certificates: readonly X509Certificate[];
}

const UNTRUSTED = new Set([
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
]);

/**
 * `tls.chain`: OpenSSL's verdict from the handshake. An expired leaf makes OpenSSL report
 * CERT_HAS_EXPIRED even when the chain is fine; then the signature chain is checked without
 * dates, so the expiry is reported once (by the expiry check) and the chain on its own merits.
 */
export function checkChain(id: VerifyCheckId, probe: TlsProbeResult, anchors: TrustAnchors, now: Date, untrustedHint: string): CheckResult<ChainAnchorDetails> {
  const leaf = probe.peerCertificate;
  if (!leaf) return fail(id, 'the server sent no certificate');
  const issuer = oneLineName(leaf.issuer);
  if (probe.authorized)
    return withAnchor(pass(id, `issued by "${issuer}", verifies against ${anchors.description}`), chainToAnchor(leaf, probe.chain, anchors.certificates));
  const code = probe.authorizationError ?? 'UNKNOWN';
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    if (validityProblem(leaf, now)) {
      const chain = chainToAnchor(leaf, probe.chain, anchors.certificates);
      if (chain.ok) return withAnchor(pass(id, `issued by "${issuer}", verifies against ${anchors.description} (validity: see the expiry check)`), chain);
      return fail(id, `not signed by a CA in ${anchors.description}: ${chain.reason}`, untrustedHint);
    }
    return fail(
      id,
      `a CA certificate in the chain is outside its validity period (${code})`,
      'renew the intermediate or CA certificate and serve the new chain',
    );
  }
  if (UNTRUSTED.has(code)) return fail(id, `issuer "${issuer}" is not trusted by ${anchors.description} (${code})`, untrustedHint);
  return fail(id, `the chain does not verify against ${anchors.description}: ${code}`, untrustedHint);
}

/**
 * Adds the trust anchor the chain ends in to a passing chain check: `details.caSubject` and
 * `details.caNotAfter` (ISO time), for the CA expiry metrics of `verify --serve`.
 */
function withAnchor(result: CheckResult<never>, chain: ReturnType<typeof chainToAnchor>): CheckResult<ChainAnchorDetails> {
  if (!chain.ok) return result;
  const anchor = chain.path[chain.path.length - 1];
  return { ...result, details: { caSubject: oneLineName(anchor.subject), caNotAfter: validToDate(anchor).toISOString() } };
}

/** The first certificate of a PEM text (the leaf of a chain). */
export function leafOf(pem: string): X509Certificate {
  const first = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0] ?? pem;
  return new X509Certificate(first);
}

let systemStore: TrustAnchors | undefined;
/** The system CA store as trust anchors (read once). */
export function systemTrustAnchors(): TrustAnchors {
  systemStore ??= { description: 'the system CA store', certificates: tls.rootCertificates.map((p) => new X509Certificate(p)) };
  return systemStore;
}
