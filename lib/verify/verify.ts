/**
 * `wire-federation verify`: checks a deployed backend against its config, the way the Wire
 * federation docs check it by hand (DNS, federator certificate, mutual TLS, peers).
 * Plain Node: no cdktf import.
 */
import { X509Certificate } from 'node:crypto';
import * as tls from 'node:tls';
import type { PeerConfig, WireFederationConfig } from '../config';
import { checkAddresses, checkSrv, preferredSrv, formatSrv } from './dns-checks';
import { federatorSrvName, normalizeDnsName } from '../core/names';
import { DnsLookupOptions, LookupResult, describeNone, lookupAddresses, lookupSrv } from './dns-lookup';
import { CheckResult, SkippedCheck, VerifyReport, fail, inconclusive, pass, warn } from './report';
import { chainToAnchor, isoDay, validToDate, validityProblem } from '../core/x509';
import { PeerCheckName, VerifyCheckId, checksNeeding, peerCheckId } from './checks';
import { REMOTE, RemoteDetails } from './checks/peer';
import { TrustAnchors, checkChain, checkConnect, checkExpiry, checkKey, checkSan, checkUsages, classifyAccess, leafOf, systemTrustAnchors } from './tls-checks';
import { TlsProbeResult, probeTls } from './tls-probe';
import { reachedTlsServer } from './tls-connect';
import { ingressChart } from '../ingress/registry';
import { callFederator } from './federation-call';
import { judgeFederationCall } from './federation-call-check';
import { federationVersionsOfChart } from './federation-versions';
import { describeRestriction, restrictionOf } from '../remotes/desired-remotes';
import { callingTargets, verifyOwnCoturn, verifyPeerCoturn } from './calling-checks';
import { DNS_SERVER_HINT, PEER_CHAIN_HINT, peerSrvHint, peerTrustsUsHint, renewOwnCertificateHint, renewPeerCertificateHint } from './hints';

/** PEM certificates and where they came from (a file name, for messages). */
export interface PemSource {
  readonly pems: readonly string[];
  readonly origin: string;
}

/** A client certificate (PEM, may include intermediates) and its private key. */
export interface ClientCertificate {
  readonly cert: string;
  readonly key: string;
  readonly origin: string;
}

export interface VerifyOptions {
  readonly config: WireFederationConfig;
  /** `ip[:port]` of the DNS server every lookup goes to; undefined = the system's servers. */
  readonly dnsServer?: string;
  /** Per check (each lookup, each TLS connection). */
  readonly timeoutMs: number;
  /** CA(s) that must have signed our federator certificate; undefined = the system store. */
  readonly ca?: PemSource;
  /** Our federator certificate, presented as client certificate (mTLS checks, peers). */
  readonly clientCertificate?: ClientCertificate;
  /** Also check every configured peer. */
  readonly peers?: boolean;
  /** CA(s) per peer domain, for peers whose CA is another environment's Terraform output. */
  readonly peerCas?: ReadonlyMap<string, PemSource>;
  /**
   * Our federation API versions, compared with what each peer answers to the federation call.
   * @default - the versions of the configured wire-server chart version
   */
  readonly federationVersions?: readonly number[];
  /** "Now" for expiry checks. @default the current time */
  readonly now?: Date;
  /**
   * Our coturn's DTLS certificate and key (with `calling.enabled`): presented to each peer's
   * coturn. @default - not presented (the peers' `calling.accepts-us` is a warning)
   */
  readonly coturnCertificate?: ClientCertificate;
  /** The openssl program of the DTLS checks. @default - $WIRE_FEDERATION_OPENSSL, else `openssl` */
  readonly openssl?: string;
}

/** Our federation API versions and where they come from. */
export function ourFederationVersions(config: WireFederationConfig, given?: readonly number[]): { list: readonly number[]; source: string } {
  if (given) return { list: given, source: '--federation-versions' };
  const chart = config.charts.wireServer.version;
  return { list: federationVersionsOfChart(chart) ?? [0], source: `wire-server chart ${chart}` };
}

export { leafOf } from './tls-checks';

/** The checks of one part of a run (our backend, or one peer). */
export interface VerifyPart {
  readonly checks: CheckResult[];
  readonly skipped: SkippedCheck[];
}
/** The checks of one part of a run (the name {@link verifyPeerEndpoint} returns). */
export type Results = VerifyPart;

