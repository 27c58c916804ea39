/**
 * The DNS seam: one records construct per DNS provider (`lib/dns/<provider>.ts`), behind one
 * interface, chosen by the config tag `dns.provider`, each described by its descriptor
 * (`lib/dns/descriptors/<provider>.ts`) in the registry (`lib/dns/registry.ts`). Each records
 * module imports its cdktf provider package by deep path and is loaded only when a config
 * selects it, so an environment on Cloudflare never loads (nor needs installed) the AWS,
 * Google, Azure or DNS packages.
 */
import type { Construct } from 'constructs';
import type { DnsProviderName, WireFederationConfig } from '../config';
import type { FederationDnsProvider, FederationDnsRecords } from './records';
import { DNS_PROVIDER_REGISTRY, dnsProviderDescriptor } from './registry';

export * from './records';

/** The npm package each provider needs, and the version this project is tested with. */
export const DNS_PROVIDER_PACKAGES: Readonly<Record<DnsProviderName, { readonly name: string; readonly version: string }>> = Object.fromEntries(
  Object.values(DNS_PROVIDER_REGISTRY).map((d) => [d.name, { name: d.package.name, version: d.package.version }]),
) as Record<DnsProviderName, { readonly name: string; readonly version: string }>;

/**
 * The provider for a config tag. Its package is an optional peer dependency: when it is not
 * installed, the error says which one to install.
 */
export function dnsProvider<P extends DnsProviderName>(name: P): FederationDnsProvider<P> {
  const descriptor = dnsProviderDescriptor(name) as ReturnType<typeof dnsProviderDescriptor<P>> | undefined;
  if (descriptor === undefined) throw new Error(`dns.provider must be one of ${Object.keys(DNS_PROVIDER_REGISTRY).join(', ')}, got: ${JSON.stringify(name)}`);
  try {
    return descriptor.load();
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
  return dnsProvider(config.dns.provider).addRecords(scope, id, config);
}

/** Adds the Terraform provider of `config.dns.provider` (and its credential variables) to a stack. */
export function configureDnsProvider(stack: Construct, config: WireFederationConfig): void {
  dnsProvider(config.dns.provider).configureStack(stack, config);
}
