/**
 * The stacks of an adopted environment import what runs: Terraform `import` blocks with the
 * provider's ids (helm_release `namespace/name`, cloudflare_dns_record `zone_id/record_id`).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import { Release } from '@cdktf/provider-helm/lib/release';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { ImportExisting } from '../../lib/guard/import-existing';
import { onprem } from '../../stacks/environments/onprem';
import { baseInput, resourceAddresses, synthStack } from '../support/config';
import { cli } from '../support/cli';
import { startFakeCloudflare } from '../support/fake-cloudflare';

const ZONE = '0123456789abcdef0123456789abcdef';

/** The import blocks of a synthesized stack, as `to ← id`. */
const importsOf = (json: { import?: Array<{ to: string; id: string }> }): string[] => (json.import ?? []).map((i) => `${i.to} ← ${i.id}`).sort();

describe('import blocks', () => {
  test('the adopted example (onprem) imports both releases and the existing SRV and A records', () => {
    const json = synthStack(onprem);
    const address = (type: string, prefix: string): string => {
      const found = resourceAddresses(json).filter((a) => a.startsWith(`${type}.${prefix}_`));
      expect(found).toHaveLength(1);
      return found[0];
    };
    expect(importsOf(json)).toEqual(
      [
        `${address('helm_release', 'Federation_WireServer')} ← wire/wire-server`,
        `${address('helm_release', 'Federation_NginxIngressServices')} ← wire/nginx-ingress-services`,
        `${address('cloudflare_dns_record', 'Federation_Dns_Srv')} ← 00000000000000000000000000000007/5e1f0c2a9b8d4e7fa1c3b5d7e9f01234`,
        `${address('cloudflare_dns_record', 'Federation_Dns_A')} ← 00000000000000000000000000000007/9a7b5c3d1e0f2a4b6c8d0e1f3a5b7c9d`,
      ].sort(),
    );
    // The adopted values and secrets are used: values file first, secrets through set_sensitive.
    const wire = Object.values(json.resource.helm_release as Record<string, any>).find((r) => r.chart === 'wire-server');
    expect(wire.values[0]).toContain('smtp.example.net');
    expect(wire.values[0]).not.toContain('fixture-');
    expect(wire.set_sensitive.map((s: { name: string }) => s.name)).toEqual(
      expect.arrayContaining(['brig.secrets.smtpPassword', 'cargohold.secrets.awsSecretKey']),
    );
    expect(json.variable.wire_server_secret_values.sensitive).toBe(true);
  });

  test('an environment without adoption has no import block', () => {
    expect(synthStack(baseInput()).import).toBeUndefined();
  });

  test("ImportExisting emits the block cdktf's importFrom emits", () => {
    const block = (useImportFrom: boolean): unknown => {
      const app = Testing.app();
      const stack = new TerraformStack(app, 's');
      new HelmProvider(stack, 'helm', {});
      const release = new Release(stack, 'R', { name: 'wire-server', chart: 'wire-server', namespace: 'wire' });
      if (useImportFrom) release.importFrom('wire/wire-server');
      else new ImportExisting(stack, 'Import', { resource: release, id: 'wire/wire-server' });
      return JSON.parse(Testing.synth(stack)).import;
    };
    expect(block(false)).toEqual(block(true));
    expect(block(false)).toEqual([{ to: 'helm_release.R', id: 'wire/wire-server' }]);
  });

  test('a recorded AAAA id while the config has no ingress.ipv6 is a config problem with the fix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wfc-adopt-aaaa-'));
    try {
      writeFileSync(
        join(dir, 'record.json'),
        JSON.stringify({ environment: 'test', backendDomain: 'example.com', dnsRecords: { aaaa: `${ZONE}/${'a'.repeat(32)}` } }),
      );
      expect(() => synthStack(baseInput({ adoptionFile: join(dir, 'record.json') }))).toThrow(
        /records an AAAA record to import .*, but ingress.ipv6 is not set/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the adopted example is what adopt makes of its fixture', () => {
  test('adopt over __tests__/fixtures/adopt/onprem (and its DNS records) writes the committed record and values files', async () => {
    const fixtures = join(__dirname, '..', 'fixtures', 'adopt', 'onprem');
    const repo = join(__dirname, '..', '..');
    const dir = mkdtempSync(join(tmpdir(), 'wfc-adopt-example-'));
    const cf = await startFakeCloudflare('fixture-token', JSON.parse(readFileSync(join(fixtures, 'cloudflare-records.json'), 'utf8')));
    const saved = process.env.CLOUDFLARE_API_TOKEN;
    process.env.CLOUDFLARE_API_TOKEN = 'fixture-token';
    try {
      mkdirSync(join(dir, 'locks'));
      const run = await cli([
        'adopt',
        'onprem',
        '--values-from',
        `wire-server=${join(fixtures, 'wire-server.yaml')}`,
        '--values-from',
        `nginx-ingress-services=${join(fixtures, 'nginx-ingress-services.yaml')}`,
        '--record',
        join(dir, 'onprem.json'),
        '--locks-dir',
        join(dir, 'locks'),
        '--cloudflare-api',
        cf.url,
      ]);
      expect(run.err).toBe('');
      expect(run.code).toBe(0);
      for (const chart of ['wire-server', 'nginx-ingress-services']) {
        expect(readFileSync(join(dir, 'onprem', `${chart}.yaml`), 'utf8')).toBe(
          readFileSync(join(repo, 'stacks/environments/adopted/onprem', `${chart}.yaml`), 'utf8'),
        );
      }
      const made = JSON.parse(readFileSync(join(dir, 'onprem.json'), 'utf8').split(`${dir}/`).join('stacks/environments/adopted/'));
      expect(made).toEqual(JSON.parse(readFileSync(join(repo, 'stacks/environments/adopted/onprem.json'), 'utf8')));
      expect(readFileSync(join(dir, 'locks', 'onprem.json'), 'utf8')).toBe(readFileSync(join(repo, 'stacks/environments/locks/onprem.json'), 'utf8'));
    } finally {
      if (saved === undefined) delete process.env.CLOUDFLARE_API_TOKEN;
      else process.env.CLOUDFLARE_API_TOKEN = saved;
      await cf.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