const skip = (results: Results, ids: readonly string[], reason: string): void => {
  for (const id of ids) results.skipped.push({ id, reason });
};

const dnsOf = (options: VerifyOptions): DnsLookupOptions => ({ server: options.dnsServer, timeoutMs: options.timeoutMs });

/**
 * The checks of our own backend (DNS, federator certificate, mutual TLS), as
 * {@link verifyFederation} runs them. Never throws for what it finds.
 */
export function verifyOwnChecks(options: VerifyOptions): Promise<VerifyPart> {
  return verifyOwn(options, dnsOf(options), options.now ?? new Date());
}

/**
 * The checks of one configured peer (ids `peer[<domain>].…`), as {@link verifyFederation} runs
 * them with `peers`. Never throws for what it finds.
 */
export function verifyPeerChecks(peer: PeerConfig, options: VerifyOptions): Promise<VerifyPart> {
  return verifyPeer(peer, options, dnsOf(options), options.now ?? new Date());
}

/** Runs every check and returns the report. Never throws for what it finds. */
export async function verifyFederation(options: VerifyOptions): Promise<VerifyReport> {
  const { config } = options;
  const now = options.now ?? new Date();
  const dns = dnsOf(options);
  const peerResults = options.peers ? Promise.all(config.peers.map((peer) => verifyPeer(peer, options, dns, now))) : Promise.resolve([]);
  const own = await verifyOwn(options, dns, now);
  return assembleReport(config, own, await peerResults, options.peers ?? false);
}

/** The report of a run from its parts: our backend first, then the peers in config order. */
export function assembleReport(config: WireFederationConfig, own: VerifyPart, peers: readonly VerifyPart[], peersRequested: boolean): VerifyReport {
  const checks = [...own.checks];
  const skipped = [...own.skipped];
  if (peersRequested && config.peers.length === 0) {
    checks.push(warn('peers', '--peers given, but the config lists no peers', 'add peers to the config'));
  }
  for (const r of peers) {
    checks.push(...r.checks);
    skipped.push(...r.skipped);
  }
  return { environment: config.environment, backendDomain: config.backendDomain, federatorDomain: config.federatorDomain, checks, skipped };
}

/** Our backend: federator checks, and with `calling.enabled` our coturn's DTLS listener. */
async function verifyOwn(options: VerifyOptions, dns: DnsLookupOptions, now: Date): Promise<Results> {
  const calling = callingTargets(options.config);
  const [backend, coturn] = await Promise.all([
    verifyOwnBackend(options, dns, now),
    calling
      ? verifyOwnCoturn(
          calling.own,
          options.ca
            ? { pems: options.ca.pems, anchors: { description: `--ca ${options.ca.origin}`, certificates: options.ca.pems.map((p) => new X509Certificate(p)) } }
            : { anchors: systemTrustAnchors() },
          { timeoutMs: options.timeoutMs, now, ...(options.openssl ? { openssl: options.openssl } : {}) },
        )
      : undefined,
  ]);
  return coturn ? { checks: [...backend.checks, ...coturn.checks], skipped: [...backend.skipped, ...coturn.skipped] } : backend;
}

