import type { FederationRule } from '../finding';

/**
 * Federation records must be "DNS only": a CDN proxy terminates TLS, and the peer's client
 * certificate never reaches the ingress.
 */
export const proxiedFederationRecord: FederationRule = {
  id: 'proxied-federation-record',
  description: 'SRV and federator A/AAAA records are not proxied by Cloudflare',
  configOnly: false,
  check: ({ resources }) =>
    resources
      .filter((r) => r.type === 'cloudflare_dns_record' && ['SRV', 'A', 'AAAA'].includes(r.attributes.type) && r.attributes.proxied === true)
      .map((r) => ({
        level: 'error',
        rule: 'proxied-federation-record',
        message: `${r.path}: ${r.attributes.type} record ${r.attributes.name} is proxied; a proxy terminates TLS and peers' client certificates never reach the federator. Set proxied to false ("DNS only").`,
      })),
};
