/**
 * verify's calling checks: DTLS handshakes with our coturn's federation listener and with each
 * peer's, the way the coturn servers meet each other (docs/verify-calling.md). Our coturn: a
 * DTLS server answers at every public address, its certificate (SAN, expiry, both usages, chain
 * to our CA), and it refuses a client without a certificate. A peer's coturn: the same about its
 * certificate (chain to the CAs we trust for it), our whitelist entry for it matches its
 * certificate as coturn matches it, and it accepts our coturn certificate. Never throws for
 * what it finds.
 */
import { X509Certificate } from 'node:crypto';
import { callingEndpoints } from '../calling/endpoints';
import type { WireFederationConfig } from '../config/parse';
import { chainToAnchor } from '../core/x509';
import { DtlsProbeResult, probeDtls } from './dtls-probe';
import { AcceptsUsContext, checkDtlsAcceptsUs, checkDtlsConnect, checkDtlsRequiresClientCertificate, checkWhitelistEntry } from './dtls-checks';
import { CheckResult, SkippedCheck, pass, warn } from './report';
import { TrustAnchors, checkChain, checkExpiry, checkSan, checkUsages, leafOf } from './tls-checks';
import type { TlsProbeResult } from './tls-probe';
import { type VerifyCheckId, peerCheckId } from './checks';
import {
  CALLING_OPENSSL_HINT,
  ownCoturnMutualHint,
  ownCoturnUnreachableHint,
  peerCoturnChainHint,
  peerCoturnUnreachableHint,
  renewOwnCoturnCertificateHint,
  renewPeerCertificateHint,
} from './hints';

/** A coturn federation listener. */
export interface CoturnTarget {
  /** The host name in its DTLS certificate. */
  readonly host: string;
  /** Its public addresses (every one is probed). */
  readonly publicIps: readonly string[];
  /** The federation port (UDP). */
  readonly port: number;
  /** Federation over DTLS; false: plain UDP, nothing to check. */
  readonly dtls: boolean;
}

/** A peer's coturn, with our whitelist entry for it. */
export interface PeerCoturnTarget extends CoturnTarget {
  /** The peer's backend domain. */
  readonly domain: string;
  /** The issuer CN of our whitelist entry for it. @default - any issuer */
  readonly issuerCommonName?: string;
}

/** A certificate (PEM, leaf first) and its key, and where they came from. */
export interface CoturnCredentials {
  readonly cert: string;
  readonly key: string;
  readonly origin: string;
}

/** How the checks run. */
export interface CallingCheckOptions {
  /** Per probe (each DTLS handshake). */
  readonly timeoutMs: number;
  readonly now: Date;
  /** The openssl program. @default - see {@link probeDtls} */
  readonly openssl?: string;
  /** Probes run at the same time per coturn (one per address). @default 4 */
  readonly concurrency?: number;
}

/** Checks and skipped checks of one part. */
export interface CallingPart {
  readonly checks: CheckResult[];
  readonly skipped: SkippedCheck[];
}

/** Every id of our coturn's checks, in report order. */
export const OWN_CALLING_CHECK_IDS = [
  'calling.dtls.connect',
  'calling.dtls.san',
  'calling.dtls.expiry',
  'calling.dtls.eku',
  'calling.dtls.chain',
  'calling.dtls.mutual',
] as const;
/** Every check of a peer's coturn (`peer[<domain>].<check>`), in report order. */
export const PEER_CALLING_CHECKS = [
  'calling.dtls',
  'calling.san',
  'calling.expiry',
  'calling.eku',
  'calling.chain',
  'calling.whitelist',
  'calling.accepts-us',
] as const;

