import { Construct } from 'constructs';
import { DnsRecord } from '@cdktf/provider-cloudflare/lib/dns-record';
import { federatorSrvName, stripTrailingDot } from './names';

export { FEDERATOR_SRV_PREFIX } from './names';

/** The value of the federation SRV record (the target is the federator domain). */
export interface SrvRecordValue {
  /** @default 0 */
  readonly priority?: number;
  /** Must be > 0: peers never connect to weight 0. @default 10 */
  readonly weight?: number;
  /** @default 443 */
  readonly port?: number;
}

export interface FederatorDnsRecordsProps {
  /** The backend ("federation") domain; the SRV record is `_wire-server-federator._tcp.<backendDomain>`. */
  readonly backendDomain: string;
  /** The federator infrastructure domain: SRV target and A/AAAA name. */
  readonly federatorDomain: string;
  /** Cloudflare zone id of the backend domain's zone (gets the SRV record). */
  readonly backendZoneId: string;
  /**
   * Cloudflare zone id of the federator domain's zone (gets the A/AAAA records).
   * @default - the backend zone
   */
  readonly infrastructureZoneId?: string;
  /** IPv4 address of the ingress that serves the federator. */
  readonly ipv4: string;
  /** IPv6 address of the ingress. @default - no AAAA record */
  readonly ipv6?: string;
  /** TTL in seconds; 1 = automatic. @default 600 */
  readonly ttl?: number;
  /** SRV priority, weight and port. @default {priority: 0, weight: 10, port: 443} */
  readonly srv?: SrvRecordValue;
}

/**
 * The DNS records that let peers find this backend's federator: the SRV record in the backend
 * domain's zone and A/AAAA records in the infrastructure domain's zone. Never proxied: a CDN
 * proxy terminates TLS and the peer's client certificate never reaches the ingress.
 */
export class FederatorDnsRecords extends Construct {
  public readonly srvRecord: DnsRecord;
  public readonly aRecord: DnsRecord;
  public readonly aaaaRecord?: DnsRecord;
  /** Name of the SRV record, without trailing dot. */
  public readonly srvName: string;

  constructor(scope: Construct, id: string, props: FederatorDnsRecordsProps) {
    super(scope, id);
    const backendDomain = stripTrailingDot(props.backendDomain);
    const federatorDomain = stripTrailingDot(props.federatorDomain);
    const ttl = props.ttl ?? 600;
    const priority = props.srv?.priority ?? 0;
    const weight = props.srv?.weight ?? 10;
    const port = props.srv?.port ?? 443;
    if (!Number.isInteger(weight) || weight < 1 || weight > 65535) {
      throw new Error(`FederatorDnsRecords: srv.weight must be between 1 and 65535 (0 means peers never connect), got: ${weight}`);
    }
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`FederatorDnsRecords: srv.port must be between 1 and 65535, got: ${port}`);
    }
    if (!Number.isInteger(priority) || priority < 0 || priority > 65535) {
      throw new Error(`FederatorDnsRecords: srv.priority must be between 0 and 65535, got: ${priority}`);
    }
    const infraZone = props.infrastructureZoneId ?? props.backendZoneId;

    this.srvName = federatorSrvName(backendDomain);
    this.srvRecord = new DnsRecord(this, 'Srv', {
      zoneId: props.backendZoneId,
      name: this.srvName,
      type: 'SRV',
      ttl,
      // Cloudflare reports the top-level priority back: set it, or every plan shows a change.
      priority,
      data: { priority, weight, port, target: federatorDomain },
      proxied: false,
      comment: 'Wire federation: peers discover the federator here',
    });
    this.aRecord = new DnsRecord(this, 'A', {
      zoneId: infraZone,
      name: federatorDomain,
      type: 'A',
      ttl,
      content: props.ipv4,
      proxied: false,
      comment: 'Wire federation: federator ingress (DNS only, mutual TLS)',
    });
    if (props.ipv6 !== undefined) {
      this.aaaaRecord = new DnsRecord(this, 'Aaaa', {
        zoneId: infraZone,
        name: federatorDomain,
        type: 'AAAA',
        ttl,
        content: props.ipv6,
        proxied: false,
        comment: 'Wire federation: federator ingress (DNS only, mutual TLS)',
      });
    }
  }
}
