/** Azure DNS (`dns.provider: azure`): the descriptor (see `../descriptor.ts`). */
import type { DnsProviderDescriptor } from '../descriptor';
import type { RecordViewReader, SrvData } from '../record-view';
import { joinZone, list, str } from '../record-view';

const view =
  (recordType: string): RecordViewReader<'azure'> =>
  ({ attributes: a }) => {
    const name = str(a.name);
    const zone = str(a.zone_name);
    const formatProblems: string[] = [];
    if (name.endsWith('.')) formatProblems.push(`Azure DNS takes the name relative to the zone ${zone} (without trailing dot), got: ${name}`);
    return { provider: 'azure', recordType, name, fqdn: joinZone(name, zone), srv: recordType === 'SRV' ? (list(a.record) as SrvData[]) : [], formatProblems };
  };

export const azureDescriptor: DnsProviderDescriptor<'azure'> = {
  name: 'azure',
  title: 'Azure DNS',
  package: {
    name: '@cdktf/provider-azurerm',
    version: '14.23.1',
    deepImports: [
      '@cdktf/provider-azurerm/lib/provider',
      '@cdktf/provider-azurerm/lib/dns-a-record',
      '@cdktf/provider-azurerm/lib/dns-aaaa-record',
      '@cdktf/provider-azurerm/lib/dns-srv-record',
    ],
    subpath: 'wire-federation-cdktf/dns/azure',
  },
  recordNames: { name: 'zone-relative', description: 'relative to the zone (`@` for the apex)' },
  credentials: [
    {
      variable: null,
      environment: ['ARM_CLIENT_ID', 'ARM_CLIENT_SECRET', 'ARM_TENANT_ID', 'ARM_SUBSCRIPTION_ID'],
      description: 'a service principal (or `az login`, a managed identity) with DNS zone contributor on the zones',
    },
  ],
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  load: () => (require('../azure') as typeof import('../azure')).azureDns,
  recordViews: { azurerm_dns_srv_record: view('SRV'), azurerm_dns_a_record: view('A'), azurerm_dns_aaaa_record: view('AAAA') },
  adoptReader: null,
};