async function verifyOwnBackend(options: VerifyOptions, dns: DnsLookupOptions, now: Date): Promise<Results> {
  const { config } = options;
  const fed = config.federatorDomain;
  const ingress = ingressChart(config.ingress.chart);
  const results: Results = { checks: [], skipped: [] };
  const [srvResult, aResult, aaaaResult] = await Promise.all([
    lookupSrv(federatorSrvName(config.backendDomain), dns),
    lookupAddresses(fed, 4, dns),
    lookupAddresses(fed, 6, dns),
  ]);
  const srv = checkSrv(srvResult, { backendDomain: config.backendDomain, federatorDomain: fed, ...config.dns.srv });
  results.checks.push(...srv.checks);
  results.checks.push(checkAddresses(aResult, 4, fed, config.ingress.ipv4));
  results.checks.push(checkAddresses(aaaaResult, 6, fed, config.ingress.ipv6));

  // The checks of the TLS connection, of the certificate it gives, of a connection that reached a TLS server (the registry's `needs`).
  const tlsIds = checksNeeding('own', 'address');
  // Connect where peers would (the SRV target and port); without a usable SRV record, to the
  // configured federator domain and port, so the certificate can still be checked.
  const host = srv.record ? normalizeDnsName(srv.record.name) : fed;
  const port = srv.record ? srv.record.port : config.dns.srv.port;
  const { addresses, error } = host === fed ? addressesOf(aResult, aaaaResult) : await resolveHost(host, dns);
  if (addresses.length === 0) {
    if (error) {
      // No verdict: the DNS server did not answer, which says nothing about the ingress.
      results.checks.push(
        inconclusive(fail('tls.connect', `cannot connect: the address lookup of ${host} failed: ${error.message} (${error.code})`, DNS_SERVER_HINT)),
      );
      skip(
        results,
        tlsIds.filter((i) => i !== 'tls.connect'),
        `the address lookup of ${host} failed`,
      );
    } else {
      skip(results, tlsIds, `DNS gave no address for ${host}`);
    }
    return results;
  }
  const address = addresses[0];
  const endpoint = `${host}:${port} at ${address}`;
  const ca = options.ca?.pems;
  const client = options.clientCertificate;
  const [bare, withClient] = await Promise.all([
    probeTls({ address, port, servername: fed, ca, timeoutMs: options.timeoutMs }),
    client ? probeTls({ address, port, servername: fed, ca, clientCertificate: client, timeoutMs: options.timeoutMs }) : undefined,
  ]);
  const inspected = bare.peerCertificate ? bare : withClient?.peerCertificate ? withClient : undefined;
  results.checks.push(checkConnect('tls.connect', inspected ?? bare, endpoint, options.timeoutMs, withClient !== undefined));

  if (inspected?.peerCertificate) {
    const cert = inspected.peerCertificate;
    const anchors: TrustAnchors = options.ca
      ? { description: `--ca ${options.ca.origin}`, certificates: options.ca.pems.map((p) => new X509Certificate(p)) }
      : systemTrustAnchors();
    results.checks.push(
      checkSan(
        'tls.san',
        cert,
        fed,
        `issue the federator certificate for ${fed} (${ingress.federatorHostSetting}) and check that the ingress serves it for this host`,
      ),
      checkExpiry(
        'tls.expiry',
        cert,
        now,
        renewOwnCertificateHint(ingress.federatorSecret(config.pki.mode === 'cert-manager' ? 'cert-manager' : 'secret').name),
      ),
      checkUsages('tls.eku', cert),
      checkKey('tls.key', cert),
      checkChain(
        'tls.chain',
        inspected,
        anchors,
        now,
        options.ca
          ? `the ingress serves a certificate from another CA than ${options.ca.origin}: check that --ca is this environment's CA (stack output ca_certificate_pem) and that the ingress serves ${ingress.federatorSecret(config.pki.mode === 'cert-manager' ? 'cert-manager' : 'secret').name}`
          : 'a private CA is not in the system store: pass it with --ca <file> (stack output ca_certificate_pem); with a public CA, serve the full chain (certificate and intermediates)',
      ),
    );
  } else {
    skip(results, checksNeeding('own', 'certificate'), 'no TLS handshake, so no certificate to inspect');
  }

  const reachedServer = reachedTlsServer(bare) || withClient?.handshake;
  if (!reachedServer) {
    skip(results, checksNeeding('own', 'connection'), 'no TLS connection (see tls.connect)');
    return results;
  }
  results.checks.push(checkClientRequired(bare, ingress.clientCertificateRequirement, ingress.clientCertificateOptionalAtTls === true));
  results.checks.push(
    withClient
      ? checkAccepted(
          'mtls.client',
          withClient,
          `${host} accepts our client certificate (${client?.origin})`,
          `${host} refused our client certificate (${client?.origin})`,
          `the ingress verifies client certificates against ${ingress.clientCaSource}${ingress.paths.verifyDepth ? ' (chain depth federation.verifyDepth)' : ''}: the CA of this certificate must be in it`,
        )
      : warn(
          'mtls.client',
          'not checked: no client certificate given',
          "pass --client-cert and --client-key (this backend's federator certificate and key) to check that the ingress accepts them",
        ),
  );
  return results;
}

