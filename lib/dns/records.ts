/**
 * What every DNS provider's records construct shares: the props, the resolved values, the
 * records interface and the provider interface (Terraform provider + records construct).
 * Imported by the construct modules (`lib/dns/<provider>.ts`) and the descriptors; imports
 * neither the registry nor any provider package.
 */
import type { TerraformResource } from 'cdktf';
import type { Construct, IConstruct } from 'constructs';
import type { DnsConfig, DnsProviderName, WireFederationConfig } from '../config';
import { federatorSrvName, stripTrailingDot } from '../core/names';

/** The value of the federation SRV record (the target is the federator domain). */
export interface SrvRecordValue {
  /** @default 0 */
  readonly priority?: number;
  /** Must be > 0: RFC 2782 ranks a weight-0 record last. @default 10 */
  readonly weight?: number;
  /** @default 443 */
  readonly port?: number;
}

/** What every provider's records construct takes besides its zones. */
export interface FederatorRecordsProps {
  /** The backend ("federation") domain; the SRV record is `_wire-server-federator._tcp.<backendDomain>`. */
  readonly backendDomain: string;
  /** The federator infrastructure domain: SRV target and A/AAAA name. */
  readonly federatorDomain: string;
  /** IPv4 address of the ingress that serves the federator. */
  readonly ipv4: string;
  /** IPv6 address of the ingress. @default - no AAAA record */
  readonly ipv6?: string;
  /** TTL in seconds. @default 600 */
  readonly ttl?: number;
  /** SRV priority, weight and port. @default {priority: 0, weight: 10, port: 443} */
  readonly srv?: SrvRecordValue;
}

/** The records construct of a provider: what the rest of the project reads of it. */
export interface FederationDnsRecords extends IConstruct {
  /** Name of the SRV record (fully qualified, without trailing dot). */
  readonly srvName: string;
  readonly srvRecord: TerraformResource;
  readonly aRecord: TerraformResource;
  /** Only with an IPv6 address. */
  readonly aaaaRecord?: TerraformResource;
}

/** {@link FederatorRecordsProps} checked, defaults applied, names without trailing dot. */
export interface ResolvedRecords {
  readonly backendDomain: string;
  readonly federatorDomain: string;
  readonly srvName: string;
  readonly ttl: number;
  readonly srv: Required<SrvRecordValue>;
  readonly ipv4: string;
  readonly ipv6?: string;
}

/** Checks the SRV values and applies the defaults; throws naming the construct and the value. */
export function resolveRecords(construct: string, props: FederatorRecordsProps): ResolvedRecords {
  const priority = props.srv?.priority ?? 0;
  const weight = props.srv?.weight ?? 10;
  const port = props.srv?.port ?? 443;
  if (!Number.isInteger(weight) || weight < 1 || weight > 65535) {
    throw new Error(`${construct}: srv.weight must be between 1 and 65535 (0 ranks the record last, RFC 2782), got: ${weight}`);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${construct}: srv.port must be between 1 and 65535, got: ${port}`);
  }
  if (!Number.isInteger(priority) || priority < 0 || priority > 65535) {
    throw new Error(`${construct}: srv.priority must be between 0 and 65535, got: ${priority}`);
  }
  const backendDomain = stripTrailingDot(props.backendDomain);
  return {
    backendDomain,
    federatorDomain: stripTrailingDot(props.federatorDomain),
    srvName: federatorSrvName(backendDomain),
    ttl: props.ttl ?? 600,
    srv: { priority, weight, port },
    ipv4: props.ipv4,
    ipv6: props.ipv6,
  };
}

/** The records props every provider takes, from a parsed config. */
export function recordsPropsOf(config: WireFederationConfig): FederatorRecordsProps {
  return {
    backendDomain: config.backendDomain,
    federatorDomain: config.federatorDomain,
    ipv4: config.ingress.ipv4,
    ipv6: config.ingress.ipv6,
    ttl: config.dns.ttl,
    srv: config.dns.srv,
  };
}

/** A config whose `dns` is the settings of provider `P`. */
export type ConfigWithDns<P extends DnsProviderName> = WireFederationConfig & { readonly dns: Extract<DnsConfig, { provider: P }> };

/** One DNS provider: its Terraform provider and its records construct. */
export interface FederationDnsProvider<P extends DnsProviderName = DnsProviderName> {
  readonly name: P;
  /**
   * Adds the Terraform provider and the sensitive variables of its credentials to a stack.
   * Their ids are Terraform addresses: never rename them.
   */
  configureStack(stack: Construct, config: ConfigWithDns<P>): void;
  /** Adds the SRV and A/AAAA records of `config`. */
  addRecords(scope: Construct, id: string, config: ConfigWithDns<P>): FederationDnsRecords;
  /** Adds the A/AAAA records of another host in the infrastructure zone of `config` (e.g. coturn's). */
  addHostRecords(scope: Construct, id: string, config: ConfigWithDns<P>, host: HostRecordsProps): HostDnsRecords;
}

/**
 * A host name with its addresses (A/AAAA records) in the infrastructure zone, besides the
 * federator's: e.g. the coturn host of federated calling.
 */
export interface HostRecordsProps {
  /** The host name, fully qualified (without trailing dot). */
  readonly name: string;
  /** Its IPv4 addresses (one A record set). @default - none */
  readonly ipv4?: readonly string[];
  /** Its IPv6 addresses (one AAAA record set). @default - none */
  readonly ipv6?: readonly string[];
  /** TTL in seconds. @default 600 */
  readonly ttl?: number;
  /** What the records are for, where the provider keeps a comment. @default - none */
  readonly comment?: string;
}

/** The A/AAAA records of a host, as made by a provider. */
export interface HostDnsRecords extends IConstruct {
  /** The records (one per address where the provider keeps one address per record). */
  readonly records: readonly TerraformResource[];
}
