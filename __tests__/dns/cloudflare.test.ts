import { Testing } from 'cdktf';
import { FederatorDnsRecords, FederatorDnsRecordsProps } from '../../lib/dns/cloudflare';

const props: FederatorDnsRecordsProps = {
  backendDomain: 'example.com.',
  federatorDomain: 'federator.wire.example.org.',
  backendZoneId: 'backendzone',
  infrastructureZoneId: 'infrazone',
  ipv4: '203.0.113.10',
};

function synth(p: FederatorDnsRecordsProps): any[] {
  const json = JSON.parse(Testing.synthScope((scope) => new FederatorDnsRecords(scope, 'Dns', p)));
  return Object.values(json.resource.cloudflare_dns_record);
}

describe('FederatorDnsRecords', () => {
  test('SRV record in the backend zone, priority mirrored at top level, not proxied, no trailing dots', () => {
    const srv = synth(props).find((r) => r.type === 'SRV');
    expect(srv).toMatchObject({
      zone_id: 'backendzone',
      name: '_wire-server-federator._tcp.example.com',
      ttl: 600,
      priority: 0,
      proxied: false,
      data: { priority: 0, weight: 10, port: 443, target: 'federator.wire.example.org' },
    });
  });

  test('A record in the infrastructure zone, not proxied; no AAAA without IPv6', () => {
    const records = synth(props);
    expect(records.find((r) => r.type === 'A')).toMatchObject({
      zone_id: 'infrazone',
      name: 'federator.wire.example.org',
      content: '203.0.113.10',
      proxied: false,
    });
    expect(records.filter((r) => r.type === 'AAAA')).toHaveLength(0);
  });

  test('AAAA record when IPv6 is given; custom SRV values and TTL', () => {
    const records = synth({ ...props, ipv6: '2001:db8::10', ttl: 3600, srv: { priority: 5, weight: 20, port: 8443 } });
    expect(records.find((r) => r.type === 'AAAA')).toMatchObject({ content: '2001:db8::10', zone_id: 'infrazone', proxied: false, ttl: 3600 });
    const srv = records.find((r) => r.type === 'SRV');
    expect(srv.priority).toBe(5);
    expect(srv.data).toEqual({ priority: 5, weight: 20, port: 8443, target: 'federator.wire.example.org' });
  });

  test('A record defaults to the backend zone when no infrastructure zone is given', () => {
    const records = synth({ ...props, infrastructureZoneId: undefined });
    expect(records.find((r) => r.type === 'A').zone_id).toBe('backendzone');
  });

  test.each([
    [{ weight: 0 }, 'srv.weight must be between 1 and 65535 (0 means peers never connect), got: 0'],
    [{ port: 70000 }, 'srv.port must be between 1 and 65535, got: 70000'],
    [{ priority: -1 }, 'srv.priority must be between 0 and 65535, got: -1'],
  ])('refuses %j', (srv, message) => {
    expect(() => synth({ ...props, srv })).toThrow(message);
  });
});
