/**
 * The checks of each configured peer, reported as `peer[<domain>].<check>` (`verify.ts`
 * `verifyPeerEndpoint`): its SRV record, its federator's certificate, whether it accepts ours,
 * and a real federation call; and the checks only `card check` adds (what the card promises).
 */
import type { RemoteRestriction } from '../../remotes/desired-remotes';
import { PEER_CHAIN_HINT, peerSrvHint, peerTrustsUsHint } from '../hints';
import { CERTIFICATE_METRICS, CertificateExpiryDetails, ChainAnchorDetails, certificateSamples, isoSeconds } from './certificate-metrics';
import { checkStatusIs } from './exporter';
import { PEER_LABEL, SampleInput, VERIFY_FOR_DETAILS, defineCheck, defineGroup, defineMetric, sample } from './types';

/** The component that produced an answer or a failure of the federation call. */
export type CallComponent = 'network' | 'tls' | 'ingress' | 'federator' | 'brig';

/** Machine-readable facts of the federation call, in the JSON report. */
export interface FederationCallDetails {
  readonly component: CallComponent;
  /** The side that must act on a failure. */
  readonly side?: 'caller' | 'callee';
  readonly httpStatus?: number;
  readonly label?: string;
  /** The versions the other side answered. */
  readonly versions?: readonly number[];
  /** The caller's versions the answer was compared with (absent when none were given). */
  readonly ourVersions?: readonly number[];
  readonly commonVersions?: readonly number[];
}

/** Details of the configured remote (`peer[…].remote`). */
export interface RemoteDetails {
  readonly search_policy: string;
  readonly restriction: RemoteRestriction;
}

/**
 * The federator's error labels verify explains (each has its own fix in
 * `federation-call-check.ts`); the exporter reports any other label a peer sends as `other`.
 */
export const FEDERATOR_REFUSAL_LABELS = [
  'federation-denied',
  'authentication-failure',
  'invalid-domain',
  'discovery-failure',
  'no-client-certificate',
  'certificate-parse-error',
  'domain-parse-error',
  'invalid-endpoint',
  'unknown-component',
  'federation-not-implemented',
] as const;

const KNOWN_LABELS: ReadonlySet<string> = new Set(FEDERATOR_REFUSAL_LABELS);

/**
 * The federator's label of a refused federation call, as the value of the `refusal` label: one of the federator's labels that
 * verify knows ({@link FEDERATOR_REFUSAL_LABELS}), `other` for anything else the peer sent (the
 * peer chooses the text: the label values stay bounded), empty without one.
 */
export function refusalLabel(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' && KNOWN_LABELS.has(value) ? value : 'other';
}

const CALL_REFUSAL = defineMetric({
  name: 'wire_federation_peer_call_refusal',
  help: 'The federator refusal label of a failing federation call to a peer (always 1, present while the call fails with one): one of the labels verify explains, other for anything else',
  type: 'gauge',
  labels: ['peer', 'refusal'],
  series: 'round',
});
const VERSIONS_OVERLAP = defineMetric({
  name: 'wire_federation_peer_api_versions_overlap',
  help: 'Number of federation API versions we share with a peer (0: no common version, federation refused), from the last federation call',
  type: 'gauge',
  labels: ['peer'],
});
const VERSION_NEGOTIATED = defineMetric({
  name: 'wire_federation_peer_api_version_negotiated',
  help: 'The federation API version our federator and a peer negotiate (the highest common one)',
  type: 'gauge',
  labels: ['peer'],
});

/**
 * The refusal label of the failing call, looked up in the template: the alert's own series
 * (check_status) does not carry it; `wire_federation_peer_call_refusal` does.
 */
const REFUSAL_TEMPLATE = `{{ with printf "${CALL_REFUSAL.name}{peer='%s'}" $labels.peer | query }}{{ with . | first }} (the federator answered "{{ .Labels.refusal }}"){{ end }}{{ end }}`;

/** `peer[<domain>].federation.call`: the typed details readers of its result use. */
export const FEDERATION_CALL = defineCheck({
  id: 'federation.call',
  level: 'error or warning',
  description:
    "a real federated request to the peer (`POST /federation/brig/api-version`, as our federator makes it): the peer's federator accepts us and answers federation API versions that overlap with ours (a warning without `--client-cert`)",
  fix: 'the side named in the message acts: see the federator labels in docs/troubleshooting.md',
  needs: 'connection',
  samples: ({ state, result, peer }: SampleInput<FederationCallDetails>) => {
    const refusal = state === 'fail' ? refusalLabel(result?.details?.label) : '';
    const common = result?.details?.commonVersions;
    return [
      ...(refusal !== '' ? [sample(CALL_REFUSAL, { peer, refusal }, 1)] : []),
      ...(common !== undefined
        ? [sample(VERSIONS_OVERLAP, { peer }, common.length), ...(common.length > 0 ? [sample(VERSION_NEGOTIATED, { peer }, Math.max(...common))] : [])]
        : []),
    ];
  },
});

/** `peer[<domain>].remote`: the configured remote (details: {@link RemoteDetails}). */
export const REMOTE = defineCheck<'remote', RemoteDetails>({
  id: 'remote',
  level: 'info',
  description: 'how we federate with the peer as configured: search policy and team restriction (always passes; informational)',
  fix: '—',
});

