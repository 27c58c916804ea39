import { dnsRecordViews } from '../../dns/record-views';
import type { FederationRule } from '../finding';

/**
 * SRV weight 0 ranks the record last among records of equal priority (RFC 2782). Today's
 * federator takes the first SRV answer and ignores weights (wire-server
 * services/federator/src/Federator/Discovery.hs), so it still connects; we keep weight > 0 for
 * resolvers and later federators that order by weight. On every DNS provider.
 */
export const srvWeightZero: FederationRule = {
  id: 'srv-weight-zero',
  description:
    "the federation SRV record has a weight above 0 (every DNS provider; RFC 2782 ranks weight 0 last, although today's federator takes the first answer whatever its weight)",
  configOnly: false,
  check: ({ resources }) =>
    dnsRecordViews(resources)
      .filter((r) => r.recordType === 'SRV' && r.srv.some((v) => v.weight === 0))
      .map((r) => ({
        level: 'error',
        rule: 'srv-weight-zero',
        message: `${r.path}: SRV record ${r.name} has weight 0: RFC 2782 ranks it last (today's federator ignores weights, later ones may not). Set dns.srv.weight > 0 (default 10).`,
      })),
};