function checkClientRequired(probe: TlsProbeResult, requirement: string, optionalAtTls: boolean): CheckResult {
  const access = classifyAccess(probe);
  switch (access.verdict) {
    case 'refused':
      return pass('mtls.required', `refuses clients without a certificate (${access.reason})`);
    case 'accepted':
      // wire-ingress validates a client certificate when one is presented and lets the
      // federator refuse federation requests without one (its X-SSL-Certificate header is
      // required); a plain GET / cannot tell that apart from an open ingress.
      if (optionalAtTls) {
        return warn(
          'mtls.required',
          `answered a request without a client certificate (${access.reason}): expected with this ingress, whose listener accepts connections without one`,
          `not checkable from outside: ${requirement}; check that nothing but the federator serves this host`,
        );
      }
      return fail(
        'mtls.required',
        `accepted a request without a client certificate (${access.reason})`,
        `the federator ingress must require client certificates (${requirement}); a CDN or TLS-terminating proxy in front of the ingress also does this`,
      );
    case 'unreachable': {
      const result = fail('mtls.required', `could not connect without a client certificate: ${access.reason}`);
      return probe.timedOut ? inconclusive(result) : result;
    }
    case 'unknown':
      return inconclusive(warn('mtls.required', `could not tell whether a client certificate is required: ${access.reason}`, 'raise --timeout'));
  }
}

function checkAccepted(id: VerifyCheckId, probe: TlsProbeResult, accepted: string, refused: string, hint: string): CheckResult {
  const access = classifyAccess(probe);
  switch (access.verdict) {
    case 'accepted':
      return pass(id, `${accepted}: ${access.reason}`);
    case 'refused':
      return fail(id, `${refused}: ${access.reason}`, hint);
    case 'unreachable': {
      const result = fail(id, `could not connect with the client certificate: ${access.reason}`);
      return probe.timedOut ? inconclusive(result) : result;
    }
    case 'unknown':
      return inconclusive(warn(id, `could not tell whether the client certificate is accepted: ${access.reason}`, 'raise --timeout'));
  }
}

/**
 * What brig is configured to allow for this remote, in the words of the sync Job and adopt
 * (verify reads the config, not brig's database).
 */
function remoteCheck(peer: PeerConfig): CheckResult<RemoteDetails> {
  const restriction = restrictionOf(peer.allowedTeams);
  return {
    ...pass(peerCheckId(peer.domain, REMOTE.id), `configured remote: search_policy ${peer.searchPolicy}, ${describeRestriction(peer.domain, restriction)}`),
    details: { search_policy: peer.searchPolicy, restriction },
  };
}

/** One configured peer: the configured remote, then its endpoint as our federator meets it. */
async function verifyPeer(peer: PeerConfig, options: VerifyOptions, dns: DnsLookupOptions, now: Date): Promise<Results> {
  const trust = peerTrust(peer, options);
  const calling = callingTargets(options.config);
  const coturn = calling?.peers.find((p) => p.domain === peer.domain);
  const [endpoint, call] = await Promise.all([
    verifyPeerEndpoint(peer, {
      originDomain: options.config.backendDomain,
      trust,
      clientCertificate: options.clientCertificate,
      versions: ourFederationVersions(options.config, options.federationVersions),
      dns,
      now,
    }),
    calling && coturn
      ? verifyPeerCoturn(
          coturn,
          { trust, ourHost: calling.own.host, ...(options.coturnCertificate ? { credentials: options.coturnCertificate } : {}) },
          { timeoutMs: options.timeoutMs, now, ...(options.openssl ? { openssl: options.openssl } : {}) },
        )
      : undefined,
  ]);
  return { checks: [remoteCheck(peer), ...endpoint.checks, ...(call?.checks ?? [])], skipped: [...endpoint.skipped, ...(call?.skipped ?? [])] };
}

