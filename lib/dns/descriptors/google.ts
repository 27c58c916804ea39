/** Google Cloud DNS (`dns.provider: google`): the descriptor (see `../descriptor.ts`). */
import type { DnsProviderDescriptor } from '../descriptor';
import { normalizeDnsName } from '../../core/names';
import { isToken, list, parseSrvText, str, unqualifiedTargets } from '../record-view';

export const googleDescriptor: DnsProviderDescriptor<'google'> = {
  name: 'google',
  title: 'Google Cloud DNS',
  package: {
    name: '@cdktf/provider-google',
    version: '16.12.1',
    deepImports: ['@cdktf/provider-google/lib/dns-record-set', '@cdktf/provider-google/lib/provider'],
    subpath: 'wire-federation-cdktf/dns/google',
  },
  recordNames: { name: 'fqdn-dot', description: 'fully qualified WITH trailing dot, also the SRV target' },
  credentials: [
    {
      variable: null,
      environment: ['GOOGLE_CREDENTIALS', 'GOOGLE_APPLICATION_CREDENTIALS'],
      description: 'a service account key (JSON) with DNS admin on the zones',
    },
  ],
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  load: () => (require('../google') as typeof import('../google')).googleDns,
  recordViews: {
    google_dns_record_set: ({ attributes: a }) => {
      const name = str(a.name);
      const recordType = str(a.type);
      const srv = recordType === 'SRV' ? list(a.rrdatas).flatMap((t) => parseSrvText(t) ?? []) : [];
      const formatProblems: string[] = [];
      if (!isToken(name) && !name.endsWith('.')) formatProblems.push(`Cloud DNS wants the fully qualified name with trailing dot, got: ${name}`);
      for (const t of unqualifiedTargets(srv)) formatProblems.push(`Cloud DNS wants the SRV target fully qualified with trailing dot, got: ${t}`);
      return { provider: 'google', recordType, name, fqdn: isToken(name) ? undefined : normalizeDnsName(name), srv, formatProblems };
    },
  },
  adoptReader: null,
};
