/**
 * Every check id `wire-federation verify` (and `check-pairs --live`) reports, with what it means.
 * The report's shorthands (`pass`, `fail`, `warn`) take only these ids, so a new check cannot be
 * left out of the list of checks (docs/reference/checks.md is generated from here).
 */

/** What one verify check means. */
export interface VerifyCheckDescription {
  /** One line: when the check passes. */
  readonly description: string;
  /** The usual fix when it fails. */
  readonly fix: string;
}

/** Checks of our own backend. */
export const VERIFY_CHECKS = {
  'dns.srv': { description: 'exactly one SRV record `_wire-server-federator._tcp.<backendDomain>`', fix: "create it in the backend domain's zone (`cdktf deploy` does)" },
  'dns.srv.target': { description: 'its target is `federatorDomain` (trailing dot ignored)', fix: 'point the record at the federator domain' },
  'dns.srv.port': { description: 'its port is `dns.srv.port` of the config', fix: 'peers connect to the port in the record: fix the record or the config' },
  'dns.srv.weight': { description: "its weight is above 0 (a warning otherwise: today's federator takes the first SRV answer and ignores weights, but RFC 2782 ranks weight 0 last)", fix: 'set weight > 0 (`dns.srv.weight`, default 10)' },
  'dns.a': { description: "the federator domain's A records are exactly `ingress.ipv4`", fix: 'fix the record; switch off CDN proxying' },
  'dns.aaaa': { description: "the federator domain's AAAA records are exactly `ingress.ipv6` (AAAA records without `ingress.ipv6`: a warning)", fix: 'fix the record, or set `ingress.ipv6`' },
  'tls.connect': { description: 'a TLS handshake with the SRV target and port, at the address DNS gave for the target, SNI = federator domain', fix: 'is the ingress reachable? firewall? load balancer?' },
  'tls.san': { description: "the certificate's SAN covers the federator domain (exactly or by a one-label wildcard)", fix: 'issue the certificate for the federator domain' },
  'tls.expiry': { description: 'the certificate has not expired (a warning under 30 days left)', fix: 'renew it (cert-manager renews before expiry; the private CA re-issues it at a deploy within `pki.earlyRenewalHours`)' },
  'tls.eku': { description: 'extended key usage has server auth AND client auth (the federator presents the same certificate as client certificate)', fix: 'public CAs stopped issuing client auth in 2026: use the private CA (`private-ca` or `cert-manager` mode)' },
  'tls.key': { description: 'the key is ECDSA P-256, P-384 or P-521, or RSA (a warning under 3072 bits); other curves (P-192, P-224) and Ed25519 fail', fix: 're-issue with P-256 (or RSA ≥ 3072)' },
  'tls.chain': { description: 'the chain verifies against `--ca` (or the system store)', fix: 'serve the full chain; pass the right `--ca` (stack output `ca_certificate_pem`)' },
  'mtls.required': { description: 'without a client certificate the ingress refuses (TLS alert, or HTTP 400 "No required SSL certificate was sent"); a warning with wire-ingress, whose listener validates a certificate only when one is presented', fix: '`federator.enabled` in nginx-ingress-services; no TLS-terminating proxy or CDN in front' },
  'mtls.client': { description: 'with `--client-cert`/`--client-key` the ingress accepts our own federator certificate (a warning when not given)', fix: "our CA must be in the ingress's client CA bundle (`secrets.tlsClientCA`; this project always puts it there)" },
  'calling.dtls.connect': { description: 'with `calling.enabled`: a DTLS 1.2 server answers at our coturn federation port (UDP `calling.coturn.federationPort`) on every address of `calling.coturn.publicIps`', fix: 'coturn with federation and DTLS on; coturnFederationListeningIP on the node; UDP open for the peers' },
  'calling.dtls.san': { description: "our coturn's DTLS certificate covers `calling.coturn.host`", fix: 'issue the coturn certificate for calling.coturn.host' },
  'calling.dtls.expiry': { description: "our coturn's DTLS certificate has not expired (a warning under 30 days left)", fix: 'renew it (the private CA re-issues it at a deploy; cert-manager renews it)' },
  'calling.dtls.eku': { description: "our coturn's DTLS certificate has server auth AND client auth (coturn presents it to peers as client certificate too)", fix: 'use the private CA (`private-ca` or `cert-manager` mode): public CAs stopped issuing client auth' },
  'calling.dtls.chain': { description: "our coturn's DTLS certificate verifies against `--ca` (or the system store)", fix: 'serve the coturn certificate issued by our CA; pass the right `--ca`' },
  'calling.dtls.mutual': { description: 'our coturn refuses a DTLS client without a certificate (mutual authentication: coturn verifies peers only with a CA file)', fix: "give coturn the peers' CA bundle (chart `ca.*`) and a whitelist entry per peer" },
  peers: { description: '`--peers` was given and the config lists peers (a warning otherwise)', fix: 'add peers to the config' },
} as const satisfies Record<string, VerifyCheckDescription>;

