import { dnsRecordViews } from '../../dns/record-views';
import type { FederationRule } from '../finding';

/**
 * Federation records must be "DNS only": a CDN proxy terminates TLS, and the peer's client
 * certificate never reaches the ingress. Proxying exists only on Cloudflare; the records of the
 * other providers (`lib/dns/record-views.ts`) have no such switch.
 */
export const proxiedFederationRecord: FederationRule = {
  id: 'proxied-federation-record',
  description: 'SRV and federator A/AAAA records are not proxied by Cloudflare',
  configOnly: false,
  check: ({ resources }) =>
    dnsRecordViews(resources)
      .filter((r) => ['SRV', 'A', 'AAAA'].includes(r.recordType) && r.proxied === true)
      .map((r) => ({
        level: 'error',
        rule: 'proxied-federation-record',
        message: `${r.path}: ${r.recordType} record ${r.name} is proxied; a proxy terminates TLS and peers' client certificates never reach the federator. Set proxied to false ("DNS only").`,
      })),
};
