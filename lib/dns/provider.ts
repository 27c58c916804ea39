/**
 * The DNS seam: one records construct per DNS provider (`lib/dns/<provider>.ts`), behind one
 * interface, chosen by the config tag `dns.provider`. Each provider module imports its cdktf
 * provider package by deep path and is loaded only when a config selects it, so an environment
 * on Cloudflare never loads (nor needs installed) the AWS, Google, Azure or DNS packages.
 */
import type { TerraformResource } from 'cdktf';
import type { Construct, IConstruct } from 'constructs';
import type { DnsConfig, DnsProviderName, WireFederationConfig } from '../config';
import { federatorSrvName, stripTrailingDot } from './names';

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

/** The npm package each provider needs, and the version this project is tested with. */
export const DNS_PROVIDER_PACKAGES: Readonly<Record<DnsProviderName, { readonly name: string; readonly version: string }>> = {
  cloudflare: { name: '@cdktf/provider-cloudflare', version: '13.9.1' },
  route53: { name: '@cdktf/provider-aws', version: '21.22.1' },
  google: { name: '@cdktf/provider-google', version: '16.12.1' },
  azure: { name: '@cdktf/provider-azurerm', version: '14.23.1' },
  rfc2136: { name: '@cdktf/provider-dns', version: '9.0.1' },
};

/* eslint-disable @typescript-eslint/no-require-imports */
/** Every provider, by config tag: adding one is one file and one line here. Loaded on first use. */
const DNS_PROVIDER_REGISTRY: { readonly [P in DnsProviderName]: () => FederationDnsProvider<P> } = {
  cloudflare: () => (require('./cloudflare') as typeof import('./cloudflare')).cloudflareDns,
  route53: () => (require('./route53') as typeof import('./route53')).route53Dns,
  google: () => (require('./google') as typeof import('./google')).googleDns,
  azure: () => (require('./azure') as typeof import('./azure')).azureDns,
  rfc2136: () => (require('./rfc2136') as typeof import('./rfc2136')).rfc2136Dns,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The provider for a config tag. Its package is an optional peer dependency: when it is not
 * installed, the error says which one to install.
 */
export function dnsProvider<P extends DnsProviderName>(name: P): FederationDnsProvider<P> {
  const load = DNS_PROVIDER_REGISTRY[name] as (() => FederationDnsProvider<P>) | undefined;
  if (load === undefined) throw new Error(`dns.provider must be one of ${Object.keys(DNS_PROVIDER_REGISTRY).join(', ')}, got: ${JSON.stringify(name)}`);
  try {
    return load();
  } catch (e) {
    throw missingPackageError(name, e) ?? e;
  }
}

/** The error for a provider package that is not installed, or undefined for any other error. */
export function missingPackageError(name: DnsProviderName, e: unknown): Error | undefined {
  const pkg = DNS_PROVIDER_PACKAGES[name];
  const err = e as { code?: string; message?: string };
  if (err?.code !== 'MODULE_NOT_FOUND' || !String(err.message).includes(pkg.name)) return undefined;
  return new Error(
    `dns.provider is ${name}, which needs the npm package ${pkg.name} (an optional peer dependency, not installed): run \`npm install --save-exact ${pkg.name}@${pkg.version}\``,
  );
}

/** Adds the records of `config` with the provider its `dns.provider` names. */
export function addFederatorDnsRecords(scope: Construct, id: string, config: WireFederationConfig): FederationDnsRecords {
  return dnsProvider(config.dns.provider).addRecords(scope, id, config as ConfigWithDns<typeof config.dns.provider>);
}

/** Adds the Terraform provider of `config.dns.provider` (and its credential variables) to a stack. */
export function configureDnsProvider(stack: Construct, config: WireFederationConfig): void {
  dnsProvider(config.dns.provider).configureStack(stack, config as ConfigWithDns<typeof config.dns.provider>);
}

/**
 * Adds the A/AAAA records of `host` in the infrastructure zone of `config`, with the provider its
 * `dns.provider` names: the one entry point for records besides the federator's.
 */
export function addHostDnsRecords(scope: Construct, id: string, config: WireFederationConfig, host: HostRecordsProps): HostDnsRecords {
  return dnsProvider(config.dns.provider).addHostRecords(scope, id, config as ConfigWithDns<typeof config.dns.provider>, host);
}
