/**
 * Federated calling in the synthesized stacks: red and blue (the example pair) synthesize with
 * calling on and nothing secret in their JSON (the TURN secret, the coturn DTLS key and a brought
 * key only as Terraform references in set_sensitive); the coturn records go through the DNS
 * provider; the exporter's config reads back with calling.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { callingEndpoints } from '../../lib/calling';
import { parseFederationConfig } from '../../lib/config';
import { exporterConfig } from '../../lib/monitoring/exporter-config';
import { addEnvironments } from '../../stacks/app';
import { ENVIRONMENTS_BASE_DIR, environments } from '../../stacks/environments';
import { callingInput } from '../support/calling';
import { parse, resourceAt, synthStack } from '../support/config';

const pair = environments.filter((e) => ['red', 'blue'].includes(e.environment));
const synths = new Map<string, any>();
beforeAll(() => {
  for (const s of addEnvironments(Testing.app(), pair, ENVIRONMENTS_BASE_DIR)) synths.set(s.node.id, JSON.parse(Testing.synth(s, true)));
});

/** Every set_sensitive value of the helm releases, by release path. */
const sensitive = (json: any) =>
  Object.values(json.resource.helm_release as Record<string, any>).flatMap((r) =>
    (r.set_sensitive ?? []).map((s: { name: string; value: string }) => ({ chart: r.chart, ...s })),
  );

describe('calling in the synthesized stacks', () => {
  test.each(['red', 'blue'])('%s: coturn, sftd and the coturn records are there; no secret in the JSON', (env) => {
    const json = synths.get(env);
    expect(resourceAt(json, 'helm_release', 'Federation/Calling/Coturn/Resource')).toMatchObject({
      chart: 'coturn',
      name: 'coturn',
      version: '0.0.43',
      namespace: 'wire',
    });
    expect(resourceAt(json, 'helm_release', 'Federation/Calling/Sftd/Resource')).toMatchObject({ chart: 'sftd', name: 'sftd' });
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/PRIVATE KEY/);
    // The secrets of calling go through set_sensitive only, each a Terraform reference.
    const calling = sensitive(json).filter((s) => s.chart === 'coturn' || s.chart === 'sftd');
    expect(calling.map((s) => s.name).sort()).toEqual(
      env === 'red' ? ['federate.dtls.tls.key', 'multiSFT.secret', 'secrets.zrestSecrets[0]'] : ['multiSFT.secret', 'secrets.zrestSecrets[0]'],
    );
    for (const s of calling)
      expect(s.value).toMatch(/^\$\{(var\.wire_server_secret_values\["brig\.secrets\.turn\.secret"\]|tls_private_key\.[A-Za-z0-9_]+\.private_key_pem)\}$/);
    // The values documents name no secret path.
    for (const chart of ['Coturn', 'Sftd']) {
      const values = resourceAt(json, 'helm_release', `Federation/Calling/${chart}/Resource`).values.join('\n');
      expect(values).not.toMatch(/zrestSecrets|secret:|key:/);
    }
  });

  test("without brig's TURN secret among the wire-server secrets: the sensitive variable calling_turn_secret", () => {
    const input = callingInput();
    const json = synthStack(input);
    expect(json.variable.calling_turn_secret).toMatchObject({ sensitive: true, type: 'string' });
    const coturn = resourceAt(json, 'helm_release', 'Federation/Calling/Coturn/Resource');
    expect(coturn.set_sensitive).toEqual(expect.arrayContaining([{ name: 'secrets.zrestSecrets[0]', value: '${var.calling_turn_secret}', type: 'string' }]));
  });

  test('the coturn host gets its A record through the configured DNS provider (Cloudflare here), never proxied', () => {
    const json = synthStack(
      callingInput({ calling: { enabled: true, coturn: { host: 'coturn.wire.example.org', publicIps: ['203.0.113.20', '203.0.113.21', '2001:db8::20'] } } }),
    );
    expect(resourceAt(json, 'cloudflare_dns_record', 'Federation/Calling/Dns/A')).toMatchObject({
      name: 'coturn.wire.example.org',
      type: 'A',
      content: '203.0.113.20',
      proxied: false,
    });
    expect(resourceAt(json, 'cloudflare_dns_record', 'Federation/Calling/Dns/A2')).toMatchObject({ content: '203.0.113.21' });
    expect(resourceAt(json, 'cloudflare_dns_record', 'Federation/Calling/Dns/Aaaa')).toMatchObject({ type: 'AAAA', content: '2001:db8::20' });
    const without = synthStack(
      callingInput({ calling: { enabled: true, coturn: { host: 'coturn.wire.example.org', publicIps: ['203.0.113.20'], dnsRecords: false } } }),
    );
    expect(Object.keys(without.resource.cloudflare_dns_record).filter((k) => k.includes('Calling'))).toEqual([]);
  });

  test('calling off: no coturn, no sftd, brig unchanged', () => {
    const json = synthStack(callingInput({ calling: { enabled: false } }));
    expect(
      Object.values(json.resource.helm_release as Record<string, any>)
        .map((r) => r.chart)
        .sort(),
    ).toEqual(['nginx-ingress-services', 'wire-server']);
    expect(resourceAt(json, 'helm_release', 'Federation/WireServer/Resource').values[0]).not.toMatch(/multiSFT|setSftListAllServers/);
  });

  test("the exporter's config reads back with calling (endpoints, releases); without calling it has none", () => {
    const config = parse(callingInput({ monitoring: { enabled: true } }));
    const { config: input, files } = exporterConfig(config);
    const dir = mkdtempSync(join(tmpdir(), 'calling-exporter-'));
    try {
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      const reread = parseFederationConfig(input, { baseDir: dir });
      expect(callingEndpoints(reread)).toEqual(callingEndpoints(config));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(exporterConfig(parse(callingInput({ calling: { enabled: false } }))).config.calling).toBeUndefined();
  });
});
