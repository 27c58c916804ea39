/**
 * The federator's DNS records in Google Cloud DNS. Its provider package (@cdktf/provider-google) is an optional
 * peer dependency: install it to use this module; `WireFederation` loads it only for
 * `dns.provider: google`.
 *
 * @module wire-federation-cdktf/dns/google
 */
import { Construct } from 'constructs';
import { DnsRecordSet } from '@cdktf/provider-google/lib/dns-record-set';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { withTrailingDot } from '../core/names';
import {
  FederationDnsProvider,
  FederationDnsRecords,
  FederatorRecordsProps,
  HostDnsRecords,
  HostRecordsProps,
  recordsPropsOf,
  resolveRecords,
} from './records';

export interface GoogleDnsRecordsProps extends FederatorRecordsProps {
  /** Cloud DNS managed zone (its resource name, not its DNS name) of the backend domain. */
  readonly backendZone: string;
  /** Managed zone of the federator domain. @default - the backend zone */
  readonly infrastructureZone?: string;
  /** Google Cloud project of the zones. @default - the provider's project */
  readonly project?: string;
}

/**
 * The federation records in Google Cloud DNS. Cloud DNS wants fully qualified names WITH the
 * trailing dot, for record names and for the SRV target in `rrdatas`
 * (`priority weight port target.`).
 */
export class GoogleDnsRecords extends Construct implements FederationDnsRecords {
  public readonly srvRecord: DnsRecordSet;
  public readonly aRecord: DnsRecordSet;
  public readonly aaaaRecord?: DnsRecordSet;
  public readonly srvName: string;

  constructor(scope: Construct, id: string, props: GoogleDnsRecordsProps) {
    super(scope, id);
    const r = resolveRecords('GoogleDnsRecords', props);
    const infraZone = props.infrastructureZone ?? props.backendZone;
    const project = props.project;
    this.srvName = r.srvName;
    const { priority, weight, port } = r.srv;
    this.srvRecord = new DnsRecordSet(this, 'Srv', {
      project,
      managedZone: props.backendZone,
      name: withTrailingDot(r.srvName),
      type: 'SRV',
      ttl: r.ttl,
      rrdatas: [`${priority} ${weight} ${port} ${withTrailingDot(r.federatorDomain)}`],
    });
    const federator = withTrailingDot(r.federatorDomain);
    this.aRecord = new DnsRecordSet(this, 'A', { project, managedZone: infraZone, name: federator, type: 'A', ttl: r.ttl, rrdatas: [r.ipv4] });
    if (r.ipv6 !== undefined) {
      this.aaaaRecord = new DnsRecordSet(this, 'Aaaa', { project, managedZone: infraZone, name: federator, type: 'AAAA', ttl: r.ttl, rrdatas: [r.ipv6] });
    }
  }
}

export interface GoogleHostRecordsProps extends HostRecordsProps {
  /** Managed zone (resource name) of the host's zone. */
  readonly managedZone: string;
  /** Google Cloud project of the zone. @default - the provider's project */
  readonly project?: string;
}

/** The A/AAAA record sets of a host in Cloud DNS (ids `A`, `Aaaa`; names with trailing dot). */
export class GoogleHostRecords extends Construct implements HostDnsRecords {
  public readonly records: DnsRecordSet[] = [];

  constructor(scope: Construct, id: string, props: GoogleHostRecordsProps) {
    super(scope, id);
    const common = { project: props.project, managedZone: props.managedZone, name: withTrailingDot(props.name), ttl: props.ttl ?? 600 };
    if (props.ipv4?.length) this.records.push(new DnsRecordSet(this, 'A', { ...common, type: 'A', rrdatas: [...props.ipv4] }));
    if (props.ipv6?.length) this.records.push(new DnsRecordSet(this, 'Aaaa', { ...common, type: 'AAAA', rrdatas: [...props.ipv6] }));
  }
}

/** Google Cloud DNS: `dns.provider: google`. Credentials: GOOGLE_CREDENTIALS or GOOGLE_APPLICATION_CREDENTIALS. */
export const googleDns: FederationDnsProvider<'google'> = {
  name: 'google',
  configureStack(stack, config) {
    new GoogleProvider(stack, 'google', { project: config.dns.project });
  },
  addRecords: (scope, id, config) =>
    new GoogleDnsRecords(scope, id, {
      ...recordsPropsOf(config),
      backendZone: config.dns.backendZone,
      infrastructureZone: config.dns.infrastructureZone,
    }),
  addHostRecords: (scope, id, config, host) =>
    new GoogleHostRecords(scope, id, { ...host, ttl: host.ttl ?? config.dns.ttl, managedZone: config.dns.infrastructureZone ?? config.dns.backendZone }),
};
