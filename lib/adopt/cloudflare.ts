/**
 * Adopting existing federator DNS records in Cloudflare: which found records to import and what
 * the first deploy changes in them. The API reader itself is the Cloudflare descriptor's
 * (`lib/dns/cloudflare-reader.ts`), re-exported here.
 */
import type { Finding } from '../checks/finding';
import type { WireFederationConfig } from '../config/parse';
import { wantedRecords } from '../dns/cloudflare-reader';
import type { FoundRecord } from '../dns/cloudflare-reader';
import { normalizeDnsName } from '../core/names';
import type { DnsRecordKind } from '../config/adoption/record';
import type { AdoptRuleId } from './rules';

export { CLOUDFLARE_API, lookupCloudflareRecords, wantedRecords } from '../dns/cloudflare-reader';
export type { CloudflareLookupOptions, FoundRecord, WantedRecord } from '../dns/cloudflare-reader';

export interface DnsAdoption {
  /** Import ids (`zone_id/record_id`) by kind. */
  readonly imports: Partial<Record<DnsRecordKind, string>>;
  /** One line per kind: imported or created, and what changes. */
  readonly report: string[];
  readonly findings: Finding[];
}

const RULE: AdoptRuleId = 'adopt-dns-record';

/** Which found records to import, what the first deploy changes in them, and what stays unmanaged. Pure. */
export function dnsAdoption(
  config: Pick<WireFederationConfig, 'backendDomain' | 'federatorDomain' | 'dns' | 'ingress'>,
  found: ReadonlyMap<DnsRecordKind, readonly FoundRecord[]>,
): DnsAdoption {
  const imports: Partial<Record<DnsRecordKind, string>> = {};
  const report: string[] = [];
  const findings: Finding[] = [];
  for (const w of wantedRecords(config)) {
    const records = found.get(w.kind) ?? [];
    const desired = desiredContent(config, w.kind);
    if (desired === undefined) {
      // AAAA without ingress.ipv6: nothing to manage, but an existing one keeps attracting peers.
      for (const r of records) {
        findings.push({
          level: 'warning',
          rule: RULE,
          message: `an AAAA record ${w.name} → ${r.content ?? '?'} exists (id ${r.id}) but the config has no ingress.ipv6: it stays as it is, unmanaged; peers connecting over IPv6 use it. Set ingress.ipv6 to manage it, or delete it`,
        });
      }
      continue;
    }
    if (records.length === 0) {
      report.push(`${w.type} ${w.name}: none exists, created by the first deploy (${desired})`);
      continue;
    }
    const chosen = records.find((r) => currentContent(r) === desired) ?? records[0];
    imports[w.kind] = `${w.zoneId}/${chosen.id}`;
    const current = currentContent(chosen);
    const changes: string[] = [];
    if (current !== desired) changes.push(`${current} → ${desired}`);
    if (chosen.proxied === true) changes.push('proxied → DNS only');
    report.push(`${w.type} ${w.name}: imported (${w.zoneId}/${chosen.id})${changes.length > 0 ? `, updated in place: ${changes.join(', ')}` : ', unchanged'}`);
    for (const other of records.filter((r) => r !== chosen)) {
      findings.push({
        level: 'warning',
        rule: RULE,
        message: `a second ${w.type} record ${w.name} → ${currentContent(other)} exists (id ${other.id}); only ${chosen.id} is managed. Peers may pick either: delete the other one`,
      });
    }
  }
  return { imports, report, findings };
}

function desiredContent(config: Pick<WireFederationConfig, 'federatorDomain' | 'dns' | 'ingress'>, kind: DnsRecordKind): string | undefined {
  if (kind === 'a') return config.ingress.ipv4;
  if (kind === 'aaaa') return config.ingress.ipv6;
  const { priority, weight, port } = config.dns.srv;
  return `${priority} ${weight} ${port} ${config.federatorDomain}`;
}

function currentContent(r: FoundRecord): string {
  if (r.type !== 'SRV') return r.content ?? '';
  const d = r.data ?? {};
  return `${d.priority ?? '?'} ${d.weight ?? '?'} ${d.port ?? '?'} ${normalizeDnsName(d.target ?? '?')}`;
}
