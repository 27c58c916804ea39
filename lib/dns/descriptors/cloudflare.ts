/** Cloudflare (`dns.provider: cloudflare`, the default): the descriptor (see `../descriptor.ts`). */
import type { DnsProviderDescriptor } from '../descriptor';
import { CLOUDFLARE_API, lookupCloudflareRecords, wantedRecords } from '../cloudflare-reader';
import { normalizeDnsName } from '../../core/names';
import type { SrvData } from '../record-view';
import { isToken, list, str } from '../record-view';

export const cloudflareDescriptor: DnsProviderDescriptor<'cloudflare'> = {
  name: 'cloudflare',
  title: 'Cloudflare',
  package: {
    name: '@cdktf/provider-cloudflare',
    version: '13.9.1',
    deepImports: ['@cdktf/provider-cloudflare/lib/dns-record', '@cdktf/provider-cloudflare/lib/provider'],
    subpath: null,
  },
  recordNames: { name: 'fqdn', description: 'fully qualified, no trailing dot; never proxied' },
  credentials: [{ variable: 'cloudflare_api_token', environment: ['CLOUDFLARE_API_TOKEN'], description: 'API token with DNS edit on both zones' }],
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  load: () => (require('../cloudflare') as typeof import('../cloudflare')).cloudflareDns,
  recordViews: {
    cloudflare_dns_record: ({ attributes: a }) => {
      const name = str(a.name);
      const formatProblems: string[] = [];
      if (name.endsWith('.')) formatProblems.push(`Cloudflare takes the name without trailing dot, got: ${name}`);
      return {
        provider: 'cloudflare',
        recordType: str(a.type),
        name,
        fqdn: isToken(name) ? undefined : normalizeDnsName(name),
        srv: str(a.type) === 'SRV' ? (list(a.data) as SrvData[]) : [],
        proxied: a.proxied === true,
        formatProblems,
      };
    },
  },
  adoptReader: {
    apiBase: CLOUDFLARE_API,
    tokenEnvironment: ['CLOUDFLARE_API_TOKEN', 'TF_VAR_cloudflare_api_token'],
    wantedRecords,
    lookupRecords: lookupCloudflareRecords,
  },
};
