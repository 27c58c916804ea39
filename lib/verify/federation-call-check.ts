/**
 * Judges one federation call (`federation-call.ts`): the versions the other side speaks and
 * whether they meet ours, or why the call failed, said as the cause and the fix on the side that
 * must act. Pure: no network.
 *
 * Who answers what (wire-server):
 * - the peer's ingress (nginx-ingress-services' federator Ingress, `auth-tls-verify-client: on`;
 *   or wire-ingress' federator listener, which validates a certificate when one is presented)
 *   checks our client certificate against its client CAs and answers its own HTML error pages
 *   (400 "No required SSL certificate was sent" / "The SSL certificate error", 404 for an unknown
 *   host, 502/503/504 when the federator is unreachable). It passes the certificate to the
 *   federator URL-encoded in the `X-SSL-Certificate` header (a configuration snippet);
 * - the federator (services/federator: `Federator.ExternalServer`, `Federator.Validation`,
 *   `Federator.Discovery`, `Federator.Error.ServerError`) answers errors as JSON
 *   `{"code", "label", "message"}`: `federation-denied` (400, our domain is not in its remote
 *   list or its strategy is allowNone), `invalid-domain` (422, no SRV record for our domain),
 *   `discovery-failure` (400, DNS error looking it up), `authentication-failure` (403, none of the
 *   SRV targets of our domain is covered by our certificate), `invalid-endpoint` /
 *   `unknown-component` (403); brig/galley behind it may answer `federation-not-implemented` (422
 *   since late 2025, 500 before: the endpoint has no federated implementation); a missing or unparsable `X-SSL-Certificate` header is a plain-text
 *   400 from its HTTP framework; unknown paths are a 404 without body;
 * - its brig answers the call itself: `{"supported_versions": [...]}`.
 */
import { X509Certificate } from 'node:crypto';
import { sanDnsNames, validityProblem, validToDate, isoDay } from '../core/x509';
import { federatorSrvName, normalizeDnsName } from '../core/names';
import type { FederationCallResult } from './federation-call';
import { isTlsAlert } from './tls-connect';
import { firstChartWith, formatVersions, versionOverlap } from './federation-versions';
import { CheckResult, fail, inconclusive, pass } from './report';
import type { VerifyCheckId } from './checks';
import type { CallComponent, FederationCallDetails } from './checks/peer';

/** One side of the call. */
export interface CallParty {
  /** How messages name it: an environment name, or its backend domain. */
  readonly name: string;
  readonly domain: string;
  /**
   * Where its config lives (e.g. `stacks/environments/blue.ts`), named in fixes.
   * @default - fixes name the chart settings instead
   */
  readonly source?: string;
}

export type { CallComponent, FederationCallDetails } from './checks/peer';
export { FEDERATOR_REFUSAL_LABELS } from './checks/peer';

export interface JudgeCallOptions {
  readonly id: VerifyCheckId;
  /** The side that makes the call (presents its certificate). */
  readonly caller: CallParty;
  /** The side that answers. */
  readonly callee: CallParty;
  /** The leaf of the client certificate the caller presented, and where it came from. */
  readonly callerCertificate: X509Certificate;
  readonly callerCertificateOrigin: string;
  /**
   * The caller's federation API versions and where the list comes from (e.g. `chart 5.32.0`).
   * @default - none: the answer's versions are reported, not compared
   */
  readonly versions?: { readonly list: readonly number[]; readonly source: string };
  /**
   * When given, the callee's server certificate must verify against the CAs described here
   * (the caller's federator refuses it otherwise). @default - not judged here
   */
  readonly serverTrust?: string;
  /** "Now", for the certificate's validity. @default the current time */
  readonly now?: Date;
}

type Result = CheckResult & { readonly details: FederationCallDetails };

/** Removes control characters and shortens text received from the other side. */
export function sanitize(text: string, max = 200): string {
  const clean = text
    // eslint-disable-next-line no-control-regex -- control characters are what it removes
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** The names the federator matches against: SAN DNS names, or the subject CN when there is no SAN. */
export function certificateNames(cert: X509Certificate): string[] {
  const san = sanDnsNames(cert);
  if (san.length > 0) return san;
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1];
  return cn ? [normalizeDnsName(cn)] : [];
}

