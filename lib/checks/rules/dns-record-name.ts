import { federatorSrvName, normalizeDnsName } from '../../core/names';
import { dnsRecordViews } from '../../dns/record-views';
import type { DnsProviderName } from '../../config/schema';
import type { FederationRule, Finding } from '../finding';

/** How each provider wants names written, for the fix. */
const NAME_FORMAT: Readonly<Record<DnsProviderName, string>> = {
  cloudflare: 'Cloudflare takes the fully qualified name without trailing dot',
  route53: 'Route 53 takes the fully qualified name (a name outside the zone gets the zone appended)',
  google: 'Cloud DNS takes the fully qualified name with trailing dot',
  azure: 'Azure DNS takes the name relative to zone_name ("@" for the apex)',
  rfc2136: 'RFC 2136 updates take the name relative to the zone (the zone with trailing dot)',
};

/**
 * The federation records are created under the names peers look up, in each provider's name
 * format: `_wire-server-federator._tcp.<backend domain>` (SRV, target the federator domain) and
 * the federator domain (A/AAAA), and the coturn host of federated calling (A/AAAA). A name in another provider's format creates a record nobody
 * looks up (e.g. a fully qualified name where the provider appends the zone).
 */
export const dnsRecordName: FederationRule = {
  id: 'dns-record-name',
  description:
    'federation DNS records have the names peers look up, in the format of their provider (trailing dot, relative or fully qualified: docs/dns-providers.md), and the SRV target is the federator domain',
  configOnly: false,
  check: ({ config, resources }) =>
    dnsRecordViews(resources)
      .filter((r) => ['SRV', 'A', 'AAAA'].includes(r.recordType))
      .flatMap((r): Finding[] => {
        const findings: Finding[] = r.formatProblems.map((p) => ({
          level: 'error',
          rule: 'dns-record-name',
          message: `${r.path}: ${r.recordType} record: ${p}`,
        }));
        // The coturn host's records (federated calling) live under the Calling construct.
        const coturnHost = r.path.includes('/Calling/') ? config.calling.coturn?.host : undefined;
        const expected = r.recordType === 'SRV' ? federatorSrvName(config.backendDomain) : (coturnHost ?? config.federatorDomain);
        if (r.fqdn !== undefined && r.fqdn !== normalizeDnsName(expected)) {
          findings.push({
            level: 'error',
            rule: 'dns-record-name',
            message: `${r.path}: ${r.recordType} record ${JSON.stringify(r.name)} would be created as ${r.fqdn}, but peers look up ${expected}. ${NAME_FORMAT[r.provider]}.`,
          });
        }
        for (const { target } of r.srv) {
          if (typeof target !== 'string' || target.includes('${') || normalizeDnsName(target) === config.federatorDomain) continue;
          findings.push({
            level: 'error',
            rule: 'dns-record-name',
            message: `${r.path}: SRV target ${target} is not the federator domain ${config.federatorDomain}: peers would connect elsewhere`,
          });
        }
        return findings;
      }),
};