/** How {@link verifyPeerEndpoint} checks one peer. */
export interface PeerCheckContext {
  /** Our backend domain (the federation call's origin). Needed with `clientCertificate`. */
  readonly originDomain?: string;
  /** The CAs the peer's server certificate must chain to. */
  readonly trust: PeerTrust;
  /** Our federator certificate: presented to the peer, and used for the federation call. */
  readonly clientCertificate?: ClientCertificate;
  /**
   * Our federation API versions (compared with the peer's answer).
   * @default - none: the answer's versions are reported, not compared
   */
  readonly versions?: { readonly list: readonly number[]; readonly source: string };
  readonly dns: DnsLookupOptions;
  readonly now: Date;
  /**
   * What the SRV record must point to, and who says so (e.g. `the card`): adds the checks
   * `srv.target` and `srv.port`. @default - any usable SRV record passes
   */
  readonly expectedSrv?: { readonly target: string; readonly port: number; readonly source: string; readonly hint: string };
  /**
   * The deepest chain (certificates from the server certificate up to the trusted CA; 1: signed
   * by it) the peer's certificate may have, and who says so: adds the check `chain.depth`.
   * @default - not checked
   */
  readonly expectedChainDepth?: { readonly depth: number; readonly source: string; readonly hint: string };
}

/**
 * The checks of one peer's federator as our federator meets it: SRV record, TLS, server
 * certificate (SAN, expiry, chain to the CAs we trust for it), whether it accepts our client
 * certificate, and the federation call. Ids are `peer[<domain>].<check>`. Never throws for
 * what it finds.
 */
