/**
 * The DNS records of our backend that peers follow to our federator: the SRV record and the A/AAAA
 * records of the federator domain (`dns-checks.ts` runs them).
 */
import { addressRecordHint, srvTargetHint } from '../hints';
import { checkStatusIs } from './exporter';
import { CHECK_LABEL, defineCheck, defineGroup, idsPattern } from './types';

const SRV = defineCheck({
  id: 'dns.srv',
  level: 'error',
  description: 'exactly one SRV record `_wire-server-federator._tcp.<backendDomain>`',
  fix: "create it in the backend domain's zone (`cdktf deploy` does)",
  ourSide: 'dns',
});
const SRV_TARGET = defineCheck({
  id: 'dns.srv.target',
  level: 'error',
  description: 'its target is `federatorDomain` (trailing dot ignored)',
  fix: 'point the record at the federator domain',
  ourSide: 'dns',
});
const SRV_PORT = defineCheck({
  id: 'dns.srv.port',
  level: 'error',
  description: 'its port is `dns.srv.port` of the config',
  fix: 'peers connect to the port in the record: fix the record or the config',
  ourSide: 'dns',
});
const A = defineCheck({
  id: 'dns.a',
  level: 'error',
  description: "the federator domain's A records are exactly `ingress.ipv4`",
  fix: 'fix the record; switch off CDN proxying',
  ourSide: 'dns',
});
const AAAA = defineCheck({
  id: 'dns.aaaa',
  level: 'error or warning',
  description: "the federator domain's AAAA records are exactly `ingress.ipv6` (AAAA records without `ingress.ipv6`: a warning)",
  fix: 'fix the record, or set `ingress.ipv6`',
  ourSide: 'dns',
});

export const OWN_DNS_CHECKS = defineGroup({
  scope: 'own',
  checks: [
    SRV,
    SRV_TARGET,
    SRV_PORT,
    defineCheck({
      id: 'dns.srv.weight',
      level: 'warning',
      description:
        "its weight is above 0 (a warning otherwise: today's federator takes the first SRV answer and ignores weights, but RFC 2782 ranks weight 0 last)",
      fix: 'set weight > 0 (`dns.srv.weight`, default 10)',
    }),
    A,
    AAAA,
  ],
  alerts: () => [
    {
      alert: 'WireFederationSrvRecordBroken',
      // fail only: a check skipped after it (the target when there is no record) is no second alert.
      expr: checkStatusIs(`peer="",check=~"${idsPattern([SRV.id, SRV_TARGET.id, SRV_PORT.id])}",`, 'fail'),
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `Our SRV record does not lead to the federator (${CHECK_LABEL}): ${srvTargetHint('the federator domain')}; cdktf deploy creates it`,
        description: `Peers find our federator through the SRV record of our backend domain; without it (or pointing elsewhere) every peer fails to reach us. \`wire-federation verify\` shows the record found and the one expected.`,
      },
    },
    {
      alert: 'WireFederationAddressRecordBroken',
      expr: checkStatusIs(`peer="",check=~"${idsPattern([A.id, AAAA.id])}",`, 'fail'),
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `The ${CHECK_LABEL} record of our federator domain does not resolve to the ingress: ${addressRecordHint('A/AAAA', 'of ingress.ipv4 / ingress.ipv6')}`,
        description: 'Peers connect to the address of the federator domain; `wire-federation verify` shows the addresses found and the one configured.',
      },
    },
  ],
});
