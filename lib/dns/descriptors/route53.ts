/** Amazon Route 53 (`dns.provider: route53`): the descriptor (see `../descriptor.ts`). */
import type { DnsProviderDescriptor } from '../descriptor';
import { normalizeDnsName } from '../../core/names';
import { isToken, list, parseSrvText, str } from '../record-view';

export const route53Descriptor: DnsProviderDescriptor<'route53'> = {
  name: 'route53',
  title: 'Amazon Route 53',
  package: {
    name: '@cdktf/provider-aws',
    version: '21.22.1',
    deepImports: ['@cdktf/provider-aws/lib/provider', '@cdktf/provider-aws/lib/route53-record'],
    subpath: 'wire-federation-cdktf/dns/route53',
  },
  recordNames: { name: 'fqdn', description: 'fully qualified; SRV value `0 10 443 federator.example.org.`' },
  credentials: [
    {
      variable: null,
      environment: ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'],
      description: "the AWS provider's own: a profile, an access key (+ session token), or an instance role",
    },
  ],
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  load: () => (require('../route53') as typeof import('../route53')).route53Dns,
  recordViews: {
    aws_route53_record: ({ attributes: a }) => {
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
    },
  },
  adoptReader: null,
};
