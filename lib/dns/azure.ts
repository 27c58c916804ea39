/**
 * The federator's DNS records in Azure DNS. Its provider package (@cdktf/provider-azurerm) is an optional
 * peer dependency: install it to use this module; `WireFederation` loads it only for
 * `dns.provider: azure`.
 *
 * @module wire-federation-cdktf/dns/azure
 */
import { Construct } from 'constructs';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { DnsARecord } from '@cdktf/provider-azurerm/lib/dns-a-record';
import { DnsAaaaRecord } from '@cdktf/provider-azurerm/lib/dns-aaaa-record';
import { DnsSrvRecord } from '@cdktf/provider-azurerm/lib/dns-srv-record';
import { relativeDnsName } from '../core/names';
import {
  FederationDnsProvider,
  FederationDnsRecords,
  FederatorRecordsProps,
  HostDnsRecords,
  HostRecordsProps,
  recordsPropsOf,
  resolveRecords,
} from './records';

/** An Azure DNS zone. */
export interface AzureDnsZone {
  /** DNS name of the zone, e.g. example.com. */
  readonly name: string;
  /** Resource group that holds it. */
  readonly resourceGroup: string;
}

export interface AzureDnsRecordsProps extends FederatorRecordsProps {
  /** Zone of the backend domain (gets the SRV record). */
  readonly backendZone: AzureDnsZone;
  /** Zone of the federator domain (gets the A/AAAA records). @default - the backend zone */
  readonly infrastructureZone?: AzureDnsZone;
}

/** `name` relative to `zone` as Azure wants it (`@` for the apex); throws when it is outside. */
function azureName(construct: string, field: string, name: string, zone: AzureDnsZone): string {
  const relative = relativeDnsName(name, zone.name);
  if (relative === undefined) throw new Error(`${construct}: ${name} is not inside the zone ${zone.name} (${field}); give the zone that contains it`);
  return relative === '' ? '@' : relative;
}

/**
 * The federation records in Azure DNS. Azure addresses a record by its name RELATIVE to the zone
 * (`_wire-server-federator._tcp` in zone `example.com`, `@` for the apex); the SRV target is
 * fully qualified without trailing dot.
 */
export class AzureDnsRecords extends Construct implements FederationDnsRecords {
  public readonly srvRecord: DnsSrvRecord;
  public readonly aRecord: DnsARecord;
  public readonly aaaaRecord?: DnsAaaaRecord;
  public readonly srvName: string;

  constructor(scope: Construct, id: string, props: AzureDnsRecordsProps) {
    super(scope, id);
    const r = resolveRecords('AzureDnsRecords', props);
    const backend = props.backendZone;
    const infra = props.infrastructureZone ?? backend;
    this.srvName = r.srvName;
    this.srvRecord = new DnsSrvRecord(this, 'Srv', {
      name: azureName('AzureDnsRecords', 'backendZone', r.srvName, backend),
      zoneName: backend.name,
      resourceGroupName: backend.resourceGroup,
      ttl: r.ttl,
      record: [{ ...r.srv, target: r.federatorDomain }],
    });
    const federator = azureName('AzureDnsRecords', 'infrastructureZone', r.federatorDomain, infra);
    const common = { name: federator, zoneName: infra.name, resourceGroupName: infra.resourceGroup, ttl: r.ttl };
    this.aRecord = new DnsARecord(this, 'A', { ...common, records: [r.ipv4] });
    if (r.ipv6 !== undefined) this.aaaaRecord = new DnsAaaaRecord(this, 'Aaaa', { ...common, records: [r.ipv6] });
  }
}

export interface AzureHostRecordsProps extends HostRecordsProps {
  /** The host's zone. */
  readonly zone: AzureDnsZone;
}

/** The A/AAAA records of a host in Azure DNS (ids `A`, `Aaaa`; name relative to the zone). */
export class AzureHostRecords extends Construct implements HostDnsRecords {
  public readonly records: Array<DnsARecord | DnsAaaaRecord> = [];

  constructor(scope: Construct, id: string, props: AzureHostRecordsProps) {
    super(scope, id);
    const common = {
      name: azureName('AzureHostRecords', 'infrastructureZone', props.name, props.zone),
      zoneName: props.zone.name,
      resourceGroupName: props.zone.resourceGroup,
      ttl: props.ttl ?? 600,
    };
    if (props.ipv4?.length) this.records.push(new DnsARecord(this, 'A', { ...common, records: [...props.ipv4] }));
    if (props.ipv6?.length) this.records.push(new DnsAaaaRecord(this, 'Aaaa', { ...common, records: [...props.ipv6] }));
  }
}

/** Azure DNS: `dns.provider: azure`. Credentials: ARM_CLIENT_ID, ARM_CLIENT_SECRET, ARM_TENANT_ID (or az login). */
export const azureDns: FederationDnsProvider<'azure'> = {
  name: 'azure',
  configureStack(stack, config) {
    // The provider needs a `features {}` block; the subscription falls back to ARM_SUBSCRIPTION_ID.
    new AzurermProvider(stack, 'azurerm', { features: [{}], subscriptionId: config.dns.subscriptionId });
  },
  addRecords: (scope, id, config) =>
    new AzureDnsRecords(scope, id, {
      ...recordsPropsOf(config),
      backendZone: config.dns.backendZone,
      infrastructureZone: config.dns.infrastructureZone,
    }),
  addHostRecords: (scope, id, config, host) =>
    new AzureHostRecords(scope, id, { ...host, ttl: host.ttl ?? config.dns.ttl, zone: config.dns.infrastructureZone ?? config.dns.backendZone }),
};