/** Judges the call. */
export function judgeFederationCall(result: FederationCallResult, options: JudgeCallOptions): CheckResult<FederationCallDetails> {
  const verdict = judgeAnswer(result, options);
  if (!options.serverTrust || verdict.status !== 'pass' || result.authorized !== false) return verdict;
  const { caller, callee } = options;
  return fail(
    options.id,
    `${verdict.message}; but ${caller.name}'s federator would refuse ${callee.name}'s server certificate: it does not verify against ${options.serverTrust} (${result.authorizationError ?? 'unknown reason'})`,
    `${caller.name} must trust the CA that signed ${callee.name}'s federator certificate: add it to the caCertificates of peer ${callee.domain}${caller.source ? ` in ${caller.source}` : ''} (federator.remoteCAContents)`,
  );
}

function judgeAnswer(result: FederationCallResult, options: JudgeCallOptions): Result {
  const { id, callee } = options;
  const ours = options.versions?.list;
  const out = (status: 'pass' | 'fail', message: string, hint: string | undefined, details: Omit<FederationCallDetails, 'ourVersions'>): Result => ({
    ...(status === 'pass' ? pass(id, message) : fail(id, message, hint)),
    details: { ...details, ...(ours !== undefined ? { ourVersions: ours } : {}) },
  });

  if (result.timedOut === 'handshake') {
    return inconclusive(
      out(
        'fail',
        `no TLS handshake with ${callee.name}'s ingress (${result.endpoint}) within ${result.timeoutMs} ms`,
        `is ${callee.name}'s federator ingress reachable from here on that port (firewall, load balancer)? Raise --timeout for slow links`,
        { component: 'network', side: 'callee' },
      ),
    );
  }
  if (result.timedOut === 'response') {
    return inconclusive(
      out(
        'fail',
        `TLS handshake with ${result.endpoint}, but no answer to the federation call within ${result.timeoutMs} ms`,
        `${callee.name}'s ingress or federator hangs: check its federator pod (and brig, which answers the call); raise --timeout for slow links`,
        { component: 'federator', side: 'callee' },
      ),
    );
  }
  const r = result.response;
  if (!r) return connectionFailure(result, options, out);
  const ingress = r.server ? `${callee.name}'s ingress (${sanitize(r.server, 40)})` : `${callee.name}'s ingress`;

  if (r.contentType === 'text/html' || /^\s*<(!doctype|html)/i.test(r.body)) return htmlPage(r.status, r.body, ingress, options, out);

  const json = parseJson(r.body);
  if (r.status >= 200 && r.status < 300) {
    if (json === undefined || typeof json !== 'object' || json === null || Array.isArray(json)) {
      return out(
        'fail',
        `${callee.name} answered HTTP ${r.status} to the federation call, but not with a JSON version list (${describeBody(r)})`,
        `something between us and ${callee.name}'s federator answers in its place: the SRV record of ${callee.domain} must point at the federator ingress`,
        { component: 'ingress', side: 'callee', httpStatus: r.status },
      );
    }
    return versions(json as Record<string, unknown>, r.status, options, out);
  }
  if (json && typeof json === 'object' && !Array.isArray(json) && typeof (json as { label?: unknown }).label === 'string') {
    const e = json as { label: string; message?: unknown };
    return refusal(r.status, e.label, typeof e.message === 'string' ? e.message : '', options, out);
  }
  return plainAnswer(r.status, r.body, r.contentType, options, out);
}

type Out = (status: 'pass' | 'fail', message: string, hint: string | undefined, details: Omit<FederationCallDetails, 'ourVersions'>) => Result;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describeBody(r: { contentType?: string; body: string }): string {
  const type = r.contentType ? `${r.contentType}, ` : '';
  return r.body.trim() === '' ? `${type}empty body` : `${type}"${sanitize(r.body, 120)}"`;
}