export async function verifyPeerEndpoint(peer: Pick<PeerConfig, 'domain'>, context: PeerCheckContext): Promise<Results> {
  const d = peer.domain;
  const { dns, now } = context;
  const id = (check: PeerCheckName): VerifyCheckId => peerCheckId(d, check);
  // Everything after the SRV record: the checks that need the TLS connection (the registry's `needs`).
  const later = checksNeeding('peer', 'address').map((c) => `peer[${d}].${c}`);
  const results: Results = { checks: [], skipped: [] };
  const name = federatorSrvName(d);
  const srv = await lookupSrv(name, dns);
  if (srv.kind !== 'records') {
    const failed = fail(
      id('srv'),
      srv.kind === 'none' ? `no SRV record ${name}: ${describeNone(srv.reason, 'SRV')}` : `SRV lookup of ${name} failed: ${srv.message} (${srv.code})`,
      srv.kind === 'none' ? peerSrvHint(d) : DNS_SERVER_HINT,
    );
    results.checks.push(srv.kind === 'error' ? inconclusive(failed) : failed);
    skip(results, later, "the peer's SRV record did not resolve");
    return results;
  }
  const record = preferredSrv(srv.records);
  if (!record) {
    results.checks.push(
      fail(id('srv'), `${name} → ${srv.records.map(formatSrv).join(', ')}: no usable record`, `the target is ".": ${d} does not offer federation`),
    );
    skip(results, later, "the peer's SRV record is not usable");
    return results;
  }
  // Weight 0 still works: the federator takes the first SRV answer and does not order by weight
  // (wire-server services/federator/src/Federator/Discovery.hs). Worth a word to the peer only.
  if (record.weight === 0) {
    results.checks.push(
      warn(
        id('srv.weight'),
        `${name} → ${formatSrv(record)}: weight 0`,
        `the federator ignores SRV weights today, but RFC 2782 ranks a weight-0 record last: ask the operator of ${d} to set weight > 0`,
      ),
    );
  }
  const target = normalizeDnsName(record.name);
  const { addresses, error } = await resolveHost(target, dns);
  if (addresses.length === 0) {
    if (error) {
      // A DNS outage is not a missing record: no verdict.
      results.checks.push(
        inconclusive(
          fail(id('srv'), `${name} → ${formatSrv(record)}, but the address lookup of ${target} failed: ${error.message} (${error.code})`, DNS_SERVER_HINT),
        ),
      );
      skip(results, later, `the address lookup of ${target} failed`);
    } else {
      results.checks.push(
        fail(id('srv'), `${name} → ${formatSrv(record)}, but ${target} has no A/AAAA record`, `ask the operator of ${d} to publish the A record of ${target}`),
      );
      skip(results, later, `DNS gave no address for ${target}`);
    }
    return results;
  }
  results.checks.push(pass(id('srv'), `${name} → ${formatSrv(record)} (${addresses[0]})`));
  const expected = context.expectedSrv;
  if (expected) {
    results.checks.push(
      target === expected.target
        ? pass(id('srv.target'), `target ${target} as ${expected.source} says`)
        : fail(id('srv.target'), `SRV target is ${target}, ${expected.source} says ${expected.target}`, expected.hint),
      record.port === expected.port
        ? pass(id('srv.port'), `port ${record.port} as ${expected.source} says`)
        : fail(id('srv.port'), `SRV port is ${record.port}, ${expected.source} says ${expected.port}`, expected.hint),
    );
  }

  const trust = context.trust;
  const endpoint = `${target}:${record.port} at ${addresses[0]}`;
  const client = context.clientCertificate;
  const timeoutMs = dns.timeoutMs;
  const [probe, call] = await Promise.all([
    probeTls({ address: addresses[0], port: record.port, servername: target, ca: trust.pems, clientCertificate: client, timeoutMs }),
    client && context.originDomain
      ? callFederator({
          address: addresses[0],
          port: record.port,
          host: target,
          originDomain: context.originDomain,
          clientCertificate: client,
          ca: trust.pems,
          timeoutMs,
        })
      : undefined,
  ]);
  results.checks.push(checkConnect(id('tls'), probe, endpoint, timeoutMs, client !== undefined));
  const cert = probe.peerCertificate;
  if (cert) {
    results.checks.push(
      checkSan(id('san'), cert, target, `ask the operator of ${d} to serve a certificate for ${target}`),
      checkExpiry(id('expiry'), cert, now, renewPeerCertificateHint(d)),
      peerChainCheck(id('chain'), d, probe, trust, now),
    );
    if (context.expectedChainDepth) {
      const depth = chainDepthCheck(id('chain.depth'), cert, probe, trust, context.expectedChainDepth);
      if (depth) results.checks.push(depth);
      else skip(results, [id('chain.depth')], 'the certificate does not chain to the trusted CA (see the chain check)');
    }
  } else {
    skip(
      results,
      checksNeeding('peer', 'certificate').map((c) => `peer[${d}].${c}`),
      'no TLS handshake, so no certificate to inspect',
    );
  }
  if (!client) {
    results.checks.push(
      warn(
        id('accepts-us'),
        'not checked: no client certificate given',
        `pass --client-cert and --client-key (our federator certificate) to check that ${d} trusts our CA`,
      ),
    );
  } else if (!reachedTlsServer(probe)) {
    skip(results, [id('accepts-us')], 'no TLS connection (see the tls check)');
  } else {
    results.checks.push(
      checkAccepted(id('accepts-us'), probe, `${d} accepts our client certificate`, `${d} refused our client certificate`, peerTrustsUsHint(d)),
    );
  }
  if (!client || !call) {
    results.checks.push(
      client
        ? warn(
            id('federation.call'),
            'not checked: no origin domain (our backend domain) given',
            `give our backend domain as the origin of the call (card check --origin-domain) to make a real federation call to ${d}`,
          )
        : warn(
            id('federation.call'),
            'not checked: no client certificate given',
            `pass --client-cert and --client-key (our federator certificate) to make a real federation call to ${d}`,
          ),
    );
  } else if (!reachedTlsServer(call) && !probe.handshake) {
    skip(results, [id('federation.call')], 'no TLS connection (see the tls check)');
  } else {
    const verdict = judgeFederationCall(call, {
      id: id('federation.call'),
      caller: { name: context.originDomain!, domain: context.originDomain! },
      callee: { name: d, domain: d },
      callerCertificate: leafOf(client.cert),
      callerCertificateOrigin: client.origin,
      versions: context.versions,
      now,
    });
    // The call runs without verifying the peer's certificate (to report everything); our
    // federator verifies it, and refuses an expired one: then the call does not pass.
    const expiredOn = cert && verdict.status === 'pass' && validityProblem(cert, now) === 'expired' ? isoDay(validToDate(cert)) : undefined;
    results.checks.push(
      expiredOn
        ? {
            ...fail(
              id('federation.call'),
              `${verdict.message}; but our federator would refuse ${d}'s certificate, which expired on ${expiredOn}`,
              renewPeerCertificateHint(d),
            ),
            details: verdict.details,
          }
        : verdict,
    );
  }
  return results;
}

