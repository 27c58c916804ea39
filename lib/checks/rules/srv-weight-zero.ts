import type { FederationRule } from '../finding';

/** SRV weight 0 means peers never pick the target. */
export const srvWeightZero: FederationRule = {
  id: 'srv-weight-zero',
  description: 'the federation SRV record has a weight above 0',
  configOnly: false,
  check: ({ resources }) =>
    resources
      .filter((r) => r.type === 'cloudflare_dns_record' && r.attributes.type === 'SRV' && r.attributes.data?.weight === 0)
      .map((r) => ({
        level: 'error',
        rule: 'srv-weight-zero',
        message: `${r.path}: SRV record ${r.attributes.name} has weight 0: peers will never connect. Set dns.srv.weight > 0 (default 10).`,
      })),
};
