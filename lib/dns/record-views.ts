/**
 * The federation DNS records of every provider, read from synthesized resource attributes
 * (snake_case, as the federation rules see them) into one shape: type, the owner name the
 * provider will create, the SRV value, and problems with the name format the provider wants.
 * Pure: no cdktf and no provider package is imported. The readers are the descriptors'
 * (`lib/dns/descriptors/<provider>.ts`).
 */
import type { DnsRecordView, DnsResourceInput, RecordViewReader } from './record-view';
import { DNS_PROVIDER_REGISTRY } from './registry';

export type { DnsRecordView, DnsResourceInput, SrvData } from './record-view';

/** Readers by Terraform resource type, from every descriptor's record views. */
const READERS: ReadonlyMap<string, RecordViewReader> = new Map(
  Object.values(DNS_PROVIDER_REGISTRY).flatMap((d) => Object.entries(d.recordViews as { [type: string]: RecordViewReader })),
);

/** Every DNS record resource among `resources`, of any provider, in one shape. */
export function dnsRecordViews(resources: readonly DnsResourceInput[]): DnsRecordView[] {
  return resources.flatMap((r) => {
    const read = READERS.get(r.type);
    return read ? [{ ...read(r), path: r.path, resourceType: r.type }] : [];
  });
}