/** The CAs a peer's server certificate is checked against. */
export interface PeerTrust {
  /** For the TLS connection: what our federator trusts for this peer. */
  readonly pems: string[];
  readonly anchors: TrustAnchors;
  /** Environments whose CA we could not read (no --peer-ca given). */
  readonly unknownEnvironments: string[];
}

/** What our federator trusts for a peer's server certificate (also used by the mesh query, lib/mesh). */
export function peerTrust(peer: PeerConfig, options: Pick<VerifyOptions, 'config' | 'peerCas'>): PeerTrust {
  const given = options.peerCas?.get(peer.domain);
  const configured = peer.caCertificates.flatMap((c) => (c.kind === 'pem' ? [c.pem] : []));
  const environments = peer.caCertificates.flatMap((c) => (c.kind === 'environment' ? [c.environment] : []));
  const useSystem = options.config.federation.useSystemCaStore;
  const own = [...configured, ...(given?.pems ?? [])];
  const parts = [
    ...(configured.length > 0 ? [`the CA${configured.length === 1 ? '' : 's'} configured for ${peer.domain}`] : []),
    ...(given ? [`--peer-ca ${given.origin}`] : []),
    ...(useSystem ? ['the system CA store'] : []),
  ];
  const pems = [...(useSystem ? tls.rootCertificates : []), ...own];
  const certificates = [...(useSystem ? systemTrustAnchors().certificates : []), ...own.map((p) => new X509Certificate(p))];
  return {
    pems,
    anchors: { description: parts.length > 0 ? parts.join(' and ') : 'no CA at all', certificates },
    unknownEnvironments: given ? [] : environments,
  };
}

function peerChainCheck(id: VerifyCheckId, domain: string, probe: TlsProbeResult, trust: PeerTrust, now: Date): CheckResult {
  if (trust.pems.length === 0 && trust.unknownEnvironments.length === 0) {
    return fail(
      id,
      'no CA is trusted for this peer (no caCertificates, federation.useSystemCaStore is false)',
      "add the peer's CA certificate to its caCertificates in the config",
    );
  }
  const checked = checkChain(id, probe, trust.anchors, now, PEER_CHAIN_HINT);
  if (checked.status === 'pass' || trust.unknownEnvironments.length === 0) return checked;
  const envs = trust.unknownEnvironments.join(', ');
  return warn(
    id,
    `not checkable offline: the peer's CA comes from the Terraform state of environment ${envs} (${checked.message})`,
    `pass --peer-ca ${domain}=<file> with the ca_certificate_pem output of ${envs}`,
  );
}

/** `chain.depth`: the server certificate sits at most `expected.depth` certificates below the trusted CA; undefined when it does not chain to it. */
function chainDepthCheck(
  id: VerifyCheckId,
  cert: X509Certificate,
  probe: TlsProbeResult,
  trust: PeerTrust,
  expected: NonNullable<PeerCheckContext['expectedChainDepth']>,
): CheckResult | undefined {
  const chain = chainToAnchor(cert, probe.chain, trust.anchors.certificates, 10);
  if (!chain.ok) return undefined;
  const depth = chain.path.length - 1;
  return depth <= expected.depth
    ? pass(id, `${depth} certificate${depth === 1 ? '' : 's'} below the CA, within ${expected.depth} (${expected.source})`)
    : fail(id, `the certificate is ${depth} certificates below the CA, ${expected.source} says at most ${expected.depth}`, expected.hint);
}

/** The addresses of a host's A and AAAA answers, and the first lookup that failed (timeout, SERVFAIL…), if any. */
interface HostAddresses {
  readonly addresses: string[];
  readonly error?: { readonly code: string; readonly message: string };
}

function addressesOf(a: LookupResult<string>, aaaa: LookupResult<string>): HostAddresses {
  const addresses = [...(a.kind === 'records' ? a.records : []), ...(aaaa.kind === 'records' ? aaaa.records : [])];
  const failed = a.kind === 'error' ? a : aaaa.kind === 'error' ? aaaa : undefined;
  return failed ? { addresses, error: { code: failed.code, message: failed.message } } : { addresses };
}

async function resolveHost(host: string, dns: DnsLookupOptions): Promise<HostAddresses> {
  const [a, aaaa] = await Promise.all([lookupAddresses(host, 4, dns), lookupAddresses(host, 6, dns)]);
  return addressesOf(a, aaaa);
}
