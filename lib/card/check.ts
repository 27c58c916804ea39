/**
 * `wire-federation card check`: a partner's federation card against what their backend serves,
 * with verify's peer checks (SRV record, TLS, server certificate, mutual TLS, federation call):
 * the SRV record points to the card's federator domain and port, the server certificate chains
 * to the card's CA within the card's chain depth, and (with our client certificate) the
 * federated call answers. Plain Node: no cdktf import. The card uses the verifier, never the
 * other way round.
 */
import type { FederationCard } from './schema';
import type { CheckedCa } from './validate';
import { normalizeDnsName } from '../core/names';
import { formatVersions } from '../verify/federation-versions';
import { CheckResult, SkippedCheck, pass, warn } from '../verify/report';
import { ClientCertificate, verifyPeerEndpoint } from '../verify/verify';
import { detailsOf, peerCheckId } from '../verify/checks';
import { FEDERATION_CALL } from '../verify/checks/peer';

export interface CardCheckOptions {
  readonly card: FederationCard;
  /** The card's CA certificates, checked (see `checkCardCertificates`). */
  readonly cas: readonly CheckedCa[];
  /** `ip[:port]` of the DNS server every lookup goes to; undefined = the system's servers. */
  readonly dnsServer?: string;
  /** Per check (each lookup, each TLS connection). */
  readonly timeoutMs: number;
  /** Our federator certificate: checks that the partner accepts it, and makes the federation call. */
  readonly clientCertificate?: ClientCertificate;
  /** Our backend domain, the origin of the federation call (needed with `clientCertificate`). */
  readonly originDomain?: string;
  /**
   * Our federation API versions, compared with what the federated call answers.
   * @default - none: the call only has to answer; the `versions` check compares the answer with the card's versions
   */
  readonly federationVersions?: { readonly list: readonly number[]; readonly source: string };
  /** @default the current time */
  readonly now?: Date;
}

/** What `card check` found: the checks (ids `peer[<domain>].<check>`) and those skipped. */
export interface CardCheckReport {
  readonly backendDomain: string;
  readonly federatorDomain: string;
  readonly checks: readonly CheckResult[];
  readonly skipped: readonly SkippedCheck[];
}

/** Runs the peer checks of verify against the card. Never throws for what it finds. */
export async function checkCard(options: CardCheckOptions): Promise<CardCheckReport> {
  const { card } = options;
  const d = card.backendDomain;
  const fingerprints = options.cas.map((c) => c.entry.sha256.slice(0, 11)).join(', ');
  const result = await verifyPeerEndpoint(
    { domain: d },
    {
      originDomain: options.originDomain,
      trust: {
        pems: options.cas.map((c) => c.pem),
        anchors: { description: `the card's CA (${fingerprints}…)`, certificates: options.cas.map((c) => c.certificate) },
        unknownEnvironments: [],
      },
      clientCertificate: options.clientCertificate,
      versions: options.federationVersions,
      dns: { server: options.dnsServer, timeoutMs: options.timeoutMs },
      now: options.now ?? new Date(),
      expectedSrv: {
        target: normalizeDnsName(card.federator.domain),
        port: card.federator.port,
        source: 'the card',
        hint: `either ${d}'s SRV record or its card is wrong: ask ${card.contact} which is right; a card made before a move of the federator is outdated (ask for a new one), a wrong record breaks federation for every peer`,
      },
      expectedChainDepth: {
        depth: card.federator.chainDepth,
        source: 'federator.chainDepth of the card',
        hint: `our ingress needs federation.verifyDepth of at least the real depth: ask ${card.contact} for a card with the right chainDepth, and set federation.verifyDepth accordingly`,
      },
    },
  );
  // The chain check's hint speaks of our config: here the CA comes from the card.
  const checks = result.checks.map((c) =>
    c.id === `peer[${d}].chain` && c.status === 'fail'
      ? {
          ...c,
          hint: `${d} serves a certificate that the card's CA did not sign: the card is outdated or not theirs, or the ingress serves another certificate; ask ${card.contact} for the CA that signs ${card.federator.domain} and a new card, and check the fingerprints over the phone`,
        }
      : c,
  );
  // The versions the backend answered against those the card names.
  const call = checks.find((c) => c.id === `peer[${d}].federation.call`);
  const answered = detailsOf(FEDERATION_CALL, call)?.versions;
  if (answered !== undefined) {
    const same = answered.length === card.federationApiVersions.length && answered.every((v) => card.federationApiVersions.includes(v));
    checks.push(
      same
        ? pass(peerCheckId(d, 'versions'), `answers the federation API versions the card names (${formatVersions(answered)})`)
        : warn(
            peerCheckId(d, 'versions'),
            `answers federation API versions ${formatVersions(answered)}, the card says ${formatVersions(card.federationApiVersions)}`,
            `${d} upgraded or downgraded wire-server since the card was made: ask ${card.contact} for a new card`,
          ),
    );
  }
  return { backendDomain: d, federatorDomain: card.federator.domain, checks, skipped: result.skipped };
}