/** Checks of each peer, reported as `peer[<domain>].<check>`. */
export const PEER_CHECKS = {
  remote: { description: 'how we federate with the peer as configured: search policy and team restriction (always passes; informational)', fix: '—' },
  srv: { description: "the peer's SRV record resolves, and its target has an address", fix: "ask the peer's operator to publish the records" },
  'srv.weight': { description: "the peer's SRV weight is above 0 (a warning otherwise)", fix: "ask the peer's operator to set weight > 0" },
  tls: { description: "a TLS handshake with the peer's federator at its SRV target", fix: "ask the peer's operator (reachable? firewall?)" },
  san: { description: "the peer's certificate covers its SRV target", fix: "ask the peer's operator to serve a certificate for the SRV target" },
  expiry: { description: "the peer's certificate has not expired (a warning under 30 days left)", fix: "ask the peer's operator to renew it" },
  chain: { description: "the peer's certificate verifies against the CAs we trust for it: `caCertificates` files/PEMs, `--peer-ca`, and the system store when `federation.useSystemCaStore` (a CA from another environment's state without `--peer-ca`: a warning, not checkable offline)", fix: "add the peer's CA to its `caCertificates`" },
  'srv.target': { description: "the peer's SRV target is the federator domain its card names (`card check`)", fix: 'the partner fixes its SRV record, or sends a card with the right federator domain' },
  'srv.port': { description: "the peer's SRV port is the card's `federator.port` (`card check`)", fix: 'the partner fixes its SRV record, or sends a card with the right port' },
  'chain.depth': { description: "the peer's server certificate is at most the card's `federator.chainDepth` below its CA (`card check`)", fix: 'the partner serves the chain its card describes, or sends a card with the real depth' },
  versions: { description: "the federation API versions the peer answers are the card's `federationApiVersions` (a warning otherwise; `card check`)", fix: 'ask the partner for a card of its current release' },
  'accepts-us': { description: 'the peer accepts our client certificate, which proves it trusts our CA (a warning without `--client-cert`)', fix: 'give the peer our `ca_certificate_pem` for its client CA bundle' },
  'calling.dtls': { description: "with `calling.enabled`: a DTLS 1.2 server answers at the peer's coturn federation port (UDP, `peers[].calling.federationPort`) on every address of `peers[].calling.publicIps`", fix: "check the peer's calling endpoints (its card); ask its operator (listener running? firewall?)" },
  'calling.san': { description: "the peer's coturn certificate covers its `peers[].calling.coturnHost`", fix: "ask the peer's operator for a coturn certificate for that host, or fix coturnHost" },
  'calling.expiry': { description: "the peer's coturn certificate has not expired (a warning under 30 days left)", fix: "ask the peer's operator to renew it" },
  'calling.eku': { description: "the peer's coturn certificate has server auth AND client auth (our coturn verifies it in both roles)", fix: "ask the peer's operator to issue it from a private CA with both usages" },
  'calling.chain': { description: "the peer's coturn certificate verifies against the CAs we trust for the peer (our coturn's CA bundle)", fix: "add the peer's CA to its `caCertificates`" },
  'calling.whitelist': { description: "our whitelist entry for the peer (`peers[].calling.coturnHost`, `issuerCommonName`) matches its coturn certificate as coturn matches it: a DNS SAN (or the CN without SAN), wildcards in the certificate's first label, the issuer CN in the chain", fix: 'set coturnHost (and issuerCommonName) to what the certificate names' },
  'calling.accepts-us': { description: "the peer's coturn accepts our coturn certificate (mutual DTLS: its CA bundle trusts our CA, its whitelist names our coturn host; a warning without `--coturn-cert`)", fix: "the alert says which: `unknown ca` → give the peer our CA; `certificate unknown` → the peer adds our whitelist entry; `unsupported certificate` → our certificate needs client auth" },
  'federation.call': { description: "a real federated request to the peer (`POST /federation/brig/api-version`, as our federator makes it): the peer's federator accepts us and answers federation API versions that overlap with ours (a warning without `--client-cert`)", fix: 'the side named in the message acts: see the federator labels in docs/troubleshooting.md' },
} as const satisfies Record<string, VerifyCheckDescription>;

/** The check `check-pairs --live` reports per direction, as `live[<caller>→<callee>]`. */
export const LIVE_CHECK: VerifyCheckDescription = {
  description: "the federation call from the caller environment to the callee, as the caller's federator makes it",
  fix: 'the side named in the message acts (its config file is named)',
};

/** A check id of our backend, of a peer, or of a live pair call. */
export type VerifyCheckId = keyof typeof VERIFY_CHECKS | `peer[${string}].${keyof typeof PEER_CHECKS}` | `live[${string}]`;

/** The id of a peer's check. */
export const peerCheckId = (domain: string, check: keyof typeof PEER_CHECKS): VerifyCheckId => `peer[${domain}].${check}`;
