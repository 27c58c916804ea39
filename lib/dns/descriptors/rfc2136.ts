/** RFC 2136 dynamic updates (`dns.provider: rfc2136`): the descriptor (see `../descriptor.ts`). */
import type { DnsProviderDescriptor } from '../descriptor';
import type { RecordViewReader, SrvData } from '../record-view';
import { isToken, joinZone, list, str, unqualifiedTargets } from '../record-view';

const view =
  (recordType: string): RecordViewReader<'rfc2136'> =>
  ({ attributes: a }) => {
    const name = str(a.name);
    const zone = str(a.zone);
    const srv = recordType === 'SRV' ? (list(a.srv) as SrvData[]) : [];
    const formatProblems: string[] = [];
    if (!isToken(zone) && !zone.endsWith('.')) formatProblems.push(`RFC 2136 updates need the zone fully qualified with trailing dot, got: ${zone}`);
    if (name.endsWith('.')) formatProblems.push(`RFC 2136 updates take the name relative to the zone ${zone}, got: ${name}`);
    for (const t of unqualifiedTargets(srv))
      formatProblems.push(`the SRV target must be fully qualified with trailing dot (else the server appends the zone), got: ${t}`);
    return { provider: 'rfc2136', recordType, name, fqdn: joinZone(name, zone), srv, formatProblems };
  };

export const rfc2136Descriptor: DnsProviderDescriptor<'rfc2136'> = {
  name: 'rfc2136',
  title: 'RFC 2136 dynamic updates',
  package: {
    name: '@cdktf/provider-dns',
    version: '9.0.1',
    deepImports: [
      '@cdktf/provider-dns/lib/aaaa-record-set',
      '@cdktf/provider-dns/lib/a-record-set',
      '@cdktf/provider-dns/lib/provider',
      '@cdktf/provider-dns/lib/srv-record-set',
    ],
    subpath: 'wire-federation-cdktf/dns/rfc2136',
  },
  recordNames: { name: 'zone-relative', description: 'relative to the zone; zone and SRV target with trailing dot' },
  credentials: [
    {
      variable: 'dns_update_key_secret',
      environment: ['DNS_UPDATE_KEYSECRET'],
      description: 'the TSIG secret (base64) of `dns.keyName`; without `keyName` the updates are unsigned',
    },
  ],
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  load: () => (require('../rfc2136') as typeof import('../rfc2136')).rfc2136Dns,
  recordViews: { dns_srv_record_set: view('SRV'), dns_a_record_set: view('A'), dns_aaaa_record_set: view('AAAA') },
  adoptReader: null,
};
