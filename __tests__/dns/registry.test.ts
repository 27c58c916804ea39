/**
 * The DNS provider registry: one descriptor per `dns.provider` value of the schema, and every
 * part of a descriptor true of its provider (package and peer dependency, deep imports of the
 * records module, subpath export, credential variables, record views of every record resource
 * it makes). Adding a provider without one of these fails here or at compile time.
 */
import { readFileSync } from 'node:fs';
import { TerraformStack, Testing } from 'cdktf';
import { join } from 'node:path';
import { DNS_PROVIDERS, wireFederationConfigSchema } from '../../lib/config/schema';
import type { WireFederationInput } from '../../lib/config';
import type { DnsProviderDescriptor } from '../../lib/dns/descriptor';
import { DNS_PROVIDER_REGISTRY, dnsProviderDescriptor, dnsProviderDescriptors } from '../../lib/dns/registry';
import { dnsRecordViews } from '../../lib/dns/record-views';
import { DNS_PROVIDER_PACKAGES } from '../../lib/dns/provider';
import { baseInput, parse, REPO_ROOT, synthStack } from '../support/config';

type Dns = WireFederationInput['dns'];
const input = (name: keyof typeof CONFIGS) =>
  baseInput({
    dns: CONFIGS[name],
    backendDomain: 'example.com',
    federatorDomain: 'federator.wire.example.org',
    ingress: { ipv4: '203.0.113.10', ipv6: '2001:db8::10' },
  });
interface PackageJson {
  readonly peerDependencies: Record<string, string>;
  readonly peerDependenciesMeta: Record<string, { optional?: boolean }>;
  readonly devDependencies: Record<string, string>;
  readonly exports: Record<string, unknown>;
}
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;

/** One config per provider (with the optional parts that add resources and variables). */
const CONFIGS: { readonly [P in keyof typeof DNS_PROVIDER_REGISTRY]: Dns } = {
  cloudflare: { backendZoneId: '0123456789abcdef0123456789abcdef', infrastructureZoneId: 'fedcba9876543210fedcba9876543210' },
  route53: { provider: 'route53', backendZoneId: 'Z0123456789ABCDEFGHIJ' },
  google: { provider: 'google', project: 'wire-prod-123', backendZone: 'example-com', infrastructureZone: 'wire-example-org' },
  azure: {
    provider: 'azure',
    backendZone: { name: 'example.com', resourceGroup: 'dns-rg' },
    infrastructureZone: { name: 'wire.example.org', resourceGroup: 'wire-rg' },
  },
  rfc2136: { provider: 'rfc2136', server: 'ns1.example.com', backendZone: 'example.com', infrastructureZone: 'wire.example.org', keyName: 'federation-update' },
};

test('the registry covers every dns.provider value of the schema, each descriptor under its own name', () => {
  const dns = wireFederationConfigSchema.shape.dns as unknown as { options: Array<{ _zod: { propValues: { provider: Set<unknown> } } }> };
  const schemaValues = dns.options.flatMap((o) => [...o._zod.propValues.provider].filter((v): v is string => typeof v === 'string'));
  expect(schemaValues).toHaveLength(5);
  expect(Object.keys(DNS_PROVIDER_REGISTRY).sort()).toEqual([...schemaValues].sort());
  expect(Object.keys(DNS_PROVIDER_REGISTRY)).toEqual([...DNS_PROVIDERS]);
  for (const [name, d] of Object.entries(DNS_PROVIDER_REGISTRY)) expect(d.name).toBe(name);
  expect(dnsProviderDescriptor('nope' as 'cloudflare')).toBeUndefined();
});

