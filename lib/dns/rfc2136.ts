/**
 * The federator's DNS records in an RFC 2136 (dynamic update) DNS server. Its provider package (@cdktf/provider-dns) is an optional
 * peer dependency: install it to use this module; `WireFederation` loads it only for
 * `dns.provider: rfc2136`.
 *
 * @module wire-federation-cdktf/dns/rfc2136
 */
import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { AaaaRecordSet } from '@cdktf/provider-dns/lib/aaaa-record-set';
import { ARecordSet } from '@cdktf/provider-dns/lib/a-record-set';
import { DnsProvider } from '@cdktf/provider-dns/lib/provider';
import { SrvRecordSet } from '@cdktf/provider-dns/lib/srv-record-set';
import { relativeDnsName, withTrailingDot } from '../core/names';
import {
  FederationDnsProvider,
  FederationDnsRecords,
  FederatorRecordsProps,
  HostDnsRecords,
  HostRecordsProps,
  recordsPropsOf,
  resolveRecords,
} from './records';

export interface Rfc2136DnsRecordsProps extends FederatorRecordsProps {
  /** DNS name of the backend domain's zone (gets the SRV record), e.g. example.com. */
  readonly backendZone: string;
  /** DNS name of the federator domain's zone (gets the A/AAAA records). @default - the backend zone */
  readonly infrastructureZone?: string;
}

/** `name` relative to `zone`; throws when it is outside the zone. */
function relativeTo(field: string, name: string, zone: string): string {
  const relative = relativeDnsName(name, zone);
  if (relative === undefined) throw new Error(`Rfc2136DnsRecords: ${name} is not inside the zone ${zone} (${field}); give the zone that contains it`);
  return relative;
}

/**
 * The federation records on a DNS server that takes RFC 2136 dynamic updates (BIND, PowerDNS,
 * Knot, …), through the hashicorp/dns provider: the zone is fully qualified WITH trailing dot,
 * the record name is RELATIVE to the zone (left out for the apex), the SRV target fully qualified
 * with trailing dot.
 */
export class Rfc2136DnsRecords extends Construct implements FederationDnsRecords {
  public readonly srvRecord: SrvRecordSet;
  public readonly aRecord: ARecordSet;
  public readonly aaaaRecord?: AaaaRecordSet;
  public readonly srvName: string;

  constructor(scope: Construct, id: string, props: Rfc2136DnsRecordsProps) {
    super(scope, id);
    const r = resolveRecords('Rfc2136DnsRecords', props);
    const infraZone = props.infrastructureZone ?? props.backendZone;
    this.srvName = r.srvName;
    this.srvRecord = new SrvRecordSet(this, 'Srv', {
      zone: withTrailingDot(props.backendZone),
      name: relativeTo('backendZone', r.srvName, props.backendZone),
      ttl: r.ttl,
      srv: [{ ...r.srv, target: withTrailingDot(r.federatorDomain) }],
    });
    const name = relativeTo('infrastructureZone', r.federatorDomain, infraZone);
    const common = { zone: withTrailingDot(infraZone), ...(name === '' ? {} : { name }), ttl: r.ttl };
    this.aRecord = new ARecordSet(this, 'A', { ...common, addresses: [r.ipv4] });
    if (r.ipv6 !== undefined) this.aaaaRecord = new AaaaRecordSet(this, 'Aaaa', { ...common, addresses: [r.ipv6] });
  }
}

export interface Rfc2136HostRecordsProps extends HostRecordsProps {
  /** DNS name of the host's zone. */
  readonly zone: string;
}

/** The A/AAAA record sets of a host through RFC 2136 (ids `A`, `Aaaa`; name relative to the zone). */
export class Rfc2136HostRecords extends Construct implements HostDnsRecords {
  public readonly records: Array<ARecordSet | AaaaRecordSet> = [];

  constructor(scope: Construct, id: string, props: Rfc2136HostRecordsProps) {
    super(scope, id);
    const name = relativeTo('infrastructureZone', props.name, props.zone);
    const common = { zone: withTrailingDot(props.zone), ...(name === '' ? {} : { name }), ttl: props.ttl ?? 600 };
    if (props.ipv4?.length) this.records.push(new ARecordSet(this, 'A', { ...common, addresses: [...props.ipv4] }));
    if (props.ipv6?.length) this.records.push(new AaaaRecordSet(this, 'Aaaa', { ...common, addresses: [...props.ipv6] }));
  }
}

/**
 * RFC 2136: `dns.provider: rfc2136`. The TSIG secret enters as the sensitive variable
 * `dns_update_key_secret`, or the provider reads DNS_UPDATE_KEYSECRET when it is empty.
 */
export const rfc2136Dns: FederationDnsProvider<'rfc2136'> = {
  name: 'rfc2136',
  configureStack(stack, config) {
    const dns = config.dns;
    let keySecret: string | undefined;
    if (dns.keyName !== undefined) {
      const secret = new TerraformVariable(stack, 'dns_update_key_secret', {
        type: 'string',
        sensitive: true,
        default: '',
        description: `Base64 TSIG secret of key ${dns.keyName} (TF_VAR_dns_update_key_secret). Empty: the provider reads DNS_UPDATE_KEYSECRET.`,
      });
      const v = `var.${secret.friendlyUniqueId}`;
      keySecret = `\${${v} == "" ? null : ${v}}`;
    }
    new DnsProvider(stack, 'dns', {
      update: [
        {
          server: dns.server,
          port: dns.port,
          ...(dns.keyName !== undefined ? { keyName: withTrailingDot(dns.keyName), keyAlgorithm: dns.keyAlgorithm, keySecret } : {}),
        },
      ],
    });
  },
  addRecords: (scope, id, config) =>
    new Rfc2136DnsRecords(scope, id, {
      ...recordsPropsOf(config),
      backendZone: config.dns.backendZone,
      infrastructureZone: config.dns.infrastructureZone,
    }),
  addHostRecords: (scope, id, config, host) =>
    new Rfc2136HostRecords(scope, id, { ...host, ttl: host.ttl ?? config.dns.ttl, zone: config.dns.infrastructureZone ?? config.dns.backendZone }),
};
