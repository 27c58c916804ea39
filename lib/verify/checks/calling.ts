/**
 * The calling checks (with `calling.enabled`; `calling-checks.ts` runs them, docs/verify-calling.md
 * explains them): DTLS handshakes with our coturn's federation listener and with each peer's,
 * the coturn certificates, our whitelist entry for each peer and whether each peer accepts us.
 * They run on their own (no `needs`: the federator's TLS steps do not skip them) and only when
 * calling is on, which {@link isCallingCheck} tells the round.
 */
import { ownCoturnMutualHint, peerCoturnRefusesUsHint, renewOwnCoturnCertificateHint } from '../hints';
import { CERTIFICATE_METRICS, CertificateExpiryDetails, certificateSamples, isoSeconds } from './certificate-metrics';
import { checkStatusIs } from './exporter';
import { CHECK_LABEL, PEER_LABEL, SampleInput, VERIFY_FOR_DETAILS, defineCheck, defineGroup, groupedIdsPattern } from './types';

/** The first part of every calling check id. */
const PREFIX = 'calling.';

/** Whether a check id (without the `peer[<domain>].` prefix) is a calling check. */
export const isCallingCheck = (id: string): boolean => id.startsWith(PREFIX);

export const OWN_CALLING_CHECKS = defineGroup({
  scope: 'own',
  metrics: CERTIFICATE_METRICS,
  checks: [
    defineCheck({
      id: 'calling.dtls.connect',
      level: 'error',
      description:
        'with `calling.enabled`: a DTLS 1.2 server answers at our coturn federation port (UDP `calling.coturn.federationPort`) on every address of `calling.coturn.publicIps`',
      fix: 'coturn with federation and DTLS on; coturnFederationListeningIP an address of the node; UDP open for the peers',
    }),
    defineCheck({
      id: 'calling.dtls.san',
      level: 'error',
      description: "our coturn's DTLS certificate covers `calling.coturn.host`",
      fix: 'issue the coturn certificate for calling.coturn.host',
    }),
    defineCheck({
      id: 'calling.dtls.expiry',
      level: 'error or warning',
      description: "our coturn's DTLS certificate has not expired (a warning under 30 days left)",
      fix: 'renew it (the private CA re-issues it at a deploy; cert-manager renews it)',
      samples: ({ result, end }: SampleInput<CertificateExpiryDetails>) => certificateSamples('coturn', '', isoSeconds(result?.details?.notAfter), end),
    }),
    defineCheck({
      id: 'calling.dtls.eku',
      level: 'error',
      description: "our coturn's DTLS certificate has server auth AND client auth (coturn presents it to peers as client certificate too)",
      fix: 'use the private CA (`private-ca` or `cert-manager` mode): public CAs stopped issuing client auth',
    }),
    defineCheck({
      id: 'calling.dtls.chain',
      level: 'error',
      description: "our coturn's DTLS certificate verifies against `--ca` (or the system store)",
      fix: 'serve the coturn certificate issued by our CA; pass the right `--ca`',
    }),
    defineCheck({
      id: 'calling.dtls.mutual',
      level: 'error',
      description: 'our coturn refuses a DTLS client without a certificate (mutual authentication: coturn verifies peers only with a CA file)',
      fix: "give coturn the peers' CA bundle (chart `ca.*`) and a whitelist entry per peer",
    }),
  ],
  alerts: () => [
    {
      alert: 'WireFederationOurCoturnBroken',
      // One alert, whatever number of checks of our coturn fail.
      expr: `max by (namespace, job) (${checkStatusIs(`peer="",check=~"${OUR_COTURN_PATTERN}",`, 'fail').replace(/ == 1$/, '')}) == 1`,
      for: '10m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `Our coturn federation listener fails a check (${ourCoturnFailing()}): calls with users of other backends fail; the per-peer calling alerts hold back until it passes`,
        description: `Peers' coturn servers reach ours over DTLS (UDP, calling.coturn.federationPort) and verify its certificate: it must answer, cover calling.coturn.host, be valid, carry server AND client auth and chain to our CA. calling.dtls.mutual: ${ownCoturnMutualHint()}. Expiry: ${renewOwnCoturnCertificateHint()}. Run \`wire-federation verify\` with the same options for the details (docs/verify-calling.md).`,
      },
    },
  ],
});

/** Regex of our coturn's checks (PromQL string). */
const OUR_COTURN_PATTERN = groupedIdsPattern(OWN_CALLING_CHECKS.checks.map((c) => c.id));

/** Our coturn fails a check. One series or none: the per-peer calling alerts hold back on it. */
export function ourCoturnBrokenExpr(): string {
  return `max(${checkStatusIs(`peer="",check=~"${OUR_COTURN_PATTERN}",`, 'fail').replace(/ == 1$/, '')}) == 1`;
}

/** The failing checks of our coturn, listed by a template query. */
function ourCoturnFailing(): string {
  return `{{ range $i, $s := query "wire_federation_check_status{peer='',check=~'${OUR_COTURN_PATTERN.replace(/\\/g, '')}',status='fail'} == 1" | sortByLabel "check" }}{{ if $i }} {{ end }}{{ $s.Labels.check }}{{ end }}`;
}

