/**
 * The DTLS checks of coturn's federation listener (docs/verify-calling.md) as pure functions of
 * probe results: whether a DTLS server answered, whether it requires a client certificate,
 * whether it accepted ours (and if not, why, from the alert it sent), and whether our whitelist
 * entry for a peer matches the peer's certificate the way coturn matches it.
 *
 * coturn's behaviour, from Wire's fork (github.com/wireapp/coturn, src/apps/relay/federation.c,
 * `federation_setup_dtls_ctx` and `federation_cert_verify`; hostcheck.c `wildcard_hostcheck`):
 * with a CA file it requires a client certificate (SSL_VERIFY_FAIL_IF_NO_PEER_CERT) and refuses
 * it, with OpenSSL's alerts, when the chain does not verify (`unknown ca`), when it lacks the
 * clientAuth usage (`unsupported certificate`) or has expired (`certificate expired`); a chain
 * that verifies but whose names match no `federation-remote-whitelist` host (or whose issuer CN
 * is not the entry's) is refused with `certificate unknown`. Without a CA file it verifies no
 * client at all.
 */
import { X509Certificate } from 'node:crypto';
import { oneLineName, sanDnsNames } from '../core/x509';
import { DtlsProbeResult } from './dtls-probe';
import { CheckResult, fail, inconclusive, pass, warn } from './report';
import type { VerifyCheckId } from './checks';

/** The alerts a coturn federation listener sends when it refuses a client certificate, by number. */
export const COTURN_REFUSAL_ALERTS = {
  handshakeFailure: 40,
  badCertificate: 42,
  unsupportedCertificate: 43,
  certificateExpired: 45,
  certificateUnknown: 46,
  unknownCa: 48,
} as const;

/** `host:port (UDP) at address`, for messages. */
export function dtlsEndpoint(host: string, port: number, address: string): string {
  return `${host}:${port}/udp at ${address}`;
}

/** A readable form of what stopped a probe before a DTLS server answered. */
export function describeDtlsFailure(probe: DtlsProbeResult, timeoutMs: number): string {
  if (probe.timedOut) return `no DTLS answer within ${timeoutMs} ms`;
  if (probe.error?.code === 'ECONNREFUSED') return 'port unreachable (ICMP): nothing listens on that UDP port';
  if (probe.error) return `${probe.error.message} (${probe.error.code})`;
  if (probe.alert) return `alert "${probe.alert.description}" (${probe.alert.number})`;
  return 'no DTLS answer';
}

/**
 * Whether a DTLS server answered at every address (`reached` true) and the check result. The
 * probes are in the order of `addresses`. A timeout is a failure without a verdict
 * (inconclusive): UDP gives no answer both when a firewall drops the packets and when the
 * network is slow.
 */
export function checkDtlsConnect(
  id: VerifyCheckId,
  probes: readonly { readonly address: string; readonly probe: DtlsProbeResult }[],
  host: string,
  port: number,
  timeoutMs: number,
  hints: { readonly unreachable: string; readonly opensslMissing: string },
): CheckResult {
  const missing = probes.find((p) => p.probe.error?.code === 'OPENSSL_MISSING');
  if (missing) return inconclusive(fail(id, `cannot probe DTLS: ${missing.probe.error?.message}`, hints.opensslMissing));
  const failed = probes.filter((p) => !p.probe.reachedServer);
  const reached = probes.filter((p) => p.probe.reachedServer);
  if (failed.length === 0) {
    const protocol = reached[0]?.probe.protocol ?? 'DTLS';
    return pass(id, `a DTLS server answers at ${host}:${port}/udp on ${reached.map((p) => p.address).join(', ')} (${protocol})`);
  }
  const lines = failed.map((p) => `${p.address}: ${describeDtlsFailure(p.probe, timeoutMs)}`).join('; ');
  const result = fail(
    id,
    `no DTLS server at ${host}:${port}/udp: ${lines}${reached.length > 0 ? ` (answers on ${reached.map((p) => p.address).join(', ')})` : ''}`,
    hints.unreachable,
  );
  return failed.every((p) => p.probe.timedOut) ? inconclusive(result) : result;
}

/**
 * Mutual authentication of our coturn: a probe without a client certificate must be refused
 * (coturn asks for a certificate and fails the handshake without one). A handshake that
 * completes without one means coturn verifies no peer: it has no CA file.
 */
export function checkDtlsRequiresClientCertificate(id: VerifyCheckId, probe: DtlsProbeResult, noCaFileHint: string): CheckResult {
  if (probe.handshake) {
    return fail(id, 'the handshake completed without a client certificate: any host can federate with this coturn', noCaFileHint);
  }
  if (probe.alert) {
    return pass(
      id,
      `refuses a client without a certificate (alert "${probe.alert.description}"${probe.clientCertificateRequested ? ', after asking for one' : ''})`,
    );
  }
  return inconclusive(warn(id, `could not tell whether a client certificate is required: ${describeDtlsFailure(probe, 0)}`, 'raise --timeout'));
}

