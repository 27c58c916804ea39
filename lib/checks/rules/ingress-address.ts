import { BlockList, isIP } from 'node:net';
import type { FederationRule, Finding } from '../finding';

/** Ranges peers on the internet cannot reach (documentation ranges are left out on purpose). */
const UNREACHABLE: ReadonlyArray<{ readonly net: string; readonly prefix: number; readonly type: 'ipv4' | 'ipv6'; readonly name: string }> = [
  { net: '0.0.0.0', prefix: 8, type: 'ipv4', name: '"this network" (0.0.0.0/8)' },
  { net: '10.0.0.0', prefix: 8, type: 'ipv4', name: 'private (10.0.0.0/8)' },
  { net: '100.64.0.0', prefix: 10, type: 'ipv4', name: 'carrier-grade NAT (100.64.0.0/10)' },
  { net: '127.0.0.0', prefix: 8, type: 'ipv4', name: 'loopback (127.0.0.0/8)' },
  { net: '169.254.0.0', prefix: 16, type: 'ipv4', name: 'link-local (169.254.0.0/16)' },
  { net: '172.16.0.0', prefix: 12, type: 'ipv4', name: 'private (172.16.0.0/12)' },
  { net: '192.168.0.0', prefix: 16, type: 'ipv4', name: 'private (192.168.0.0/16)' },
  { net: '224.0.0.0', prefix: 4, type: 'ipv4', name: 'multicast (224.0.0.0/4)' },
  { net: '240.0.0.0', prefix: 4, type: 'ipv4', name: 'reserved (240.0.0.0/4)' },
  { net: '::', prefix: 128, type: 'ipv6', name: 'unspecified (::)' },
  { net: '::1', prefix: 128, type: 'ipv6', name: 'loopback (::1)' },
  { net: 'fc00::', prefix: 7, type: 'ipv6', name: 'unique local (fc00::/7)' },
  { net: 'fe80::', prefix: 10, type: 'ipv6', name: 'link-local (fe80::/10)' },
  { net: 'ff00::', prefix: 8, type: 'ipv6', name: 'multicast (ff00::/8)' },
];

/** The unreachable range `address` is in, or undefined (public, or a documentation range). */
export function unreachableRange(address: string): string | undefined {
  const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  // An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is the IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return unreachableRange(mapped[1]);
  for (const range of UNREACHABLE) {
    if (range.type !== type) continue;
    const list = new BlockList();
    list.addSubnet(range.net, range.prefix, range.type);
    if (list.check(address, type)) return range.name;
  }
  return undefined;
}

/**
 * The federator's A/AAAA records are looked up by peers on the internet: a private, loopback,
 * link-local or CGNAT address is unreachable for them (a warning: a lab may mean it).
 * Documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) stay
 * silent: examples use them.
 */
export const ingressAddressNotPublic: FederationRule = {
  id: 'ingress-address-not-public',
  description:
    'the ingress addresses are reachable from the internet: not private, loopback, link-local or CGNAT (documentation ranges such as 203.0.113.0/24 and 2001:db8::/32 stay silent)',
  level: 'warning',
  configOnly: true,
  check: ({ config }) => {
    const findings: Finding[] = [];
    for (const key of ['ipv4', 'ipv6'] as const) {
      const address = config.ingress[key];
      if (address === undefined) continue;
      const range = unreachableRange(address);
      if (range === undefined) continue;
      findings.push({
        level: 'warning',
        rule: 'ingress-address-not-public',
        path: `ingress.${key}`,
        message: `${address} is a ${range} address: peers on the internet cannot reach the federator there (it becomes the ${key === 'ipv4' ? 'A' : 'AAAA'} record of ${config.federatorDomain}). Give the public address of the ingress (its load balancer), or ignore this for a lab without internet peers; received ${JSON.stringify(address)}`,
      });
    }
    return findings;
  },
};