/** Our coturn's federation listener. */
export async function verifyOwnCoturn(
  target: CoturnTarget,
  trust: { readonly pems?: readonly string[]; readonly anchors: TrustAnchors },
  options: CallingCheckOptions,
): Promise<CallingPart> {
  const part: CallingPart = { checks: [], skipped: [] };
  const ids = OWN_CALLING_CHECK_IDS;
  if (!target.dtls) {
    part.checks.push(
      warn(
        'calling.dtls.connect',
        `calling.coturn.dtls is false: coturn federates over plain UDP on port ${target.port}, without authentication`,
        'switch DTLS on (calling.coturn.dtls: true, the default) with every peer',
      ),
    );
    part.skipped.push(...ids.slice(1).map((id) => ({ id, reason: 'DTLS is off (calling.coturn.dtls false)' })));
    return part;
  }
  const probes = await probeAll(target, undefined, trust.pems, options);
  part.checks.push(
    checkDtlsConnect('calling.dtls.connect', probes, target.host, target.port, options.timeoutMs, {
      unreachable: ownCoturnUnreachableHint(target.port),
      opensslMissing: CALLING_OPENSSL_HINT,
    }),
  );
  const inspected = probes.find((p) => p.probe.peerCertificate);
  if (inspected?.probe.peerCertificate) {
    const cert = inspected.probe.peerCertificate;
    part.checks.push(
      checkSan('calling.dtls.san', cert, target.host, `issue the coturn certificate for ${target.host} (calling.coturn.host)`),
      checkExpiry('calling.dtls.expiry', cert, options.now, renewOwnCoturnCertificateHint()),
      usages('calling.dtls.eku', cert),
      checkChain(
        'calling.dtls.chain',
        asTlsProbe(inspected.probe, trust.anchors),
        trust.anchors,
        options.now,
        `coturn serves a certificate from another CA than ${trust.anchors.description}: peers trust our CA only (give --ca this environment's ca_certificate_pem; check the coturn-dtls Secret)`,
      ),
    );
  } else {
    part.skipped.push(...ids.slice(1, 5).map((id) => ({ id, reason: 'no DTLS server answered, so no certificate to inspect' })));
  }
  const answered = probes.filter((p) => p.probe.reachedServer);
  if (answered.length === 0) {
    part.skipped.push({ id: 'calling.dtls.mutual', reason: 'no DTLS server answered (see calling.dtls.connect)' });
  } else {
    // Every listener must insist: the one that lets clients in without a certificate is the problem.
    const open = answered.find((p) => p.probe.handshake);
    part.checks.push(checkDtlsRequiresClientCertificate('calling.dtls.mutual', (open ?? answered[0]).probe, ownCoturnMutualHint()));
  }
  return part;
}

/** A peer's coturn federation listener, as our coturn meets it. */
export async function verifyPeerCoturn(
  target: PeerCoturnTarget,
  context: {
    /** The CAs we trust for the peer (our coturn's CA bundle holds the same). */
    readonly trust: { readonly pems: readonly string[]; readonly anchors: TrustAnchors };
    /** Our coturn certificate and key: presented as client certificate. @default - not presented (accepts-us is a warning) */
    readonly credentials?: CoturnCredentials;
    /** Our coturn host (for the whitelist entry the peer needs). */
    readonly ourHost: string;
  },
  options: CallingCheckOptions,
): Promise<CallingPart> {
  const d = target.domain;
  const id = (check: (typeof PEER_CALLING_CHECKS)[number]): VerifyCheckId => peerCheckId(d, check);
  const part: CallingPart = { checks: [], skipped: [] };
  if (!target.dtls) {
    part.checks.push(
      warn(
        id('calling.dtls'),
        `${d} federates calls over plain UDP (peers[].calling.dtls false): nothing to verify, and no authentication`,
        `agree with the operator of ${d} to federate over DTLS`,
      ),
    );
    part.skipped.push(...PEER_CALLING_CHECKS.slice(1).map((c) => ({ id: id(c), reason: 'DTLS is off for this peer' })));
    return part;
  }
  const probes = await probeAll(target, context.credentials, context.trust.pems, options);
  part.checks.push(
    checkDtlsConnect(id('calling.dtls'), probes, target.host, target.port, options.timeoutMs, {
      unreachable: peerCoturnUnreachableHint(d, target.port),
      opensslMissing: CALLING_OPENSSL_HINT,
    }),
  );
  const inspected = probes.find((p) => p.probe.peerCertificate);
  if (inspected?.probe.peerCertificate) {
    const cert = inspected.probe.peerCertificate;
    part.checks.push(
      checkSan(
        id('calling.san'),
        cert,
        target.host,
        `ask the operator of ${d} to serve a coturn certificate for ${target.host}, or fix peers[].calling.coturnHost`,
      ),
      checkExpiry(id('calling.expiry'), cert, options.now, renewPeerCertificateHint(d).replace('federator certificate', 'coturn certificate')),
      usages(id('calling.eku'), cert),
      context.trust.pems.length === 0
        ? { ...warn(id('calling.chain'), `not checked: no CA is trusted for ${d}`, `add ${d}'s CA to its caCertificates`) }
        : checkChain(id('calling.chain'), asTlsProbe(inspected.probe, context.trust.anchors), context.trust.anchors, options.now, peerCoturnChainHint(d)),
      checkWhitelistEntry(
        id('calling.whitelist'),
        cert,
        inspected.probe.chain,
        { host: target.host, ...(target.issuerCommonName ? { issuerCommonName: target.issuerCommonName } : {}) },
        d,
      ),
    );
  } else {
    part.skipped.push(
      ...(['calling.san', 'calling.expiry', 'calling.eku', 'calling.chain', 'calling.whitelist'] as const).map((c) => ({
        id: id(c),
        reason: 'no DTLS server answered, so no certificate to inspect',
      })),
    );
  }
  if (!context.credentials) {
    part.checks.push(
      warn(
        id('calling.accepts-us'),
        'not checked: no coturn certificate given',
        `pass --coturn-cert and --coturn-key (our coturn's DTLS certificate and key) to check that ${d}'s coturn accepts us`,
      ),
    );
    return part;
  }
  const answered = probes.filter((p) => p.probe.reachedServer);
  if (answered.length === 0) {
    part.skipped.push({ id: id('calling.accepts-us'), reason: 'no DTLS server answered (see the calling.dtls check)' });
    return part;
  }
  const refusing = answered.find((p) => !p.probe.handshake) ?? answered[0];
  const acceptsContext: AcceptsUsContext = {
    peer: d,
    ourHost: context.ourHost,
    ourCertificate: leafOf(context.credentials.cert),
    origin: context.credentials.origin,
    now: options.now,
  };
  const result = checkDtlsAcceptsUs(id('calling.accepts-us'), refusing.probe, acceptsContext);
  part.checks.push(
    answered.length > 1 && result.status === 'pass'
      ? pass(id('calling.accepts-us'), `${result.message} on ${answered.map((p) => p.address).join(', ')}`)
      : result,
  );
  return part;
}

