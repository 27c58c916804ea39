import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { DnsRecord } from '@cdktf/provider-cloudflare/lib/dns-record';
import { CloudflareProvider } from '@cdktf/provider-cloudflare/lib/provider';
import {
  FederationDnsProvider,
  FederationDnsRecords,
  FederatorRecordsProps,
  HostDnsRecords,
  HostRecordsProps,
  recordsPropsOf,
  resolveRecords,
} from './records';

export type { SrvRecordValue } from './records';

export interface CloudflareDnsRecordsProps extends FederatorRecordsProps {
  /** Cloudflare zone id of the backend domain's zone (gets the SRV record). */
  readonly backendZoneId: string;
  /**
   * Cloudflare zone id of the federator domain's zone (gets the A/AAAA records).
   * @default - the backend zone
   */
  readonly infrastructureZoneId?: string;
  /** TTL in seconds; 1 = automatic. @default 600 */
  readonly ttl?: number;
}

/**
 * The DNS records that let peers find this backend's federator, in Cloudflare: the SRV record in
 * the backend domain's zone and A/AAAA records in the infrastructure domain's zone. Names are
 * fully qualified without trailing dot (as Cloudflare stores them). Never proxied: a CDN proxy
 * terminates TLS and the peer's client certificate never reaches the ingress.
 */
export class CloudflareDnsRecords extends Construct implements FederationDnsRecords {
  public readonly srvRecord: DnsRecord;
  public readonly aRecord: DnsRecord;
  public readonly aaaaRecord?: DnsRecord;
  /** Name of the SRV record, without trailing dot. */
  public readonly srvName: string;

  constructor(scope: Construct, id: string, props: CloudflareDnsRecordsProps) {
    super(scope, id);
    const r = resolveRecords('CloudflareDnsRecords', props);
    const { priority, weight, port } = r.srv;
    const infraZone = props.infrastructureZoneId ?? props.backendZoneId;

    // Construct ids below are Terraform state addresses (and adoption imports into them).
    this.srvName = r.srvName;
    this.srvRecord = new DnsRecord(this, 'Srv', {
      zoneId: props.backendZoneId,
      name: this.srvName,
      type: 'SRV',
      ttl: r.ttl,
      // Cloudflare reports the top-level priority back: set it, or every plan shows a change.
      priority,
      data: { priority, weight, port, target: r.federatorDomain },
      proxied: false,
      comment: 'Wire federation: peers discover the federator here',
    });
    this.aRecord = new DnsRecord(this, 'A', {
      zoneId: infraZone,
      name: r.federatorDomain,
      type: 'A',
      ttl: r.ttl,
      content: r.ipv4,
      proxied: false,
      comment: 'Wire federation: federator ingress (DNS only, mutual TLS)',
    });
    if (r.ipv6 !== undefined) {
      this.aaaaRecord = new DnsRecord(this, 'Aaaa', {
        zoneId: infraZone,
        name: r.federatorDomain,
        type: 'AAAA',
        ttl: r.ttl,
        content: r.ipv6,
        proxied: false,
        comment: 'Wire federation: federator ingress (DNS only, mutual TLS)',
      });
    }
  }
}

export interface CloudflareHostRecordsProps extends HostRecordsProps {
  /** Cloudflare zone id of the host's zone. */
  readonly zoneId: string;
}

/**
 * The A/AAAA records of a host in Cloudflare: one record per address (Cloudflare keeps one
 * address per record), never proxied. Ids: `A`, `A2`, … and `Aaaa`, `Aaaa2`, … by position.
 */
export class CloudflareHostRecords extends Construct implements HostDnsRecords {
  public readonly records: DnsRecord[] = [];

  constructor(scope: Construct, id: string, props: CloudflareHostRecordsProps) {
    super(scope, id);
    const add = (type: 'A' | 'AAAA', addresses: readonly string[]) =>
      addresses.forEach((content, i) => {
        const base = type === 'A' ? 'A' : 'Aaaa';
        this.records.push(
          new DnsRecord(this, i === 0 ? base : `${base}${i + 1}`, {
            zoneId: props.zoneId,
            name: props.name,
            type,
            ttl: props.ttl ?? 600,
            content,
            proxied: false,
            ...(props.comment !== undefined ? { comment: props.comment } : {}),
          }),
        );
      });
    add('A', props.ipv4 ?? []);
    add('AAAA', props.ipv6 ?? []);
  }
}

/** The Cloudflare records construct under its first name. */
export const FederatorDnsRecords = CloudflareDnsRecords;
export type FederatorDnsRecords = CloudflareDnsRecords;
export type FederatorDnsRecordsProps = CloudflareDnsRecordsProps;

/** Cloudflare: `dns.provider: cloudflare` (the default). */
export const cloudflareDns: FederationDnsProvider<'cloudflare'> = {
  name: 'cloudflare',
  configureStack(stack) {
    const cloudflareToken = new TerraformVariable(stack, 'cloudflare_api_token', {
      type: 'string',
      sensitive: true,
      default: '',
      description: 'Cloudflare API token with DNS edit on both zones (TF_VAR_cloudflare_api_token). Empty: the provider reads CLOUDFLARE_API_TOKEN.',
    });
    // An empty variable becomes null, so the provider falls back to CLOUDFLARE_API_TOKEN.
    // (Written out: cdktf's Op.eq renders falsy operands such as "" and 0 as `undefined`.)
    const token = `var.${cloudflareToken.friendlyUniqueId}`;
    new CloudflareProvider(stack, 'cloudflare', { apiToken: `\${${token} == "" ? null : ${token}}` });
  },
  addRecords: (scope, id, config) =>
    new CloudflareDnsRecords(scope, id, {
      ...recordsPropsOf(config),
      backendZoneId: config.dns.backendZoneId,
      infrastructureZoneId: config.dns.infrastructureZoneId,
    }),
  addHostRecords: (scope, id, config, host) =>
    new CloudflareHostRecords(scope, id, { ...host, ttl: host.ttl ?? config.dns.ttl, zoneId: config.dns.infrastructureZoneId }),
};