function connectionFailure(result: FederationCallResult, options: JudgeCallOptions, out: Out): Result {
  const { caller, callee } = options;
  const e = result.error;
  if (!e) {
    return out('fail', `${result.endpoint} closed the connection without answering the federation call`, `check ${callee.name}'s federator ingress`, {
      component: 'ingress',
      side: 'callee',
    });
  }
  if (isTlsAlert(e.code)) {
    const alert = /alert ([a-z ]+)/i.exec(e.message)?.[1]?.trim() ?? e.code;
    const certificateRefused =
      /unknown ca|bad certificate|certificate required|certificate unknown|unsupported certificate|certificate expired|access denied|decrypt error/i.test(
        alert,
      );
    if (certificateRefused) {
      return out(
        'fail',
        `${callee.name}'s ingress refused our client certificate in the TLS handshake (${result.endpoint}): alert "${alert}"`,
        untrustedClientHint(options),
        { component: 'tls', side: 'callee' },
      );
    }
    return out(
      'fail',
      `TLS with ${callee.name}'s ingress (${result.endpoint}) failed: ${sanitize(e.message, 160)} (${e.code})`,
      `TLS versions or ciphers do not match: ${caller.name}'s federator speaks TLS 1.2 or later`,
      { component: 'tls', side: 'callee' },
    );
  }
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused (nothing listens on that port)',
    ECONNRESET: 'connection reset',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ETIMEDOUT: 'connection timed out',
    EPIPE: 'connection closed',
    ECLOSED: 'the connection was closed without an answer',
  };
  const what = known[e.code] ?? `${sanitize(e.message, 160)} (${e.code})`;
  if (e.afterHandshake) {
    return out(
      'fail',
      `${callee.name}'s ingress (${result.endpoint}) dropped the federation call after the TLS handshake: ${what}`,
      untrustedClientHint(options),
      { component: 'ingress', side: 'callee' },
    );
  }
  return out(
    'fail',
    `cannot connect to ${callee.name}'s ingress (${result.endpoint}): ${what}`,
    `is ${callee.name}'s federator ingress running and reachable from here on that address and port?`,
    { component: 'network', side: 'callee' },
  );
}

/** The fix when the callee's ingress does not accept the caller's certificate. */
function untrustedClientHint(options: JudgeCallOptions): string {
  const { caller, callee } = options;
  const expired = validityProblem(options.callerCertificate, options.now ?? new Date());
  if (expired === 'expired') {
    return `${caller.name}'s certificate (${options.callerCertificateOrigin}) expired on ${isoDay(validToDate(options.callerCertificate))}: renew it on ${caller.name}`;
  }
  return `${caller.name}'s certificate is not trusted by ${callee.name}'s ingress: on ${callee.name}, add ${caller.name}'s CA (its ca_certificate_pem) to the caCertificates of peer ${caller.domain}${callee.source ? ` in ${callee.source}` : ''} (nginx-ingress-services secrets.tlsClientCA; with wire-ingress, wire-server federator.remoteCAContents, the federator-ca ConfigMap); with intermediates and nginx-ingress-services, federation.verifyDepth (tls.verify_depth) must cover the chain`;
}

function htmlPage(status: number, body: string, ingress: string, options: JudgeCallOptions, out: Out): Result {
  const { caller, callee } = options;
  const title = sanitize(/<title>([^<]*)<\/title>/i.exec(body)?.[1] ?? '', 120);
  const page = `HTTP ${status}${title ? ` "${title}"` : ''}`;
  const details = { component: 'ingress' as const, side: 'callee' as const, httpStatus: status };
  if (/No required SSL certificate was sent/i.test(body) || status === 496) {
    return out(
      'fail',
      `${ingress} answered ${page}: it received no client certificate, though ${caller.name} sent one`,
      `a TLS-terminating proxy or CDN in front of ${callee.name}'s ingress drops client certificates: on ${callee.name}, serve the federator host without proxying (DNS only) so TLS ends at the federator ingress`,
      details,
    );
  }
  if (/SSL certificate error/i.test(body) || status === 495) {
    return out('fail', `${ingress} answered ${page}: it does not accept ${caller.name}'s client certificate`, untrustedClientHint(options), details);
  }
  if (status === 404) {
    return out(
      'fail',
      `${ingress} answered ${page}: it has no federator route for this host`,
      `on ${callee.name}: the federator ingress must serve the SRV target of ${callee.domain} (config.dns.federator and federator.enabled of nginx-ingress-services or wire-ingress; wire-ingress also needs its EnvoyPatchPolicy for the name with a trailing dot)`,
      details,
    );
  }
  if (status === 502 || status === 503) {
    return out(
      'fail',
      `${ingress} answered ${page}: it cannot reach ${callee.name}'s federator`,
      `on ${callee.name}: check that the federator pod is running and its service (port federator-ext) has endpoints`,
      details,
    );
  }
  if (status === 504) {
    return out(
      'fail',
      `${ingress} answered ${page}: ${callee.name}'s federator did not answer the ingress in time`,
      `on ${callee.name}: check the federator and brig pods (brig answers the version call)`,
      details,
    );
  }
  return out(
    'fail',
    `${ingress} answered ${page} with an HTML error page, not the federator's JSON`,
    `something in front of ${callee.name}'s federator answers in its place (ingress, proxy, load balancer): on ${callee.name}, check the federator ingress`,
    details,
  );
}

