import { dnsRecordViews } from '../../dns/record-views';
import type { FederationRule } from '../finding';

/** SRV weight 0 means peers never pick the target: on every DNS provider. */
export const srvWeightZero: FederationRule = {
  id: 'srv-weight-zero',
  description: 'the federation SRV record has a weight above 0',
  configOnly: false,
  check: ({ resources }) =>
    dnsRecordViews(resources)
      .filter((r) => r.recordType === 'SRV' && r.srv.some((v) => v.weight === 0))
      .map((r) => ({
        level: 'error',
        rule: 'srv-weight-zero',
        message: `${r.path}: SRV record ${r.name} has weight 0: peers will never connect. Set dns.srv.weight > 0 (default 10).`,
      })),
};
