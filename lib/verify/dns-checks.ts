/**
 * DNS checks (docs/chart-facts.md, section 9), as pure functions of lookup results: the SRV record of the
 * backend domain and the federator domain's A/AAAA records.
 */
import { CheckResult, fail, inconclusive, pass, warn } from './report';
import { LookupResult, SrvRecord, describeNone } from './dns-lookup';
import { federatorSrvName, normalizeDnsName } from '../core/names';
import { DNS_SERVER_HINT, addressRecordHint, missingSrvHint, srvTargetHint } from './hints';

/** Canonical text of an IP address (IPv6 compressed, lowercase), so equal addresses compare equal. */
export function canonicalAddress(address: string): string {
  if (!address.includes(':')) return address;
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address.toLowerCase();
  }
}

/** `0 10 443 federator.example.org.`, as `dig +short` prints it. */
export function formatSrv(r: SrvRecord): string {
  return `${r.priority} ${r.weight} ${r.port} ${normalizeDnsName(r.name)}.`;
}

/** What the config says the SRV record must be. */
export interface ExpectedSrv {
  readonly backendDomain: string;
  readonly federatorDomain: string;
  readonly port: number;
  readonly priority: number;
  readonly weight: number;
}

/** Result of {@link checkSrv}: the check lines and the record peers would use, if there is one. */
export interface SrvCheckOutcome {
  readonly checks: CheckResult[];
  /** Present when the lookup returned exactly one usable record. */
  readonly record?: SrvRecord;
  /** Why the record can not be used to reach the federator, when there is none. */
  readonly unusable?: string;
}

/**
 * Checks the SRV record of our backend: exactly one record (`dns.srv`), target equal to the
 * federator domain (`dns.srv.target`), port as configured (`dns.srv.port`), weight > 0
 * (`dns.srv.weight`). The last three only when there is exactly one record.
 */
export function checkSrv(result: LookupResult<SrvRecord>, expected: ExpectedSrv): SrvCheckOutcome {
  const name = federatorSrvName(expected.backendDomain);
  const wanted = `${expected.priority} ${expected.weight} ${expected.port} ${expected.federatorDomain}.`;
  if (result.kind === 'error') {
    return {
      checks: [inconclusive(fail('dns.srv', `SRV lookup of ${name} failed: ${result.message} (${result.code})`, DNS_SERVER_HINT))],
      unusable: 'the SRV lookup failed',
    };
  }
  if (result.kind === 'none') {
    return {
      checks: [fail('dns.srv', `no SRV record ${name}: ${describeNone(result.reason, 'SRV')}`, missingSrvHint(name, wanted, expected.backendDomain))],
      unusable: 'there is no SRV record',
    };
  }
  const records = result.records;
  if (records.length > 1) {
    return {
      checks: [
        fail(
          'dns.srv',
          `${records.length} SRV records for ${name} (${records.map(formatSrv).join(', ')}): expected exactly one`,
          `peers pick any of them; keep only "${wanted}"`,
        ),
      ],
      unusable: 'there is more than one SRV record',
    };
  }
  const record = records[0];
  const checks: CheckResult[] = [pass('dns.srv', `${name} → ${formatSrv(record)}`)];
  const target = normalizeDnsName(record.name);
  if (target === '') {
    checks.push(fail('dns.srv.target', 'SRV target is "." (service explicitly not available)', `point the SRV record at ${expected.federatorDomain}`));
    return { checks, unusable: 'the SRV target is "."' };
  }
  checks.push(
    target === expected.federatorDomain
      ? pass('dns.srv.target', `target ${target} is the federator domain`)
      : fail('dns.srv.target', `SRV target is ${target}, expected the federator domain ${expected.federatorDomain}`, srvTargetHint(expected.federatorDomain)),
  );
  checks.push(
    record.port === expected.port
      ? pass('dns.srv.port', `port ${record.port} as configured`)
      : fail(
          'dns.srv.port',
          `SRV port is ${record.port}, the config says ${expected.port} (dns.srv.port)`,
          `peers connect to the port in the SRV record: set it to ${expected.port}, or fix dns.srv.port`,
        ),
  );
  if (record.weight === 0) {
    // A warning, not a failure: the federator takes the first SRV answer whatever its weight.
    checks.push(
      warn(
        'dns.srv.weight',
        'SRV weight is 0',
        `the federator ignores weights today, but RFC 2782 ranks a weight-0 record last; set weight > 0 (config dns.srv.weight, default 10)`,
      ),
    );
  } else {
    const drift = record.weight === expected.weight ? '' : ` (the config says ${expected.weight}; cdktf deploy will change it)`;
    checks.push(pass('dns.srv.weight', `weight ${record.weight} > 0${drift}`));
  }
  return { checks, record };
}

/**
 * Checks the federator domain's A (family 4) or AAAA (family 6) records against the configured
 * ingress address: the set of addresses must be exactly `{expected}`. Without a configured
 * address (IPv6 is optional) records are a warning, no records pass.
 */
export function checkAddresses(result: LookupResult<string>, family: 4 | 6, federatorDomain: string, expected: string | undefined): CheckResult {
  const id = family === 4 ? 'dns.a' : 'dns.aaaa';
  const type = family === 4 ? 'A' : 'AAAA';
  const field = family === 4 ? 'ingress.ipv4' : 'ingress.ipv6';
  const record = `"${type} ${federatorDomain} ${expected}" in the DNS zone of ${federatorDomain}, DNS only (not proxied by a CDN)`;
  if (result.kind === 'error') {
    const message = `${type} lookup of ${federatorDomain} failed: ${result.message} (${result.code})`;
    const hint = DNS_SERVER_HINT;
    return inconclusive(expected === undefined ? warn(id, message, hint) : fail(id, message, hint));
  }
  if (result.kind === 'none') {
    return expected === undefined
      ? pass(id, `no ${type} record for ${federatorDomain} (${field} is not configured)`)
      : fail(id, `no ${type} record for ${federatorDomain}: ${describeNone(result.reason, type)}`, `create ${record}`);
  }
  const found = [...new Set(result.records.map(canonicalAddress))].sort();
  if (expected === undefined) {
    return warn(
      id,
      `${federatorDomain} has ${type} ${found.join(', ')} but the config has no ${field}`,
      `peers may connect over ${family === 4 ? 'IPv4' : 'IPv6'} to ${found.join(', ')}: set ${field} or delete the record`,
    );
  }
  const want = canonicalAddress(expected);
  if (found.length === 1 && found[0] === want) return pass(id, `${federatorDomain} → ${found[0]} (${field})`);
  const extra = found.filter((a) => a !== want);
  return fail(
    id,
    `${federatorDomain} → ${found.join(', ')}, expected ${want} (${field})`,
    found.includes(want) ? `remove ${extra.join(', ')}: peers connect to any of the addresses` : addressRecordHint(type, want),
  );
}

/** Picks the record a client uses first: lowest priority, then highest weight. */
export function preferredSrv(records: readonly SrvRecord[]): SrvRecord | undefined {
  return [...records].filter((r) => normalizeDnsName(r.name) !== '').sort((a, b) => a.priority - b.priority || b.weight - a.weight)[0];
}
