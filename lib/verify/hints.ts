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

/** The DTLS probes need the openssl program (verify's calling checks). */
export const CALLING_OPENSSL_HINT =
  'the DTLS checks run `openssl s_client -dtls1_2`: install openssl (Debian: apt-get install openssl), or name the program with WIRE_FEDERATION_OPENSSL';

/** No DTLS server answers at our coturn's federation port. */
export const ownCoturnUnreachableHint = (port: number): string =>
  `peers' coturn servers reach ours over UDP ${port}: check that coturn runs with federation (federate.enabled, federate.port ${port}, federate.dtls.enabled), that coturnFederationListeningIP is an address of the node, and that firewalls let UDP ${port} in from the peers' coturn addresses`;

/** Our coturn lets clients in without a certificate. */
export const ownCoturnMutualHint = (): string =>
  "coturn verifies peers only when it has a CA file: give it the peers' CA bundle (coturn chart ca.cert or ca.secretRef; calling.enabled derives it from peers[].caCertificates) and a federation-remote-whitelist entry per peer";

/** Our coturn certificate expires (or expired). */
export const renewOwnCoturnCertificateHint = (): string =>
  'renew the coturn DTLS certificate: with the private CA of this project cdktf deploy re-issues it within pki.earlyRenewalHours; cert-manager renews its Certificate before expiry';

/** Nothing answers at a peer's coturn federation port. */
export const peerCoturnUnreachableHint = (peer: string, port: number): string =>
  `our coturn reaches ${peer}'s over UDP ${port}: check peers[].calling.publicIps and federationPort of ${peer} (its card), and ask its operator whether its coturn federation listener runs and its firewall lets our coturn addresses in`;

/** A peer's coturn certificate does not chain to the CAs we trust for it. */
export const peerCoturnChainHint = (peer: string): string =>
  `our coturn will refuse ${peer}'s coturn: add the CA that signed its coturn certificate to the peer's caCertificates (our coturn's CA bundle is built from them)`;

/** A peer's coturn refuses our coturn certificate (the alert it sent says which of the causes). */
export const peerCoturnRefusesUsHint = (peer: string): string =>
  `${peer}'s coturn must trust our CA (its coturn CA bundle) and whitelist our coturn host (federation-remote-whitelist): wire-federation verify --peers --coturn-cert … names the one missing from the alert coturn sent`;

/**
 * Who must add whom, and how: the partner that lacks the link adds the other with the other's
 * federation card (`wire-federation mesh`, lib/mesh). Also used with Prometheus template
 * expressions by the mesh's alert rule.
 */
export function missingLinkFix(
  from: string,
  to: string,
  ours?: { readonly domain: string; readonly exportCommand: string },
  cli: string = DEFAULT_CLI,
): string {
  const without = `(without this tool: add ${to} to brig's remotes, POST /i/federation/remotes)`;
  if (ours && to === ours.domain) {
    return `${from} must add us (${to}) to its federation remotes: send its operator our card (${ours.exportCommand} --contact <you> --out card.yaml); they run ${cli} card add <their environment> card.yaml and deploy ${without}`;
  }
  return `${from} must add ${to} to its federation remotes: ${to}'s operator sends its card (${cli} card export), ${from}'s operator runs ${cli} card add <their environment> <card of ${to}> and deploys ${without}`;
}
