/**
 * The records of every DNS provider, as synthesized by a whole FederationStack: exact record
 * resources (type, name, zone, TTL, SRV value in the provider's format), the Terraform provider
 * and its secret inputs, and for each provider a record whose name is in another format, which
 * the `dns-record-name` rule refuses.
 */
import { Testing } from 'cdktf';
import { FEDERATION_RULES, runRules } from '../../lib/checks/pack';
import { buildModel } from '../../lib/checks/model';
import type { WireFederationInput } from '../../lib/config';
import { FederationStack } from '../../stacks/federation-stack';
import type { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import type { DnsRecordSet } from '@cdktf/provider-google/lib/dns-record-set';
import { baseInput, parse, problemsOf, resourceAt, synthStack } from '../support/config';

type Dns = WireFederationInput['dns'];
const ipv6 = { ipv4: '203.0.113.10', ipv6: '2001:db8::10' };
const input = (dns: Dns, backendDomain = 'example.com', federatorDomain = 'federator.wire.example.org') =>
  baseInput({ dns, ingress: ipv6, backendDomain, federatorDomain });

// Overrides of list attributes append to the list: replace Route 53 records and Cloud DNS rrdatas through the setters.
const setRecords = (s: FederationStack, records: string[]) => ((s.federation.dns.srvRecord as Route53Record).records = records);
const setRrdatas = (s: FederationStack, rrdatas: string[]) => ((s.federation.dns.srvRecord as DnsRecordSet).rrdatas = rrdatas);

/** The resource types of the DNS records in a synthesized stack. */
const dnsTypes = (json: any) =>
  Object.keys(json.resource)
    .filter((t) => /dns|route53/.test(t))
    .sort();

/** The dns-record-name findings after `mutate` changed the records through escape hatches. */
function nameFindings(dns: Dns, mutate: (stack: FederationStack) => void, domains: [string, string] = ['example.com', 'federator.wire.example.org']): string[] {
  const stack = new FederationStack(Testing.app(), { config: parse(input(dns, ...domains)) });
  mutate(stack);
  return runRules(
    buildModel(stack.federation, stack.federation.config),
    FEDERATION_RULES.filter((r) => r.id === 'dns-record-name'),
  ).map((f) => f.message);
}
const noNameFindings = (dns: Dns, domains?: [string, string]) => expect(nameFindings(dns, () => {}, domains)).toEqual([]);

describe('Cloudflare (the default provider)', () => {
  const dns: Dns = { backendZoneId: '0123456789abcdef0123456789abcdef', infrastructureZoneId: 'fedcba9876543210fedcba9876543210' };

  test('a config without dns.provider is Cloudflare, unchanged', () => {
    expect(parse(input(dns)).dns).toEqual({ provider: 'cloudflare', ...dns, ttl: 600, srv: { priority: 0, weight: 10, port: 443 } });
    const json = synthStack(input(dns));
    expect(dnsTypes(json)).toEqual(['cloudflare_dns_record']);
    expect(Object.keys(json.provider).sort()).toEqual(['cloudflare', 'helm', 'tls']);
    expect(json.variable.cloudflare_api_token.sensitive).toBe(true);
    expect(resourceAt(json, 'cloudflare_dns_record', 'Federation/Dns/Srv')).toMatchObject({
      zone_id: '0123456789abcdef0123456789abcdef',
      name: '_wire-server-federator._tcp.example.com',
      type: 'SRV',
      ttl: 600,
      data: { priority: 0, weight: 10, port: 443, target: 'federator.wire.example.org' },
      proxied: false,
    });
  });

  test('mismatch: a name with trailing dot, and a name outside the domain', () => {
    noNameFindings(dns);
    expect(nameFindings(dns, (s) => s.federation.dns.srvRecord.addOverride('name', '_wire-server-federator._tcp.example.com.'))).toEqual([
      expect.stringMatching(/Dns\/Srv: SRV record: Cloudflare takes the name without trailing dot, got: _wire-server-federator._tcp.example.com.$/),
    ]);
    expect(nameFindings(dns, (s) => s.federation.dns.aRecord.addOverride('name', 'federator'))).toEqual([
      expect.stringMatching(
        /A record "federator" would be created as federator, but peers look up federator.wire.example.org\. Cloudflare takes the fully qualified name without trailing dot/,
      ),
    ]);
  });
});

describe('Route 53', () => {
  const dns: Dns = { provider: 'route53', backendZoneId: 'Z0123456789ABCDEFGHIJ', infrastructureZoneId: 'Z98765432109876543210', ttl: 300 };
  const json = synthStack(input(dns));

  test('records: fully qualified names, SRV value "priority weight port target."', () => {
    expect(dnsTypes(json)).toEqual(['aws_route53_record']);
    expect(resourceAt(json, 'aws_route53_record', 'Federation/Dns/Srv')).toEqual({
      zone_id: 'Z0123456789ABCDEFGHIJ',
      name: '_wire-server-federator._tcp.example.com',
      type: 'SRV',
      ttl: 300,
      records: ['0 10 443 federator.wire.example.org.'],
    });
    expect(resourceAt(json, 'aws_route53_record', 'Federation/Dns/A')).toEqual({
      zone_id: 'Z98765432109876543210',
      name: 'federator.wire.example.org',
      type: 'A',
      ttl: 300,
      records: ['203.0.113.10'],
    });
    expect(resourceAt(json, 'aws_route53_record', 'Federation/Dns/Aaaa')).toEqual({
      zone_id: 'Z98765432109876543210',
      name: 'federator.wire.example.org',
      type: 'AAAA',
      ttl: 300,
      records: ['2001:db8::10'],
    });
  });

  test('the AWS provider only: credentials from its environment, no Cloudflare token', () => {
    expect(json.provider.aws).toEqual([{ region: 'us-east-1' }]);
    expect(json.provider.cloudflare).toBeUndefined();
    expect(Object.keys(json.variable).sort()).toEqual(['rabbitmq_password', 'rabbitmq_username']);
  });

  test('mismatch: a name relative to the zone (Route 53 would append the zone)', () => {
    noNameFindings(dns);
    expect(nameFindings(dns, (s) => s.federation.dns.srvRecord.addOverride('name', '_wire-server-federator._tcp'))).toEqual([
      expect.stringMatching(
        /SRV record "_wire-server-federator._tcp" would be created as _wire-server-federator._tcp, but peers look up _wire-server-federator._tcp.example.com\. Route 53 takes the fully qualified name/,
      ),
    ]);
  });

  test('an infrastructure zone defaults to the backend zone; zone ids are checked', () => {
    const one = synthStack(input({ provider: 'route53', backendZoneId: 'Z0123456789ABCDEFGHIJ' }));
    expect(resourceAt(one, 'aws_route53_record', 'Federation/Dns/A').zone_id).toBe('Z0123456789ABCDEFGHIJ');
    expect(problemsOf(input({ provider: 'route53', backendZoneId: '0123456789abcdef0123456789abcdef' }))).toEqual([
      {
        path: 'dns.backendZoneId',
        message: expect.stringMatching(/^must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ .*; received "0123456789abcdef0123456789abcdef"$/),
      },
    ]);
  });
});

describe('Google Cloud DNS', () => {
  const dns: Dns = { provider: 'google', project: 'wire-prod-123', backendZone: 'example-com', infrastructureZone: 'wire-example-org' };
  const json = synthStack(input(dns));

  test('records: names and SRV target with trailing dot, managed zone names', () => {
    expect(dnsTypes(json)).toEqual(['google_dns_record_set']);
    expect(resourceAt(json, 'google_dns_record_set', 'Federation/Dns/Srv')).toEqual({
      managed_zone: 'example-com',
      name: '_wire-server-federator._tcp.example.com.',
      type: 'SRV',
      ttl: 600,
      rrdatas: ['0 10 443 federator.wire.example.org.'],
    });
    expect(resourceAt(json, 'google_dns_record_set', 'Federation/Dns/A')).toEqual({
      managed_zone: 'wire-example-org',
      name: 'federator.wire.example.org.',
      type: 'A',
      ttl: 600,
      rrdatas: ['203.0.113.10'],
    });
    expect(resourceAt(json, 'google_dns_record_set', 'Federation/Dns/Aaaa')).toMatchObject({
      name: 'federator.wire.example.org.',
      type: 'AAAA',
      rrdatas: ['2001:db8::10'],
    });
    expect(json.provider.google).toEqual([{ project: 'wire-prod-123' }]);
  });

  test('mismatch: a name and an SRV target without trailing dot', () => {
    noNameFindings(dns);
    expect(nameFindings(dns, (s) => s.federation.dns.srvRecord.addOverride('name', '_wire-server-federator._tcp.example.com'))).toEqual([
      expect.stringMatching(/Cloud DNS wants the fully qualified name with trailing dot, got: _wire-server-federator._tcp.example.com$/),
    ]);
    expect(nameFindings(dns, (s) => setRrdatas(s, ['0 10 443 federator.wire.example.org']))).toEqual([
      expect.stringMatching(/Cloud DNS wants the SRV target fully qualified with trailing dot, got: federator.wire.example.org$/),
    ]);
  });
});

describe('Azure DNS', () => {
  const dns: Dns = {
    provider: 'azure',
    subscriptionId: '00000000-0000-4000-8000-000000000000',
    backendZone: { name: 'example.com', resourceGroup: 'dns-rg' },
    infrastructureZone: { name: 'wire.example.org', resourceGroup: 'wire-rg' },
  };
  const json = synthStack(input(dns));

  test('records: names relative to the zone, SRV as a record block', () => {
    expect(dnsTypes(json)).toEqual(['azurerm_dns_a_record', 'azurerm_dns_aaaa_record', 'azurerm_dns_srv_record']);
    expect(resourceAt(json, 'azurerm_dns_srv_record', 'Federation/Dns/Srv')).toEqual({
      name: '_wire-server-federator._tcp',
      zone_name: 'example.com',
      resource_group_name: 'dns-rg',
      ttl: 600,
      record: [{ priority: 0, weight: 10, port: 443, target: 'federator.wire.example.org' }],
    });
    expect(resourceAt(json, 'azurerm_dns_a_record', 'Federation/Dns/A')).toEqual({
      name: 'federator',
      zone_name: 'wire.example.org',
      resource_group_name: 'wire-rg',
      ttl: 600,
      records: ['203.0.113.10'],
    });
    expect(resourceAt(json, 'azurerm_dns_aaaa_record', 'Federation/Dns/Aaaa')).toEqual({
      name: 'federator',
      zone_name: 'wire.example.org',
      resource_group_name: 'wire-rg',
      ttl: 600,
      records: ['2001:db8::10'],
    });
    expect(json.provider.azurerm).toEqual([{ features: [{}], subscription_id: '00000000-0000-4000-8000-000000000000' }]);
  });

  test('a federator domain at the zone apex is "@"', () => {
    const apex = synthStack(input({ provider: 'azure', backendZone: { name: 'example.com', resourceGroup: 'dns-rg' } }, 'example.com', 'example.com'));
    expect(resourceAt(apex, 'azurerm_dns_a_record', 'Federation/Dns/A').name).toBe('@');
  });

  test('mismatch: a fully qualified name where Azure wants it relative to the zone', () => {
    noNameFindings(dns);
    expect(nameFindings(dns, (s) => s.federation.dns.aRecord.addOverride('name', 'federator.wire.example.org'))).toEqual([
      expect.stringMatching(
        /A record "federator.wire.example.org" would be created as federator.wire.example.org.wire.example.org, but peers look up federator.wire.example.org\. Azure DNS takes the name relative to zone_name/,
      ),
    ]);
  });

  test('a domain outside its zone is a config error naming the field', () => {
    expect(
      problemsOf(
        input({
          provider: 'azure',
          backendZone: { name: 'example.net', resourceGroup: 'dns-rg' },
          infrastructureZone: { name: 'wire.example.org', resourceGroup: 'rg' },
        }),
      ),
    ).toEqual([
      {
        path: 'dns.backendZone.name',
        message: expect.stringMatching(/^is "example.net", which does not contain the backend domain example.com .*received "example.net"$/),
      },
    ]);
    expect(problemsOf(input({ provider: 'azure', backendZone: { name: 'example.com', resourceGroup: 'dns-rg' } }))).toEqual([
      {
        path: 'dns.infrastructureZone',
        message: expect.stringMatching(/^is required: the federator domain federator.wire.example.org is not inside the backend zone example.com/),
      },
    ]);
  });
});

describe('RFC 2136 (hashicorp/dns)', () => {
  const dns: Dns = {
    provider: 'rfc2136',
    server: 'ns1.example.com',
    backendZone: 'example.com',
    infrastructureZone: 'wire.example.org',
    keyName: 'federation-update',
    ttl: 3600,
  };
  const json = synthStack(input(dns));

  test('records: zone with trailing dot, names relative to it, SRV target with trailing dot', () => {
    expect(dnsTypes(json)).toEqual(['dns_a_record_set', 'dns_aaaa_record_set', 'dns_srv_record_set']);
    expect(resourceAt(json, 'dns_srv_record_set', 'Federation/Dns/Srv')).toEqual({
      zone: 'example.com.',
      name: '_wire-server-federator._tcp',
      ttl: 3600,
      srv: [{ priority: 0, weight: 10, port: 443, target: 'federator.wire.example.org.' }],
    });
    expect(resourceAt(json, 'dns_a_record_set', 'Federation/Dns/A')).toEqual({
      zone: 'wire.example.org.',
      name: 'federator',
      ttl: 3600,
      addresses: ['203.0.113.10'],
    });
    expect(resourceAt(json, 'dns_aaaa_record_set', 'Federation/Dns/Aaaa')).toEqual({
      zone: 'wire.example.org.',
      name: 'federator',
      ttl: 3600,
      addresses: ['2001:db8::10'],
    });
  });

  test('the TSIG secret is a sensitive variable (or DNS_UPDATE_KEYSECRET), never a literal', () => {
    expect(json.provider.dns).toEqual([
      {
        update: [
          {
            server: 'ns1.example.com',
            port: 53,
            key_name: 'federation-update.',
            key_algorithm: 'hmac-sha256',
            key_secret: '${var.dns_update_key_secret == "" ? null : var.dns_update_key_secret}',
          },
        ],
      },
    ]);
    expect(json.variable.dns_update_key_secret).toMatchObject({ type: 'string', sensitive: true, default: '' });
    expect(json.variable.cloudflare_api_token).toBeUndefined();
  });

  test('without a key name: unsigned updates, no secret variable; the apex has no name', () => {
    const plain = synthStack(input({ provider: 'rfc2136', server: '192.0.2.53', port: 5353, backendZone: 'example.com' }, 'example.com', 'example.com'));
    expect(plain.provider.dns).toEqual([{ update: [{ server: '192.0.2.53', port: 5353 }] }]);
    expect(plain.variable.dns_update_key_secret).toBeUndefined();
    expect(resourceAt(plain, 'dns_a_record_set', 'Federation/Dns/A')).toEqual({ zone: 'example.com.', ttl: 600, addresses: ['203.0.113.10'] });
    noNameFindings({ provider: 'rfc2136', server: '192.0.2.53', backendZone: 'example.com' }, ['example.com', 'example.com']);
  });

  test('mismatch: a fully qualified name (the server appends the zone), a zone or target without trailing dot', () => {
    noNameFindings(dns);
    expect(nameFindings(dns, (s) => s.federation.dns.srvRecord.addOverride('name', '_wire-server-federator._tcp.example.com'))).toEqual([
      expect.stringMatching(
        /SRV record "_wire-server-federator._tcp.example.com" would be created as _wire-server-federator._tcp.example.com.example.com, but peers look up _wire-server-federator._tcp.example.com\. RFC 2136 updates take the name relative to the zone/,
      ),
    ]);
    expect(nameFindings(dns, (s) => s.federation.dns.aRecord.addOverride('zone', 'wire.example.org'))).toEqual([
      expect.stringMatching(/A record: RFC 2136 updates need the zone fully qualified with trailing dot, got: wire.example.org$/),
    ]);
    expect(nameFindings(dns, (s) => s.federation.dns.srvRecord.addOverride('srv.0.target', 'federator.wire.example.org'))).toEqual([
      expect.stringMatching(/the SRV target must be fully qualified with trailing dot \(else the server appends the zone\), got: federator.wire.example.org$/),
    ]);
  });

  test('TTL 1 (automatic) exists on Cloudflare only', () => {
    expect(problemsOf(input({ ...dns, ttl: 1 }))).toEqual([
      { path: 'dns.ttl', message: expect.stringMatching(/^must be between 60 and 86400 seconds \(1, "automatic", exists on Cloudflare only\); received 1$/) },
    ]);
  });
});

describe('rules on every provider', () => {
  const providers: [string, Dns, (s: FederationStack) => void, (s: FederationStack) => void][] = [
    [
      'route53',
      { provider: 'route53', backendZoneId: 'Z0123456789ABCDEFGHIJ' },
      (s) => setRecords(s, ['0 0 443 federator.wire.example.org.']),
      (s) => setRecords(s, ['0 10 8443 federator.wire.example.org.']),
    ],
    [
      'google',
      { provider: 'google', project: 'wire-prod-123', backendZone: 'example-com' },
      (s) => setRrdatas(s, ['0 0 443 federator.wire.example.org.']),
      (s) => setRrdatas(s, ['0 10 8443 federator.wire.example.org.']),
    ],
    [
      'azure',
      { provider: 'azure', backendZone: { name: 'example.com', resourceGroup: 'rg' }, infrastructureZone: { name: 'wire.example.org', resourceGroup: 'rg' } },
      (s) => s.federation.dns.srvRecord.addOverride('record.0.weight', 0),
      (s) => s.federation.dns.srvRecord.addOverride('record.0.port', 8443),
    ],
    [
      'rfc2136',
      { provider: 'rfc2136', server: 'ns1.example.com', backendZone: 'example.com', infrastructureZone: 'wire.example.org' },
      (s) => s.federation.dns.srvRecord.addOverride('srv.0.weight', 0),
      (s) => s.federation.dns.srvRecord.addOverride('srv.0.port', 8443),
    ],
  ];
  const errors = (dns: Dns, mutate: (s: FederationStack) => void) => {
    const stack = new FederationStack(Testing.app(), { config: parse(input(dns)) });
    mutate(stack);
    return stack.federation.node.validate();
  };

  test.each(providers)('%s: compliant records pass; SRV weight 0 and a port other than dns.srv.port are errors', (_name, dns, weightZero, otherPort) => {
    expect(errors(dns, () => {})).toEqual([]);
    expect(errors(dns, weightZero)).toEqual([expect.stringMatching(/^\[srv-weight-zero\] .*Dns\/Srv: SRV record .* has weight 0: RFC 2782 ranks it last/)]);
    expect(errors(dns, otherPort)).toEqual([expect.stringMatching(/^\[srv-record-port\] .*has port 8443, but dns.srv.port is 443/)]);
  });
});

test('an unknown provider names the ones there are', () => {
  expect(problemsOf(input({ provider: 'bind' } as unknown as Dns))).toEqual([
    { path: 'dns.provider', message: 'provider must be one of cloudflare, route53, google, azure, rfc2136 (default cloudflare); received "bind"' },
  ]);
});

describe('provider packages load only when a config selects them', () => {
  const { mkdtempSync, writeFileSync, rmSync } = require('node:fs') as typeof import('node:fs');
  // eslint-disable-next-line @typescript-eslint/unbound-method -- path.join does not use `this`
  const { join } = require('node:path') as typeof import('node:path');
  const { tmpdir } = require('node:os') as typeof import('node:os');
  const { runTsx } = require('../support/node-run') as typeof import('../support/node-run');
  const { REPO_ROOT } = require('../support/config') as typeof import('../support/config');

  /** Synthesizes one stack in a child process; returns the DNS provider packages it loaded. */
  function loadedPackages(dns: Dns): string[] {
    const dir = mkdtempSync(join(tmpdir(), 'dns-lazy-'));
    try {
      const script = join(dir, 'synth.ts');
      writeFileSync(
        script,
        `const { App } = require(${JSON.stringify(require.resolve('cdktf', { paths: [REPO_ROOT] }))});
const { FederationStack } = require(${JSON.stringify(join(REPO_ROOT, 'stacks/federation-stack'))});
const { parseFederationConfig } = require(${JSON.stringify(join(REPO_ROOT, 'lib/config'))});
const app = new App({ outdir: ${JSON.stringify(join(dir, 'out'))} });
new FederationStack(app, { config: parseFederationConfig(${JSON.stringify(input(dns))}, { baseDir: ${JSON.stringify(REPO_ROOT)} }) });
app.synth();
const loaded = new Set(Object.keys(require.cache).map((k) => (k.match(/@cdktf[\\\\/](provider-(?:aws|azurerm|cloudflare|dns|google))[\\\\/]/) || [])[1]).filter(Boolean));
console.log(JSON.stringify([...loaded].sort()));
`,
      );
      const run = runTsx(script, { cwd: REPO_ROOT });
      if (run.code !== 0) throw new Error(run.stderr.split('\n').slice(-20).join('\n'));
      return JSON.parse(run.stdout.trim().split('\n').pop()!);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  test('Cloudflare loads none of the other DNS packages; Route 53 loads AWS and not Cloudflare', () => {
    expect(loadedPackages({ backendZoneId: '0123456789abcdef0123456789abcdef', infrastructureZoneId: '0123456789abcdef0123456789abcdef' })).toEqual([
      'provider-cloudflare',
    ]);
    expect(loadedPackages({ provider: 'route53', backendZoneId: 'Z0123456789ABCDEFGHIJ' })).toEqual(['provider-aws']);
  }, 120_000);

  test('a provider package that is not installed: the error says which one to install', () => {
    const { missingPackageError } = require('../../lib/dns/provider') as typeof import('../../lib/dns/provider');
    const notFound = Object.assign(new Error("Cannot find module '@cdktf/provider-aws/lib/provider'"), { code: 'MODULE_NOT_FOUND' });
    expect(missingPackageError('route53', notFound)?.message).toBe(
      'dns.provider is route53, which needs the npm package @cdktf/provider-aws (an optional peer dependency, not installed): run `npm install --save-exact @cdktf/provider-aws@21.22.1`',
    );
    expect(missingPackageError('route53', new Error('other'))).toBeUndefined();
    expect(missingPackageError('google', notFound)).toBeUndefined();
  });
});