function plainAnswer(status: number, body: string, contentType: string | undefined, options: JudgeCallOptions, out: Out): Result {
  const { caller, callee } = options;
  const answered = `${callee.name}'s federator answered HTTP ${status} (${describeBody({ contentType, body })})`;
  if (status === 400 && /X-SSL-Certificate/i.test(body)) {
    return out(
      'fail',
      answered,
      `${callee.name}'s ingress does not pass the client certificate to its federator: on ${callee.name}, the federator ingress must set the header X-SSL-Certificate to the verified client certificate (nginx-ingress-services does it with a configuration snippet, which the ingress-nginx controller must allow: allow-snippet-annotations; wire-ingress with its EnvoyExtensionPolicy)`,
      { component: 'federator', side: 'callee', httpStatus: status },
    );
  }
  if (status === 400 && /Wire-Origin-Domain/i.test(body)) {
    return out('fail', answered, `${callee.name}'s federator does not accept "${caller.domain}" as origin domain: check ${caller.name}'s backend domain`, {
      component: 'federator',
      side: 'caller',
      httpStatus: status,
    });
  }
  if (status === 404) {
    return out(
      'fail',
      `${callee.name}'s federator answered HTTP 404 (${describeBody({ contentType, body })}): it does not know POST /federation/brig/api-version`,
      `${callee.name} runs a wire-server without federation API version negotiation (before chart 4.40.0), or a proxy changes the path: on ${callee.name}, upgrade wire-server`,
      { component: 'federator', side: 'callee', httpStatus: status },
    );
  }
  return out('fail', `${answered}, not the federator's JSON`, `check ${callee.name}'s federator ingress and federator`, {
    component: status >= 500 ? 'ingress' : 'federator',
    side: 'callee',
    httpStatus: status,
  });
}

function refusal(status: number, label: string, message: string, options: JudgeCallOptions, out: Out): Result {
  const { caller, callee } = options;
  const safeLabel = sanitize(label, 60);
  const refused = `${callee.name}'s federator refused the call: HTTP ${status} ${safeLabel}${message ? ` ("${sanitize(message)}")` : ''}`;
  const srv = federatorSrvName(caller.domain);
  const details = (side: 'caller' | 'callee', component: CallComponent = 'federator') => ({ component, side, httpStatus: status, label: safeLabel });
  switch (label) {
    case 'federation-denied':
      return out(
        'fail',
        refused,
        `${callee.name} does not list ${caller.name} in its remotes (or its federation strategy is allowNone): add ${caller.domain} to ${callee.name}'s peers${callee.source ? ` in ${callee.source}` : " (brig's federation remotes, strategy allowDynamic)"} and deploy ${callee.name}`,
        details('callee'),
      );
    case 'authentication-failure': {
      const resolved = [...message.matchAll(/NameMismatch "([^"]*)"/g)].map((m) => sanitize(m[1], 100));
      const names = certificateNames(options.callerCertificate);
      const to = resolved.length > 0 ? [...new Set(resolved)].join(', ') : 'a name';
      return out(
        'fail',
        refused,
        `${callee.name} resolved ${caller.name}'s SRV record (${srv}) to ${to}, but ${caller.name}'s certificate (${options.callerCertificateOrigin}) covers ${names.length > 0 ? names.join(', ') : 'no DNS name'}: on ${caller.name}, issue the federator certificate for ${resolved[0] ?? 'the SRV target'} (or a wildcard that covers it), or point the SRV record at a name the certificate covers`,
        details('caller'),
      );
    }
    case 'invalid-domain':
      return out(
        'fail',
        refused,
        `${callee.name} found no SRV record ${srv}: on ${caller.name}, publish it (cdktf deploy does); if it resolves from here, ${callee.name}'s DNS resolver still caches its absence (wait for the negative TTL) or sees another DNS view`,
        details('caller'),
      );
    case 'discovery-failure':
      return out(
        'fail',
        refused,
        `${callee.name}'s DNS lookup of ${srv} failed with a DNS error: check that ${caller.name}'s DNS servers answer for it from outside (dig SRV ${srv} @<authoritative server>), and ${callee.name}'s resolver`,
        details('caller'),
      );
    case 'no-client-certificate':
    case 'certificate-parse-error':
      return out(
        'fail',
        refused,
        `${callee.name}'s ingress does not pass ${caller.name}'s client certificate to its federator (header X-SSL-Certificate): on ${callee.name}, use the federator ingress of nginx-ingress-services (its configuration snippet needs allow-snippet-annotations in ingress-nginx) or of wire-ingress (its EnvoyExtensionPolicy)`,
        details('callee'),
      );
    case 'domain-parse-error':
      return out('fail', refused, `${callee.name} cannot parse ${caller.name}'s backend domain "${caller.domain}"`, details('caller'));
    case 'invalid-endpoint':
    case 'unknown-component':
      return out(
        'fail',
        refused,
        `${callee.name}'s federator does not accept POST /federation/brig/api-version: a proxy in front of it changes the method or path, or its wire-server is too old; on ${callee.name}, check the ingress`,
        details('callee'),
      );
    case 'federation-not-implemented':
      // brig/galley (libs/wire-api-federation, Wire.API.Federation.Error: federationNotImplemented,
      // "Federation is not yet implemented for this endpoint"; HTTP 422 since late 2025, 500 before).
      return out(
        'fail',
        refused,
        `${callee.name}'s federator passed the call on, and its backend answered that it does not implement federation for this endpoint (HTTP 422 from wire-server releases since late 2025, 500 before): the connection, certificates and remotes work; the two wire-server releases differ in what they federate. Compare both backends' wire-server chart versions and upgrade the older one`,
        details('callee', 'brig'),
      );
    default:
      return out('fail', refused, `an error of ${callee.name}'s backend: its operator finds the cause in the federator and brig logs`, details('callee'));
  }
}