export const PEER_CHECK_GROUP = defineGroup({
  scope: 'peer',
  metrics: { ...CERTIFICATE_METRICS, callRefusal: CALL_REFUSAL, versionsOverlap: VERSIONS_OVERLAP, versionNegotiated: VERSION_NEGOTIATED },
  checks: [
    REMOTE,
    defineCheck({
      id: 'srv',
      level: 'error',
      description: "the peer's SRV record resolves, and its target has an address",
      fix: "ask the peer's operator to publish the records",
    }),
    defineCheck({
      id: 'srv.weight',
      level: 'warning',
      description: "the peer's SRV weight is above 0 (a warning otherwise)",
      fix: "ask the peer's operator to set weight > 0",
    }),
    defineCheck({
      id: 'tls',
      level: 'error',
      description: "a TLS handshake with the peer's federator at its SRV target",
      fix: "ask the peer's operator (reachable? firewall?)",
      needs: 'address',
    }),
    defineCheck({
      id: 'san',
      level: 'error',
      description: "the peer's certificate covers its SRV target",
      fix: "ask the peer's operator to serve a certificate for the SRV target",
      needs: 'certificate',
    }),
    defineCheck({
      id: 'expiry',
      level: 'error or warning',
      description: "the peer's certificate has not expired (a warning under 30 days left)",
      fix: "ask the peer's operator to renew it",
      needs: 'certificate',
      samples: ({ result, peer, end }: SampleInput<CertificateExpiryDetails>) => certificateSamples('peer', peer, isoSeconds(result?.details?.notAfter), end),
    }),
    defineCheck({
      id: 'chain',
      level: 'error or warning',
      description:
        "the peer's certificate verifies against the CAs we trust for it: `caCertificates` files/PEMs, `--peer-ca`, and the system store when `federation.useSystemCaStore` (a CA from another environment's state without `--peer-ca`: a warning, not checkable offline)",
      fix: "add the peer's CA to its `caCertificates`",
      needs: 'certificate',
      samples: ({ result, peer, end }: SampleInput<ChainAnchorDetails>) => certificateSamples('peer_ca', peer, isoSeconds(result?.details?.caNotAfter), end),
    }),
    defineCheck({
      id: 'srv.target',
      level: 'error',
      description: "the peer's SRV target is the federator domain its card names (`card check`)",
      fix: 'the partner fixes its SRV record, or sends a card with the right federator domain',
      cardOnly: true,
    }),
    defineCheck({
      id: 'srv.port',
      level: 'error',
      description: "the peer's SRV port is the card's `federator.port` (`card check`)",
      fix: 'the partner fixes its SRV record, or sends a card with the right port',
      cardOnly: true,
    }),
    defineCheck({
      id: 'chain.depth',
      level: 'error',
      description: "the peer's server certificate is at most the card's `federator.chainDepth` below its CA (`card check`)",
      fix: 'the partner serves the chain its card describes, or sends a card with the real depth',
      cardOnly: true,
    }),
    defineCheck({
      id: 'versions',
      level: 'warning',
      description: "the federation API versions the peer answers are the card's `federationApiVersions` (a warning otherwise; `card check`)",
      fix: 'ask the partner for a card of its current release',
      cardOnly: true,
    }),
    defineCheck({
      id: 'accepts-us',
      level: 'error or warning',
      description: 'the peer accepts our client certificate, which proves it trusts our CA (a warning without `--client-cert`)',
      fix: 'give the peer our `ca_certificate_pem` for its client CA bundle',
      needs: 'connection',
    }),
    FEDERATION_CALL,
  ],
  alerts: (o) => [
    {
      alert: 'WireFederationPeerCallFailing',
      // A definite failure only: a call that could not run (error) or was skipped is not the
      // peer's failure. check_status has no refusal label: a refusal that changes keeps the
      // alert pending.
      expr: checkStatusIs('check="federation.call",peer!="",', 'fail'),
      for: o.peerFailingFor,
      labels: { severity: 'critical' },
      annotations: {
        summary: `The federation call to ${PEER_LABEL} fails${REFUSAL_TEMPLATE}: users cannot reach ${PEER_LABEL}`,
        description: `Our federator's version call to ${PEER_LABEL} (POST /federation/brig/api-version with our client certificate) has failed for ${o.peerFailingFor} while our own DNS and certificate are fine. ${VERIFY_FOR_DETAILS}: the peer[${PEER_LABEL}].federation.call check says whose side must act and how. "federation-denied": ${PEER_LABEL}'s operator must add our backend domain to its remotes.`,
      },
      whenOurSideBroken: 'hold back',
    },
    {
      alert: 'WireFederationPeerRefusesOurCertificate',
      expr: checkStatusIs('check="accepts-us",', 'fail'),
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `${PEER_LABEL} refused our client certificate: ${peerTrustsUsHint(PEER_LABEL)}`,
        description: `${PEER_LABEL}'s ingress does not accept our federator certificate, so no federation request reaches its federator. A peer that rotated its trust bundle, or a CA rotation on our side that the peer has not picked up yet.`,
      },
      whenOurSideBroken: 'hold back',
    },
    {
      alert: 'WireFederationPeerSrvMissing',
      expr: checkStatusIs('check="srv",peer!="",', 'fail'),
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `No usable SRV record for ${PEER_LABEL}: ${peerSrvHint(PEER_LABEL)}`,
        description: `The SRV record _wire-server-federator._tcp.${PEER_LABEL} does not resolve to a federator with an address. ${VERIFY_FOR_DETAILS}.`,
      },
      whenOurSideBroken: 'hold back',
    },
    {
      alert: 'WireFederationPeerCertificateUntrusted',
      expr: checkStatusIs('check="chain",peer!="",', 'fail'),
      for: '10m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `${PEER_LABEL}'s federator certificate is not signed by a CA we trust for it: ${PEER_CHAIN_HINT}`,
        description: `Our federator refuses ${PEER_LABEL}. A peer that rotated its CA without telling us. ${VERIFY_FOR_DETAILS}.`,
      },
      whenOurSideBroken: 'hold back',
    },
  ],
});
