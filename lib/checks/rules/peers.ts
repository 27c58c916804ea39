/**
 * Rules on the peer list: they need only the config.
 */
import type { FederationRule, Finding } from '../finding';

const error = (rule: string, message: string): Finding => ({ level: 'error', rule, message });

/** A peer listed twice: brig keeps one entry, and which settings win is unclear. */
export const duplicatePeers: FederationRule = {
  id: 'duplicate-peers',
  description: 'every peer is listed once (also counting another case or a trailing dot)',
  configOnly: true,
  check: ({ config }) => {
    const seen = new Map<string, number>();
    const findings: Finding[] = [];
    config.peers.forEach((p, i) => {
      const first = seen.get(p.domain);
      if (first !== undefined)
        findings.push(error('duplicate-peers', `peers[${i}].domain: ${p.domain} is already listed at peers[${first}]; merge the two entries.`));
      else seen.set(p.domain, i);
    });
    return findings;
  },
};

/** Our own domains are not peers. */
export const peerIsSelf: FederationRule = {
  id: 'peer-is-self',
  description: 'no peer has our backend or federator domain',
  configOnly: true,
  check: ({ config }) =>
    config.peers.flatMap((p, i) =>
      p.domain === config.backendDomain || p.domain === config.federatorDomain
        ? [
            error(
              'peer-is-self',
              `peers[${i}].domain: ${p.domain} is this backend's own ${p.domain === config.backendDomain ? 'backend' : 'federator'} domain; a backend does not federate with itself. Remove the peer.`,
            ),
          ]
        : [],
    ),
};

/**
 * A peer needs a CA whatever `federation.useSystemCaStore` says: the system store serves only
 * the federator's OUTGOING calls (the peer's server certificate). Incoming client certificates
 * are checked by the ingress against our trust bundle alone (nginx-ingress-services
 * `secrets.tlsClientCA`; wire-ingress the `federator-ca` ConfigMap), so a peer without a CA
 * could reach nothing here: one-way federation.
 */
export const peerWithoutCa: FederationRule = {
  id: 'peer-without-ca',
  description:
    "every peer has a CA, whatever federation.useSystemCaStore says: the system store serves only the federator's outgoing calls, and the ingress checks incoming client certificates against our trust bundle alone, so a peer without one could never call us",
  configOnly: true,
  check: ({ config }) =>
    config.peers.flatMap((p, i) =>
      p.caCertificates.length === 0
        ? [
            error(
              'peer-without-ca',
              `peers[${i}].caCertificates: ${p.domain} has no CA certificate. Our ingress verifies the client certificates of incoming calls against the trust bundle only, never the system CA store (federation.useSystemCaStore covers the federator's outgoing calls), so ${p.domain} could never call us. Add the peer's CA certificate (file, pem or environment), also when it is a public CA.`,
            ),
          ]
        : [],
    ),
};

/** allowDynamic with no peers federates with nobody: likely a forgotten list. */
export const allowDynamicWithoutPeers: FederationRule = {
  id: 'allow-dynamic-without-peers',
  description: 'allowDynamic has at least one peer',
  level: 'warning',
  configOnly: true,
  check: ({ config }) =>
    config.federation.strategy === 'allowDynamic' && config.peers.length === 0
      ? [
          {
            level: 'warning',
            rule: 'allow-dynamic-without-peers',
            path: 'peers',
            message:
              'federation.strategy is allowDynamic but no peers are configured (received peers: []): this backend federates with nobody. Add peers, or use allowNone.',
          },
        ]
      : [],
};