function versions(json: Record<string, unknown>, status: number, options: JudgeCallOptions, out: Out): Result {
  const { caller, callee } = options;
  const raw = json.supported_versions;
  if (raw !== undefined && !(Array.isArray(raw) && raw.every((v) => Number.isInteger(v)))) {
    return out(
      'fail',
      `${callee.name} answered HTTP ${status}, but supported_versions is not a list of version numbers (${sanitize(JSON.stringify(raw), 80)})`,
      `an incompatible ${callee.name} backend: check its wire-server version`,
      { component: 'brig', side: 'callee', httpStatus: status },
    );
  }
  // No supported_versions: a backend from before versioning, version 0 only (as the federator reads it).
  const theirs = raw === undefined ? [0] : [...new Set(raw as number[])].sort((a, b) => a - b);
  const legacy = raw === undefined ? ' (no supported_versions: a backend from before versioning)' : '';
  if (options.versions === undefined) {
    return out('pass', `${callee.name}'s federator accepted ${caller.name}: federation API versions ${formatVersions(theirs)}${legacy}`, undefined, {
      component: 'brig',
      httpStatus: status,
      versions: theirs,
    });
  }
  const ours = options.versions.list;
  const overlap = versionOverlap(ours, theirs);
  const ourText = `ours: ${formatVersions(ours)} from ${options.versions.source}`;
  if (overlap.kind === 'common') {
    return out(
      'pass',
      `${callee.name}'s federator accepted ${caller.name}: federation API versions ${formatVersions(theirs)}${legacy}; ${ourText}; common: ${formatVersions(overlap.common)} (highest ${overlap.highest})`,
      undefined,
      { component: 'brig', httpStatus: status, versions: theirs, commonVersions: overlap.common },
    );
  }
  const [older, newer, newerVersions] = overlap.older === 'theirs' ? [callee, caller, ours] : [caller, callee, theirs];
  const needed = Math.min(...newerVersions);
  const chart = firstChartWith(needed);
  return out(
    'fail',
    `${callee.name}'s federator accepted ${caller.name}, but they share no federation API version: ${callee.name} speaks ${formatVersions(theirs)}${legacy}, ${ourText}`,
    `${older.name} is too old for ${newer.name}: upgrade ${older.name}'s wire-server to a release that speaks version ${needed}${chart ? ` (chart ${chart} or later)` : ''}`,
    { component: 'brig', side: overlap.older === 'theirs' ? 'callee' : 'caller', httpStatus: status, versions: theirs, commonVersions: [] },
  );
}