/** What {@link checkDtlsAcceptsUs} needs to say why a peer refused us. */
export interface AcceptsUsContext {
  /** The peer's backend domain. */
  readonly peer: string;
  /** Our coturn host (the name the peer's whitelist entry must match). */
  readonly ourHost: string;
  /** Our coturn certificate, as presented (leaf first). */
  readonly ourCertificate: X509Certificate;
  /** Where it came from (`--coturn-cert <file>`), for messages. */
  readonly origin: string;
  readonly now: Date;
}

/** The whitelist entry a peer's coturn needs for us: `<host>,<issuer CN>` (the issuer as our certificate names it). */
export function whitelistEntryFor(host: string, certificate: X509Certificate): string {
  const issuerCn = commonName(certificate.issuer);
  return issuerCn ? `${host},${issuerCn}` : host;
}

/**
 * `accepts-us`: the peer's coturn completed the handshake with our certificate. A refusal is
 * explained by the alert coturn sent (see the module comment) and by what we know of our own
 * certificate, so the hint names the side that acts and the exact setting.
 */
export function checkDtlsAcceptsUs(id: VerifyCheckId, probe: DtlsProbeResult, context: AcceptsUsContext): CheckResult {
  const { peer, ourHost, ourCertificate, origin, now } = context;
  if (probe.handshake) return pass(id, `${peer}'s coturn accepts our coturn certificate (${origin})`);
  if (!probe.alert) {
    const result = fail(id, `could not finish the DTLS handshake with our certificate: ${describeDtlsFailure(probe, 0)}`);
    return probe.timedOut ? inconclusive(result) : result;
  }
  const alert = `alert "${probe.alert.description}" (${probe.alert.number})`;
  const refused = `${peer}'s coturn refused our coturn certificate (${origin}): ${alert}`;
  const lacksClientAuth = lacksUsage(ourCertificate, '1.3.6.1.5.5.7.3.2');
  if (probe.alert.number === COTURN_REFUSAL_ALERTS.unsupportedCertificate || lacksClientAuth) {
    return fail(
      id,
      refused,
      `our coturn certificate lacks the clientAuth usage, and coturn presents it as client certificate to peers: issue it with server auth AND client auth (public CAs stopped issuing client auth in 2026: use the private CA, as for the federator)`,
    );
  }
  const expired = new Date(ourCertificate.validTo) < now;
  if (probe.alert.number === COTURN_REFUSAL_ALERTS.certificateExpired || expired) {
    return fail(
      id,
      refused,
      `our coturn certificate expired on ${new Date(ourCertificate.validTo).toISOString().slice(0, 10)}: renew it (cdktf deploy re-issues it with the private CA; cert-manager renews it)`,
    );
  }
  if (probe.alert.number === COTURN_REFUSAL_ALERTS.unknownCa) {
    return fail(
      id,
      refused,
      `${peer}'s coturn does not trust our CA: give its operator our CA certificate (stack output ca_certificate_pem) for its coturn CA bundle (coturn chart ca.cert, turnserver.conf CA-file)`,
    );
  }
  if (probe.alert.number === COTURN_REFUSAL_ALERTS.certificateUnknown) {
    const names = certificateNames(ourCertificate);
    return fail(
      id,
      `${refused}: the chain verifies, but ${peer}'s federation-remote-whitelist has no entry for our certificate (names: ${names.join(', ') || 'none'}; issuer CN "${commonName(ourCertificate.issuer) ?? '?'}")`,
      `ask the operator of ${peer} to add "federation-remote-whitelist=${whitelistEntryFor(ourHost, ourCertificate)}" (coturn chart federate.dtls.remoteWhitelist; with this project: peers[].calling.coturnHost ${ourHost} and issuerCommonName "${commonName(ourCertificate.issuer) ?? ''}"), or check that our certificate names ${ourHost}`,
    );
  }
  if (probe.alert.number === COTURN_REFUSAL_ALERTS.handshakeFailure) {
    return fail(
      id,
      refused,
      `${peer}'s coturn refused the handshake: DTLS 1.2 with an ECDHE cipher is required, and our certificate must reach it (check our coturn key matches the certificate)`,
    );
  }
  return fail(id, refused, `${peer}'s coturn refused our certificate: ask its operator for its coturn log line (federation_cert_verify)`);
}

/** Whether `cert` has an extended key usage extension that lacks `oid` (and anyExtendedKeyUsage). */
function lacksUsage(cert: X509Certificate, oid: string): boolean {
  const usages = cert.keyUsage as string[] | undefined;
  return usages !== undefined && !usages.includes(oid) && !usages.includes('2.5.29.37.0');
}