export const PEER_CALLING_CHECKS = defineGroup({
  scope: 'peer',
  metrics: CERTIFICATE_METRICS,
  checks: [
    defineCheck({
      id: 'calling.dtls',
      level: 'error',
      description:
        "with `calling.enabled`: a DTLS 1.2 server answers at the peer's coturn federation port (UDP, `peers[].calling.federationPort`) on every address of `peers[].calling.publicIps`",
      fix: "check the peer's calling endpoints (its card); ask its operator (listener running? firewall?)",
    }),
    defineCheck({
      id: 'calling.san',
      level: 'error',
      description: "the peer's coturn certificate covers its `peers[].calling.coturnHost`",
      fix: "ask the peer's operator for a coturn certificate for that host, or fix coturnHost",
    }),
    defineCheck({
      id: 'calling.expiry',
      level: 'error or warning',
      description: "the peer's coturn certificate has not expired (a warning under 30 days left)",
      fix: "ask the peer's operator to renew it",
      samples: ({ result, peer, end }: SampleInput<CertificateExpiryDetails>) =>
        certificateSamples('peer_coturn', peer, isoSeconds(result?.details?.notAfter), end),
    }),
    defineCheck({
      id: 'calling.eku',
      level: 'error',
      description: "the peer's coturn certificate has server auth AND client auth (our coturn verifies it in both roles)",
      fix: "ask the peer's operator to issue it from a private CA with both usages",
    }),
    defineCheck({
      id: 'calling.chain',
      level: 'error or warning',
      description: "the peer's coturn certificate verifies against the CAs we trust for the peer (our coturn's CA bundle)",
      fix: "add the peer's CA to its `caCertificates`",
    }),
    defineCheck({
      id: 'calling.whitelist',
      level: 'error',
      description:
        "our whitelist entry for the peer (`peers[].calling.coturnHost`, `issuerCommonName`) matches its coturn certificate as coturn matches it: a DNS SAN (or the CN without SAN), a wildcard in the certificate's first label, the issuer CN in the chain",
      fix: 'set coturnHost (and issuerCommonName) to what the certificate names',
    }),
    defineCheck({
      id: 'calling.accepts-us',
      level: 'error or warning',
      description:
        "the peer's coturn accepts our coturn certificate (mutual DTLS: its CA bundle trusts our CA, its whitelist names our coturn host; a warning without `--coturn-cert`)",
      fix: 'the alert says which: `unknown ca` → give the peer our CA; `certificate unknown` → the peer adds our whitelist entry; `unsupported certificate` → our certificate needs client auth',
    }),
  ],
  alerts: () => [
    {
      alert: 'WireFederationPeerCoturnRefusesUs',
      expr: `${checkStatusIs('check="calling.accepts-us",peer!="",', 'fail')} unless on() ${ourCoturnBrokenExpr()}`,
      for: '10m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `${PEER_LABEL}'s coturn refuses our coturn certificate: calls with ${PEER_LABEL} fail; ${peerCoturnRefusesUsHint(PEER_LABEL)}`,
        description: `The DTLS handshake with ${PEER_LABEL}'s coturn federation listener ends with an alert: "unknown ca" (it does not trust our CA), "certificate unknown" (its federation-remote-whitelist has no entry for our coturn host), "unsupported certificate" (ours lacks client auth). ${VERIFY_FOR_DETAILS} --coturn-cert --coturn-key: peer[${PEER_LABEL}].calling.accepts-us gives the exact entry to ask for.`,
      },
    },
    {
      alert: 'WireFederationPeerCoturnBroken',
      expr: `${checkStatusIs(`check=~"${PEER_COTURN_PATTERN}",peer!="",`, 'fail')} unless on() ${ourCoturnBrokenExpr()}`,
      for: '15m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `${PEER_LABEL}'s coturn fails ${CHECK_LABEL}: calls with ${PEER_LABEL} fail`,
        description: `calling.dtls: nothing answers at ${PEER_LABEL}'s coturn federation port (its calling endpoints, a firewall); calling.chain: its coturn certificate is not signed by a CA we trust for it; calling.whitelist: our whitelist entry for it does not match its certificate (peers[].calling.coturnHost, issuerCommonName). ${VERIFY_FOR_DETAILS} (docs/verify-calling.md).`,
      },
    },
  ],
});

/** Regex of a peer's coturn checks that {@link PEER_CALLING_CHECKS}' broken alert covers (accepts-us has its own). */
const PEER_COTURN_PATTERN = groupedIdsPattern(PEER_CALLING_CHECKS.checks.map((c) => c.id).filter((id) => id !== 'calling.accepts-us'));

/** Our coturn's alert, whose firing explains the per-peer calling alerts (a second inhibition rule). */
export const OUR_CALLING_ALERTS: readonly string[] = ['WireFederationOurCoturnBroken'];
/** The per-peer calling alerts. */
export const PEER_CALLING_ALERTS: readonly string[] = ['WireFederationPeerCoturnRefusesUs', 'WireFederationPeerCoturnBroken'];