/** Both usages: coturn presents one certificate as server and as client. */
function usages(id: VerifyCheckId, cert: X509Certificate): CheckResult {
  const result = checkUsages(id, cert);
  return result.status === 'pass' ? result : { ...result, hint: (result.hint ?? '').replace('the federator presents', 'coturn presents') };
}

async function probeAll(
  target: CoturnTarget,
  credentials: CoturnCredentials | undefined,
  ca: readonly string[] | undefined,
  options: CallingCheckOptions,
): Promise<{ address: string; probe: DtlsProbeResult }[]> {
  const results: { address: string; probe: DtlsProbeResult }[] = [];
  const queue = [...target.publicIps];
  const worker = async (): Promise<void> => {
    for (let address = queue.shift(); address !== undefined; address = queue.shift()) {
      const probe = await probeDtls({
        address,
        port: target.port,
        servername: target.host,
        ...(ca && ca.length > 0 ? { ca } : {}),
        ...(credentials ? { clientCertificate: { cert: credentials.cert, key: credentials.key } } : {}),
        timeoutMs: options.timeoutMs,
        ...(options.openssl ? { openssl: options.openssl } : {}),
      });
      results.push({ address, probe });
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, queue.length) }, worker));
  return target.publicIps.map((address) => results.find((r) => r.address === address)!);
}

/** OpenSSL's verify codes (x509_vfy.h) by the names Node's TLS gives them (tls-checks.ts reads those). */
const VERIFY_CODES: Readonly<Record<number, string>> = {
  2: 'UNABLE_TO_GET_ISSUER_CERT',
  7: 'CERT_SIGNATURE_FAILURE',
  9: 'CERT_NOT_YET_VALID',
  10: 'CERT_HAS_EXPIRED',
  18: 'DEPTH_ZERO_SELF_SIGNED_CERT',
  19: 'SELF_SIGNED_CERT_IN_CHAIN',
  20: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  21: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  24: 'INVALID_CA',
  26: 'INVALID_PURPOSE',
};

/** The DTLS probe's certificates and verdict in the shape the TLS chain check reads. */
function asTlsProbe(probe: DtlsProbeResult, anchors: TrustAnchors): TlsProbeResult {
  const signaturesOnly = probe.peerCertificate !== undefined && chainToAnchor(probe.peerCertificate, probe.chain, anchors.certificates).ok;
  // A server certificate without serverAuth fails OpenSSL's purpose test (26): that is the eku
  // check's finding; the chain is then judged on its signatures alone.
  const code = probe.verifyCode === 26 ? undefined : probe.verifyCode;
  return {
    handshake: probe.handshake,
    ...(probe.peerCertificate ? { peerCertificate: probe.peerCertificate } : {}),
    chain: probe.chain,
    // Without a verdict (no CA file), the chain is built by hand against the anchors.
    authorized: code === 0 || (probe.verifyCode === 26 && signaturesOnly),
    ...(code !== undefined && code !== 0 ? { authorizationError: VERIFY_CODES[code] ?? `X509_V_ERR_${code} (${probe.verifyError ?? ''})` } : {}),
  };
}

/**
 * The coturn listeners a config federates calls with: ours and every peer's with known
 * endpoints (lib/calling/endpoints.ts); undefined when calling is off.
 */
export function callingTargets(
  config: Pick<WireFederationConfig, 'calling' | 'peers'>,
): { readonly own: CoturnTarget; readonly peers: readonly PeerCoturnTarget[] } | undefined {
  const endpoints = callingEndpoints(config);
  return endpoints ? { own: endpoints.own, peers: endpoints.peers } : undefined;
}
