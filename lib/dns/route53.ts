/**
 * The federator's DNS records in Amazon Route 53. Its provider package (@cdktf/provider-aws) is an optional
 * peer dependency: install it to use this module; `WireFederation` loads it only for
 * `dns.provider: route53`.
 *
 * @module wire-federation-cdktf/dns/route53
 */
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
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

export interface Route53DnsRecordsProps extends FederatorRecordsProps {
  /** Hosted zone id of the backend domain's zone (gets the SRV record). */
  readonly backendZoneId: string;
  /** Hosted zone id of the federator domain's zone (gets the A/AAAA records). @default - the backend zone */
  readonly infrastructureZoneId?: string;
}

/**
 * The federation records in Amazon Route 53: the SRV record in the backend domain's hosted zone,
 * A/AAAA in the infrastructure domain's hosted zone. Record names are fully qualified (Route 53
 * appends the zone to a name outside it; the AWS provider keeps names without trailing dot); the
 * SRV value is `priority weight port target.` with the target fully qualified.
 */
export class Route53DnsRecords extends Construct implements FederationDnsRecords {
  public readonly srvRecord: Route53Record;
  public readonly aRecord: Route53Record;
  public readonly aaaaRecord?: Route53Record;
  public readonly srvName: string;

  constructor(scope: Construct, id: string, props: Route53DnsRecordsProps) {
    super(scope, id);
    const r = resolveRecords('Route53DnsRecords', props);
    const infraZone = props.infrastructureZoneId ?? props.backendZoneId;
    this.srvName = r.srvName;
    const { priority, weight, port } = r.srv;
    this.srvRecord = new Route53Record(this, 'Srv', {
      zoneId: props.backendZoneId,
      name: r.srvName,
      type: 'SRV',
      ttl: r.ttl,
      records: [`${priority} ${weight} ${port} ${withTrailingDot(r.federatorDomain)}`],
    });
    this.aRecord = new Route53Record(this, 'A', { zoneId: infraZone, name: r.federatorDomain, type: 'A', ttl: r.ttl, records: [r.ipv4] });
    if (r.ipv6 !== undefined) {
      this.aaaaRecord = new Route53Record(this, 'Aaaa', { zoneId: infraZone, name: r.federatorDomain, type: 'AAAA', ttl: r.ttl, records: [r.ipv6] });
    }
  }
}

export interface Route53HostRecordsProps extends HostRecordsProps {
  /** Hosted zone id of the host's zone. */
  readonly zoneId: string;
}

/** The A/AAAA record sets of a host in Route 53 (ids `A`, `Aaaa`). */
export class Route53HostRecords extends Construct implements HostDnsRecords {
  public readonly records: Route53Record[] = [];

  constructor(scope: Construct, id: string, props: Route53HostRecordsProps) {
    super(scope, id);
    const ttl = props.ttl ?? 600;
    if (props.ipv4?.length)
      this.records.push(new Route53Record(this, 'A', { zoneId: props.zoneId, name: props.name, type: 'A', ttl, records: [...props.ipv4] }));
    if (props.ipv6?.length)
      this.records.push(new Route53Record(this, 'Aaaa', { zoneId: props.zoneId, name: props.name, type: 'AAAA', ttl, records: [...props.ipv6] }));
  }
}

/** Route 53: `dns.provider: route53`. Credentials come from the AWS provider's environment. */
export const route53Dns: FederationDnsProvider<'route53'> = {
  name: 'route53',
  configureStack(stack, config) {
    // Credentials: AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, or an instance role.
    new AwsProvider(stack, 'aws', { region: config.dns.region });
  },
  addRecords: (scope, id, config) =>
    new Route53DnsRecords(scope, id, {
      ...recordsPropsOf(config),
      backendZoneId: config.dns.backendZoneId,
      infrastructureZoneId: config.dns.infrastructureZoneId,
    }),
  addHostRecords: (scope, id, config, host) =>
    new Route53HostRecords(scope, id, { ...host, ttl: host.ttl ?? config.dns.ttl, zoneId: config.dns.infrastructureZoneId ?? config.dns.backendZoneId }),
};