describe.each(dnsProviderDescriptors().map((d) => [d.name, d] as const))('%s', (name, d) => {
  test('its package is an optional peer dependency at the tested version, and a dev dependency', () => {
    expect(pkg.peerDependencies[d.package.name]).toBe(`^${d.package.version}`);
    if (name !== 'cloudflare') expect(pkg.peerDependenciesMeta[d.package.name]).toEqual({ optional: true });
    expect(pkg.devDependencies[d.package.name]).toBe(d.package.version);
    expect(DNS_PROVIDER_PACKAGES[name]).toEqual({ name: d.package.name, version: d.package.version });
  });

  test('its records module imports exactly the declared deep paths, never the package root', () => {
    const source = readFileSync(join(REPO_ROOT, 'lib/dns', `${name}.ts`), 'utf8');
    const imports = [...source.matchAll(/from '(@cdktf\/provider-[^']+)'/g)].map((m) => m[1]);
    expect(imports.sort()).toEqual([...d.package.deepImports].sort());
    for (const i of imports) expect(i).toMatch(/^@cdktf\/provider-[a-z]+\/lib\//);
  });

  test('its subpath export points at its records module', () => {
    if (d.package.subpath === null) return expect(name).toBe('cloudflare');
    const sub = `./${d.package.subpath.replace(/^wire-federation-cdktf\//, '')}`;
    expect(pkg.exports[sub]).toEqual({ types: `./dist/lib/dns/${name}.d.ts`, default: `./dist/lib/dns/${name}.js` });
  });

  const json = synthStack(input(name));

  test('its credential variables are the ones it declares, sensitive, empty by default', () => {
    const stack = new TerraformStack(Testing.app(), 'credentials');
    d.load().configureStack(stack, parse(input(name)));
    const variables = (JSON.parse(Testing.synth(stack)) as { variable?: Record<string, unknown> }).variable ?? {};
    expect(Object.keys(variables).sort()).toEqual(d.credentials.flatMap((c) => (c.variable === null ? [] : [c.variable])).sort());
    for (const v of Object.values(variables)) expect(v).toMatchObject({ sensitive: true, default: '', type: 'string' });
    for (const c of d.credentials) expect(c.environment.length).toBeGreaterThan(0);
  });

  test('its record views read every record resource its construct makes (SRV, A, AAAA)', () => {
    const byType = json.resource as Record<string, Record<string, Record<string, unknown>>>;
    const resources = Object.entries(byType).flatMap(([type, byName]) => Object.values(byName).map((attributes) => ({ path: type, type, attributes })));
    const views = dnsRecordViews(resources);
    expect(views.map((v) => v.recordType).sort()).toEqual(['A', 'AAAA', 'SRV']);
    expect(views.every((v) => v.provider === name && v.formatProblems.length === 0)).toBe(true);
    expect(new Set(views.map((v) => v.resourceType))).toEqual(new Set(Object.keys(d.recordViews)));
  });
});

test('no descriptor imports the registry (the registry imports the descriptors: no circle)', () => {
  for (const name of Object.keys(DNS_PROVIDER_REGISTRY)) {
    for (const file of [`lib/dns/descriptors/${name}.ts`, `lib/dns/${name}.ts`, 'lib/dns/descriptor.ts', 'lib/dns/records.ts', 'lib/dns/record-view.ts']) {
      expect(readFileSync(join(REPO_ROOT, file), 'utf8')).not.toMatch(/from '\.\.?\/(registry|provider|record-views)'|require\('\.\.?\/(registry|provider)'\)/);
    }
  }
});

/** `o` without `key`, typed so. */
const without = <T extends object, K extends keyof T>(o: T, key: K): Omit<T, K> =>
  Object.fromEntries(Object.entries(o).filter(([k]) => k !== key)) as Omit<T, K>;

test('a missing descriptor, or a descriptor without one of its parts, does not compile', () => {
  const fourOfFive = without(DNS_PROVIDER_REGISTRY, 'rfc2136');
  // @ts-expect-error a registry without the descriptor of a dns.provider value of the schema
  const missing: typeof DNS_PROVIDER_REGISTRY = fourOfFive;
  const withoutViews = without(DNS_PROVIDER_REGISTRY.route53, 'recordViews');
  // @ts-expect-error a descriptor without its record views
  const incomplete: DnsProviderDescriptor<'route53'> = withoutViews;
  expect([missing, incomplete]).toHaveLength(2);
});
