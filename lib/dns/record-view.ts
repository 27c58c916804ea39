/**
 * The shape every provider's record views share (a DNS record resource read from synthesized
 * attributes), and the helpers the descriptors' readers use. Pure: no cdktf, no provider package.
 */
import type { DnsProviderName } from '../config/schema';
import { normalizeDnsName } from '../core/names';

/** A DNS record resource as the rules see it (see `lib/checks/model.ts`). */
export interface DnsResourceInput {
  readonly path: string;
  readonly type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized JSON, read field by field
  readonly attributes: { readonly [key: string]: any };
}

export interface SrvData {
  readonly priority?: number;
  readonly weight?: number;
  readonly port?: number;
  /** As written (maybe with trailing dot). */
  readonly target?: string;
}

export interface DnsRecordView {
  /** Construct path of the resource. */
  readonly path: string;
  readonly provider: DnsProviderName;
  /** Terraform resource type. */
  readonly resourceType: string;
  /** Record type: SRV, A, AAAA (or another type the resource holds). */
  readonly recordType: string;
  /** The name as written in the resource. */
  readonly name: string;
  /**
   * The owner name the provider will create (lowercase, no trailing dot), or undefined when a
   * part of it is known only at apply time.
   */
  readonly fqdn?: string;
  /** The SRV values of an SRV record (usually one); empty for other types. */
  readonly srv: readonly SrvData[];
  /** Only Cloudflare can proxy a record. */
  readonly proxied?: boolean;
  /** Where the name or the target is not in the form the provider wants. */
  readonly formatProblems: readonly string[];
}

export const isToken = (v: unknown): boolean => typeof v === 'string' && v.includes('${');
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** `priority weight port target` (Route 53 `records`, Cloud DNS `rrdatas`). */
export function parseSrvText(text: unknown): SrvData | undefined {
  if (typeof text !== 'string') return undefined;
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 4) return undefined;
  const [priority, weight, port] = parts.slice(0, 3).map(Number);
  return { priority, weight, port, target: parts[3] };
}

/** SRV targets known at synth that lack the trailing dot. */
export function unqualifiedTargets(srv: readonly SrvData[]): string[] {
  return srv.flatMap((v) => (typeof v.target === 'string' && !isToken(v.target) && !v.target.endsWith('.') ? [v.target] : []));
}

/** name + "." + zone, as providers with zone-relative names build the owner name. */
export function joinZone(name: string, zone: string): string | undefined {
  if (isToken(name) || isToken(zone)) return undefined;
  const z = normalizeDnsName(zone);
  return name === '' || name === '@' ? z : `${normalizeDnsName(name)}.${z}`;
}

/** Reads one record resource of a provider into a view (path and resource type are added by the caller). */
export type RecordViewReader<P extends DnsProviderName = DnsProviderName> = (
  r: DnsResourceInput,
) => Omit<DnsRecordView, 'path' | 'resourceType'> & { readonly provider: P };