/** The CN of a distinguished name as Node renders it (`CN=x\nO=y`). */
export function commonName(name: string): string | undefined {
  return /(?:^|\n)CN=([^\n]*)/.exec(name)?.[1];
}

/** The names coturn matches against its whitelist: the DNS SANs, or the CN when the certificate has no SAN extension (federation.c). */
export function certificateNames(cert: X509Certificate): string[] {
  if (cert.subjectAltName !== undefined) return sanDnsNames(cert);
  const cn = commonName(cert.subject);
  return cn ? [cn] : [];
}

/**
 * coturn's `wildcard_hostcheck(hostname, pattern)` (hostcheck.c), in our words: `hostname` is a
 * whitelist host, `pattern` a certificate name that may hold one `*` in its first label. Without
 * a star: equal, case-insensitive, trailing dot ignored. With one: the pattern needs at least two
 * dots and as many as the host, must not start with `xn--`, the host must not be an IPv4
 * address, the labels after the first must be equal, and the star stands for at least one
 * character of the host's first label.
 */
export function coturnHostMatches(hostname: string, pattern: string): boolean {
  if (!hostname || !pattern) return false;
  const trim = (s: string): string => (s.endsWith('.') ? s.slice(0, -1) : s);
  const host = trim(hostname);
  const pat = trim(pattern);
  const firstLabel = (s: string): string => s.split('.')[0];
  const stars = (firstLabel(pat).match(/\*/g) ?? []).length;
  if (stars > 1) return false;
  if (stars === 0) return host.toLowerCase() === pat.toLowerCase();
  if (pat.indexOf('*') > firstLabel(pat).length) return false;
  if (host.includes('*')) return false;
  const dots = (s: string): number => s.split('.').length - 1;
  if (dots(pat) < 2 || dots(pat) !== dots(host)) return false;
  if (pat.toLowerCase().startsWith('xn--')) return false;
  if (dots(host) === 3 && /^[0-9]/.test(host)) return false;
  const hostLabel = firstLabel(host);
  const patLabel = firstLabel(pat);
  if (host.slice(hostLabel.length).toLowerCase() !== pat.slice(patLabel.length).toLowerCase()) return false;
  if (hostLabel.length < patLabel.length) return false;
  const [left, right] = patLabel.split('*');
  return hostLabel.toLowerCase().startsWith(left.toLowerCase()) && hostLabel.toLowerCase().endsWith(right.toLowerCase());
}

/** A whitelist entry of ours: the peer's coturn host and, optionally, the CN of the CA that must have issued its certificate. */
export interface WhitelistEntry {
  readonly host: string;
  readonly issuerCommonName?: string;
}

/**
 * `whitelist`: would OUR coturn accept the peer's certificate with the whitelist entry our
 * config writes for it? coturn's test (federation.c): a certificate name (DNS SANs, or the CN
 * without a SAN) matches the entry's host, and with an issuer, some certificate in the chain was
 * issued by a CA with that CN.
 */
export function checkWhitelistEntry(
  id: VerifyCheckId,
  leaf: X509Certificate,
  chain: readonly X509Certificate[],
  entry: WhitelistEntry,
  peer: string,
): CheckResult {
  const names = certificateNames(leaf);
  const written = entry.issuerCommonName ? `${entry.host},${entry.issuerCommonName}` : entry.host;
  const match = names.find((n) => coturnHostMatches(entry.host, n));
  if (!match) {
    return fail(
      id,
      `our whitelist entry "${written}" matches no name of ${peer}'s coturn certificate (${names.join(', ') || 'no names'}): our coturn will refuse ${peer}`,
      `set peers[].calling.coturnHost of ${peer} to the name in its coturn certificate, or ask its operator for a certificate for ${entry.host}`,
    );
  }
  if (entry.issuerCommonName) {
    const issuers = [leaf, ...chain].map((c) => commonName(c.issuer)).filter((cn): cn is string => cn !== undefined);
    if (!issuers.includes(entry.issuerCommonName)) {
      return fail(
        id,
        `our whitelist entry "${written}" names issuer CN "${entry.issuerCommonName}", but ${peer}'s coturn certificate chain has issuers ${issuers.map((i) => `"${i}"`).join(', ') || 'without CN'}: our coturn will refuse ${peer}`,
        `set peers[].calling.issuerCommonName of ${peer} to "${commonName(leaf.issuer) ?? ''}" (the CA that issues its coturn certificate), or leave it out to accept any CA we trust for ${peer}`,
      );
    }
  }
  return pass(
    id,
    `our whitelist entry "${written}" matches ${match}${entry.issuerCommonName ? ` issued under "${entry.issuerCommonName}"` : ''} (issuer "${oneLineName(leaf.issuer)}")`,
  );
}
