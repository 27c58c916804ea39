import { dnsRecordViews } from '../../dns/record-views';
import type { FederationRule } from '../finding';

/**
 * Peers connect to the port in the SRV record; the ingress and `verify` expect `dns.srv.port`.
 * On every DNS provider.
 */
export const srvRecordPort: FederationRule = {
  id: 'srv-record-port',
  description: 'the federation SRV record carries the configured port `dns.srv.port` (every DNS provider)',
  configOnly: false,
  check: ({ config, resources }) =>
    dnsRecordViews(resources)
      .filter((r) => r.recordType === 'SRV')
      .flatMap((r) => r.srv.filter((v) => v.port !== undefined && v.port !== config.dns.srv.port).map((v) => ({ r, port: v.port })))
      .map(({ r, port }) => ({
        level: 'error',
        rule: 'srv-record-port',
        message: `${r.path}: SRV record ${r.name} has port ${port}, but dns.srv.port is ${config.dns.srv.port}: peers would connect to the wrong port. Set the port through dns.srv.port, not on the record.`,
      })),
};
