/**
 * The shape of a DNS provider's descriptor (`lib/dns/descriptors/<provider>.ts`): everything
 * the project knows of one provider, in one place. Every part is required (a part a provider
 * lacks is written as `null`), so a descriptor that forgets one does not compile, and the
 * registry (`lib/dns/registry.ts`) is typed by the config's `dns.provider` values, so a provider
 * in the schema without a descriptor does not compile either.
 *
 * A descriptor is pure data and functions: it imports no provider package. Its records
 * construct (`lib/dns/<provider>.ts`, which imports `@cdktf/provider-*` by deep path) is loaded
 * by {@link DnsProviderDescriptor.load} only when a config selects the provider.
 * Descriptors never import the registry.
 */
import type { DnsProviderName } from '../config/schema';
import type { CloudflareLookupOptions, DnsRecordKind, FoundRecord, WantedRecord } from './cloudflare-reader';
import type { ConfigWithDns, FederationDnsProvider } from './records';
import type { RecordViewReader } from './record-view';

/** The npm package of a provider's Terraform bindings: an optional peer dependency of ours. */
export interface DnsProviderPackage {
  /** The npm package name (`@cdktf/provider-aws`). */
  readonly name: string;
  /** The exact version this project is tested with (the peer dependency's lower bound). */
  readonly version: string;
  /**
   * The deep import paths the records construct uses (never the package root: a root loads
   * 50–100 MB of generated classes).
   */
  readonly deepImports: readonly string[];
  /**
   * The package subpath of ours that exports the records construct (`wire-federation-cdktf/dns/route53`).
   * @default - none: exported from the package root
   */
  readonly subpath: string | null;
}

/** How the provider wants record names written. */
export interface DnsRecordNameFormat {
  /**
   * `fqdn`: fully qualified, without trailing dot; `fqdn-dot`: fully qualified with trailing dot;
   * `zone-relative`: relative to the zone.
   */
  readonly name: 'fqdn' | 'fqdn-dot' | 'zone-relative';
  /** One line for the docs and reviewers. */
  readonly description: string;
}

/** One sensitive input of a provider's credentials. */
export interface DnsCredential {
  /**
   * The sensitive Terraform variable the stack declares for it (`TF_VAR_<variable>`), or null
   * when only the provider's own environment holds it.
   */
  readonly variable: string | null;
  /** The environment variables the provider reads when the variable is empty or absent. */
  readonly environment: readonly string[];
  /** When it is needed and what it grants. */
  readonly description: string;
}

/** The reader adopt and preflight use to find existing federator records through the provider's API. */
export interface DnsAdoptReader<P extends DnsProviderName = DnsProviderName> {
  /** The API base URL (overridable on the command line). */
  readonly apiBase: string;
  /** The environment variables that hold the API token (first set wins). */
  readonly tokenEnvironment: readonly string[];
  /** The federator records of a config, as the API names them. */
  wantedRecords(config: Pick<ConfigWithDns<P>, 'backendDomain' | 'federatorDomain' | 'dns'>): WantedRecord[];
  /** The existing records matching each wanted one. */
  lookupRecords(wanted: readonly WantedRecord[], options: CloudflareLookupOptions): Promise<Map<DnsRecordKind, FoundRecord[]>>;
}

/** Everything about one DNS provider (see the module comment). */
export interface DnsProviderDescriptor<P extends DnsProviderName = DnsProviderName> {
  /** The `dns.provider` value (its config shape is `ConfigWithDns<P>['dns']`, from lib/config/schema). */
  readonly name: P;
  /** The provider's name for people (`Amazon Route 53`). */
  readonly title: string;
  readonly package: DnsProviderPackage;
  readonly recordNames: DnsRecordNameFormat;
  /** Its sensitive inputs (empty when the provider's environment alone authenticates, as for AWS). */
  readonly credentials: readonly DnsCredential[];
  /**
   * Loads the records construct module (the Terraform provider with its credential variables,
   * and the records): a lazy `require`, so the provider package loads only when selected.
   */
  load(): FederationDnsProvider<P>;
  /**
   * Reads its record resources from synthesized attributes, by Terraform resource type: what the
   * federation rules (`dns-record-name`, `srv-*`, `proxied-federation-record`) see.
   */
  readonly recordViews: { readonly [resourceType: string]: RecordViewReader<P> };
  /** The reader of existing records for adopt and preflight, or null when there is none. */
  readonly adoptReader: DnsAdoptReader<P> | null;
}
