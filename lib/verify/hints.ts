/**
 * The fixes `wire-federation verify` proposes, as functions of the names they mention. The
 * checks build their hints here, and the alert rules of the exporter (`lib/monitoring/alert-rules.ts`)
 * call the same functions with Prometheus template expressions (`{{ $labels.peer }}`), so an
 * alert says the cause and the fix in the words of `verify`. Pure strings, no network.
 */
import { DEFAULT_CLI } from '../config/command-hint';

/** A DNS lookup that failed (timeout, SERVFAIL, refused). */
export const DNS_SERVER_HINT = 'check that the DNS server answers (--dns-server to ask another one)';

/** Our SRV record is missing. */
export const missingSrvHint = (srvName: string, wanted: string, backendDomain: string): string =>
  `peers can not find the federator; create "SRV ${srvName} ${wanted}" in the DNS zone of ${backendDomain} (cdktf deploy creates it)`;

/** Our SRV record points elsewhere. */
export const srvTargetHint = (federatorDomain: string): string =>
  `point the SRV record at ${federatorDomain} (config federatorDomain), or fix federatorDomain in the config`;

/** Our A/AAAA record does not point at the ingress. */
export const addressRecordHint = (type: string, address: string): string =>
  `point the ${type} record at the ingress address ${address}; if the address belongs to a CDN proxy, switch proxying off (a proxy terminates TLS and peers' client certificates never reach the ingress)`;

/** Our federator certificate expires (or expired). */
export const renewOwnCertificateHint = (secretName: string): string =>
  `renew it: cert-manager renews ${secretName} before expiry (check its Certificate resource); with the private CA of this project, cdktf deploy re-issues it within pki.earlyRenewalHours`;

/** A peer's federator certificate expires (or expired). */
export const renewPeerCertificateHint = (peer: string): string => `ask the operator of ${peer} to renew their federator certificate`;

/** A peer has no SRV record. */
export const peerSrvHint = (peer: string): string =>
  `our federator can not find ${peer}: ask its operator to publish the SRV record, or check the peer's domain in the config`;

/** A peer refuses our client certificate. */
export const peerTrustsUsHint = (peer: string): string =>
  `${peer} must trust our CA: give its operator our CA certificate (stack output ca_certificate_pem) for their trust bundle (nginx-ingress-services secrets.tlsClientCA, or wire-server federator.remoteCAContents with wire-ingress)`;

/** A peer's certificate is not signed by a CA we trust for it. */
export const PEER_CHAIN_HINT = "our federator will refuse this peer: add the CA that signed its certificate to the peer's caCertificates";

/** No TLS handshake in time. */
export const TLS_TIMEOUT_HINT = 'is the ingress reachable from here, and does that port speak TLS? (firewall, load balancer, --timeout)';

/**
 * Who must add whom, and how: the partner that lacks the link adds the other with the other's
 * federation card (`wire-federation mesh`, lib/mesh). Also used with Prometheus template
 * expressions by the mesh's alert rule.
 */
export function missingLinkFix(from: string, to: string, ours?: { readonly domain: string; readonly exportCommand: string }, cli: string = DEFAULT_CLI): string {
  const without = `(without this tool: add ${to} to brig's remotes, POST /i/federation/remotes)`;
  if (ours && to === ours.domain) {
    return `${from} must add us (${to}) to its federation remotes: send its operator our card (${ours.exportCommand} --contact <you> --out card.yaml); they run ${cli} card add <their environment> card.yaml and deploy ${without}`;
  }
  return `${from} must add ${to} to its federation remotes: ${to}'s operator sends its card (${cli} card export), ${from}'s operator runs ${cli} card add <their environment> <card of ${to}> and deploys ${without}`;
}
