/**
 * Every DNS provider, by its `dns.provider` value: adding one is one descriptor file
 * (`descriptors/<provider>.ts`, with its records construct `<provider>.ts`) and one line here.
 * Typed by the config's provider names, so a provider in the schema without a descriptor, or a
 * descriptor under another name, does not compile. The registry imports the descriptors; no
 * descriptor imports the registry.
 */
import type { DnsProviderName } from '../config/schema';
import type { DnsProviderDescriptor } from './descriptor';
import { azureDescriptor } from './descriptors/azure';
import { cloudflareDescriptor } from './descriptors/cloudflare';
import { googleDescriptor } from './descriptors/google';
import { rfc2136Descriptor } from './descriptors/rfc2136';
import { route53Descriptor } from './descriptors/route53';

/** The descriptors, by config tag (in the order of the docs). */
export const DNS_PROVIDER_REGISTRY: { readonly [P in DnsProviderName]: DnsProviderDescriptor<P> } = {
  cloudflare: cloudflareDescriptor,
  route53: route53Descriptor,
  google: googleDescriptor,
  azure: azureDescriptor,
  rfc2136: rfc2136Descriptor,
};

/** The descriptor of a config tag, or undefined for a value that is no provider. */
export function dnsProviderDescriptor<P extends DnsProviderName>(name: P): DnsProviderDescriptor<P> {
  return (Object.prototype.hasOwnProperty.call(DNS_PROVIDER_REGISTRY, name) ? DNS_PROVIDER_REGISTRY[name] : undefined) as DnsProviderDescriptor<P>;
}

/** Every descriptor, in registry order. */
export function dnsProviderDescriptors(): DnsProviderDescriptor[] {
  return Object.values(DNS_PROVIDER_REGISTRY) as DnsProviderDescriptor[];
}
