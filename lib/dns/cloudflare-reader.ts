/**
 * Existing federator DNS records in Cloudflare, found through the Cloudflare API
 * (`GET /zones/{zone_id}/dns_records`), so that adopt records their ids for import instead of
 * letting the first deploy create duplicates. Names are compared case-insensitively and without
 * a trailing dot. Plain Node (global fetch), no cdktf import: the adopt reader of the Cloudflare
 * descriptor (`lib/dns/descriptors/cloudflare.ts`).
 */
import type { WireFederationConfig } from '../config';
import type { DnsRecordKind } from '../config/adoption/record';
import { federatorSrvName, normalizeDnsName } from '../core/names';

export type { DnsRecordKind } from '../config/adoption/record';

/** The Cloudflare API v4 base URL. */
export const CLOUDFLARE_API = 'https://api.cloudflare.com/client/v4';

export interface WantedRecord {
  readonly kind: DnsRecordKind;
  readonly type: 'SRV' | 'A' | 'AAAA';
  readonly zoneId: string;
  /** Without trailing dot. */
  readonly name: string;
}

/** A record as the API returns it (the fields adopt reads). */
export interface FoundRecord {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly content?: string;
  readonly proxied?: boolean;
  readonly ttl?: number;
  readonly data?: { readonly priority?: number; readonly weight?: number; readonly port?: number; readonly target?: string };
}

/**
 * The federator records of `config`: SRV in the backend zone, A and AAAA in the infrastructure
 * zone. None when the records are not in Cloudflare (`dns.provider`).
 */
export function wantedRecords(config: Pick<WireFederationConfig, 'backendDomain' | 'federatorDomain' | 'dns'>): WantedRecord[] {
  const dns = config.dns;
  if (dns.provider !== 'cloudflare') return [];
  return [
    { kind: 'srv', type: 'SRV', zoneId: dns.backendZoneId, name: federatorSrvName(config.backendDomain) },
    { kind: 'a', type: 'A', zoneId: dns.infrastructureZoneId, name: config.federatorDomain },
    { kind: 'aaaa', type: 'AAAA', zoneId: dns.infrastructureZoneId, name: config.federatorDomain },
  ];
}

export interface CloudflareLookupOptions {
  /** API token (never printed). */
  readonly token: string;
  /** @default CLOUDFLARE_API */
  readonly apiBase?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** Records of each wanted kind whose name matches (case-insensitive, trailing dot ignored). */
export async function lookupCloudflareRecords(wanted: readonly WantedRecord[], options: CloudflareLookupOptions): Promise<Map<DnsRecordKind, FoundRecord[]>> {
  const base = (options.apiBase ?? CLOUDFLARE_API).replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const found = new Map<DnsRecordKind, FoundRecord[]>();
  const cache = new Map<string, FoundRecord[]>();
  for (const w of wanted) {
    const key = `${w.zoneId}/${w.type}`;
    let records = cache.get(key);
    if (records === undefined) {
      records = await listRecords(doFetch, base, options.token, w.zoneId, w.type);
      cache.set(key, records);
    }
    found.set(
      w.kind,
      records.filter((r) => normalizeDnsName(r.name) === normalizeDnsName(w.name)),
    );
  }
  return found;
}

interface ApiPage {
  readonly success?: boolean;
  readonly errors?: ReadonlyArray<{ readonly code?: number; readonly message?: string }>;
  readonly result?: FoundRecord[];
  readonly result_info?: { readonly page?: number; readonly total_pages?: number };
}

/** Every record of one type in one zone (all pages). */
async function listRecords(doFetch: typeof fetch, base: string, token: string, zoneId: string, type: string): Promise<FoundRecord[]> {
  const records: FoundRecord[] = [];
  for (let page = 1; ; page++) {
    const url = `${base}/zones/${encodeURIComponent(zoneId)}/dns_records?type=${type}&per_page=500&page=${page}`;
    let response: Response;
    try {
      response = await doFetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    } catch (e) {
      throw new Error(`Cloudflare API ${base} unreachable: ${(e as Error).message}`, { cause: e });
    }
    let body: ApiPage;
    try {
      body = (await response.json()) as ApiPage;
    } catch {
      throw new Error(`Cloudflare API answered HTTP ${response.status} without JSON for zone ${zoneId}`);
    }
    if (!response.ok || body.success !== true) {
      const reasons = (body.errors ?? []).map((e) => `${e.code ?? ''} ${e.message ?? ''}`.trim()).join('; ');
      throw new Error(
        `Cloudflare API refused listing ${type} records of zone ${zoneId}: HTTP ${response.status}${reasons ? ` (${reasons})` : ''}; the token needs DNS read on that zone`,
      );
    }
    records.push(...(body.result ?? []));
    const total = body.result_info?.total_pages ?? 1;
    if (page >= total) return records;
  }
}
