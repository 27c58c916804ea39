/**
 * The federation DNS records of every provider, read from synthesized resource attributes
 * (snake_case, as the federation rules see them) into one shape: type, the owner name the
 * provider will create, the SRV value, and problems with the name format the provider wants.
 * Pure: no cdktf and no provider package is imported.
 */
import type { DnsProviderName } from '../config/schema';
import { normalizeDnsName } from './names';

/** A DNS record resource as the rules see it (see `lib/checks/model.ts`). */
export interface DnsResourceInput {
  readonly path: string;
  readonly type: string;
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

const isToken = (v: unknown): boolean => typeof v === 'string' && v.includes('${');
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): any[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** `priority weight port target` (Route 53 `records`, Cloud DNS `rrdatas`). */
function parseSrvText(text: unknown): SrvData | undefined {
  if (typeof text !== 'string') return undefined;
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 4) return undefined;
  const [priority, weight, port] = parts.slice(0, 3).map(Number);
  return { priority, weight, port, target: parts[3] };
}

/** SRV targets known at synth that lack the trailing dot. */
function unqualifiedTargets(srv: readonly SrvData[]): string[] {
  return srv.flatMap((v) => (typeof v.target === 'string' && !isToken(v.target) && !v.target.endsWith('.') ? [v.target] : []));
}

/** name + "." + zone, as providers with zone-relative names build the owner name. */
function joinZone(name: string, zone: string): string | undefined {
  if (isToken(name) || isToken(zone)) return undefined;
  const z = normalizeDnsName(zone);
  return name === '' || name === '@' ? z : `${normalizeDnsName(name)}.${z}`;
}

type Reader = (r: DnsResourceInput) => Omit<DnsRecordView, 'path' | 'resourceType'>;

const cloudflare: Reader = ({ attributes: a }) => {
  const name = str(a.name);
  const formatProblems: string[] = [];
  if (name.endsWith('.')) formatProblems.push(`Cloudflare takes the name without trailing dot, got: ${name}`);
  return { provider: 'cloudflare', recordType: str(a.type), name, fqdn: isToken(name) ? undefined : normalizeDnsName(name), srv: str(a.type) === 'SRV' ? list(a.data) : [], proxied: a.proxied === true, formatProblems };
};

const route53: Reader = ({ attributes: a }) => {
  const name = str(a.name);
  const recordType = str(a.type);
  return {
    provider: 'route53',
    recordType,
    name,
    // Route 53 takes the full name; a name outside the zone gets the zone appended (a mismatch below).
    fqdn: isToken(name) ? undefined : normalizeDnsName(name),
    srv: recordType === 'SRV' ? list(a.records).flatMap((t) => parseSrvText(t) ?? []) : [],
    formatProblems: [],
  };
};

const google: Reader = ({ attributes: a }) => {
  const name = str(a.name);
  const recordType = str(a.type);
  const srv = recordType === 'SRV' ? list(a.rrdatas).flatMap((t) => parseSrvText(t) ?? []) : [];
  const formatProblems: string[] = [];
  if (!isToken(name) && !name.endsWith('.')) formatProblems.push(`Cloud DNS wants the fully qualified name with trailing dot, got: ${name}`);
  for (const t of unqualifiedTargets(srv)) formatProblems.push(`Cloud DNS wants the SRV target fully qualified with trailing dot, got: ${t}`);
  return { provider: 'google', recordType, name, fqdn: isToken(name) ? undefined : normalizeDnsName(name), srv, formatProblems };
};

const azure = (recordType: string): Reader => ({ attributes: a }) => {
  const name = str(a.name);
  const zone = str(a.zone_name);
  const formatProblems: string[] = [];
  if (name.endsWith('.')) formatProblems.push(`Azure DNS takes the name relative to the zone ${zone} (without trailing dot), got: ${name}`);
  return { provider: 'azure', recordType, name, fqdn: joinZone(name, zone), srv: recordType === 'SRV' ? list(a.record) : [], formatProblems };
};

const rfc2136 = (recordType: string): Reader => ({ attributes: a }) => {
  const name = str(a.name);
  const zone = str(a.zone);
  const srv: SrvData[] = recordType === 'SRV' ? list(a.srv) : [];
  const formatProblems: string[] = [];
  if (!isToken(zone) && !zone.endsWith('.')) formatProblems.push(`RFC 2136 updates need the zone fully qualified with trailing dot, got: ${zone}`);
  if (name.endsWith('.')) formatProblems.push(`RFC 2136 updates take the name relative to the zone ${zone}, got: ${name}`);
  for (const t of unqualifiedTargets(srv)) formatProblems.push(`the SRV target must be fully qualified with trailing dot (else the server appends the zone), got: ${t}`);
  return { provider: 'rfc2136', recordType, name, fqdn: joinZone(name, zone), srv, formatProblems };
};

/** Readers by Terraform resource type: one entry per provider record resource. */
const READERS: Readonly<Record<string, Reader>> = {
  cloudflare_dns_record: cloudflare,
  aws_route53_record: route53,
  google_dns_record_set: google,
  azurerm_dns_srv_record: azure('SRV'),
  azurerm_dns_a_record: azure('A'),
  azurerm_dns_aaaa_record: azure('AAAA'),
  dns_srv_record_set: rfc2136('SRV'),
  dns_a_record_set: rfc2136('A'),
  dns_aaaa_record_set: rfc2136('AAAA'),
};

/** Every DNS record resource among `resources`, of any provider, in one shape. */
export function dnsRecordViews(resources: readonly DnsResourceInput[]): DnsRecordView[] {
  return resources.flatMap((r) => {
    const read = READERS[r.type];
    return read ? [{ ...read(r), path: r.path, resourceType: r.type }] : [];
  });
}
