/**
 * OCI chart repositories end to end (`charts.repository: oci://…`, as Wire publishes its charts
 * at `oci://quay.io/wire/charts/<channel>`): the helm release names the registry and the chart,
 * `render` pulls `oci://host/path/<chart> --version X` (never `--repo`, which Helm refuses for OCI)
 * from a fake registry on 127.0.0.1 serving the real archives, or renders from a local archive,
 * and `adopt` adopts such a config. Never the network. Skips visibly without helm or the archives.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { stringify } from 'yaml';
import type { WireFederationInput } from '../../lib/config';
import { renderEnvironment, pullArguments } from '../../lib/render/render';
import type { SynthesizedStack } from '../../lib/render/releases';
import { validateEnvironments } from '../../lib/validation/pipeline';
import { FederationStack } from '../../stacks/federation-stack';
import { ENVIRONMENTS_BASE_DIR, environments } from '../../stacks/environments';
import { cli } from '../support/cli';
import { REPO_ROOT } from '../support/config';
import { startFakeOciRegistry, FakeOciRegistry } from '../support/fake-oci-registry';
import { describeWithCharts, realChartArchive } from '../support/test-tools';

test('helm pull of an OCI chart: a reference, never --repo; a classic repository keeps --repo', () => {
  expect(pullArguments({ kind: 'repository', repository: 'oci://quay.io/wire/charts/stable', chart: 'wire-server', version: '5.34.0' }, '/tmp/x')).toEqual([
    'pull',
    'oci://quay.io/wire/charts/stable/wire-server',
    '-d',
    '/tmp/x',
    '--version',
    '5.34.0',
  ]);
  expect(pullArguments({ kind: 'repository', repository: 'oci://127.0.0.1:5000/charts', chart: 'wire-server', version: '5.34.0' }, '/tmp/x', true)).toContain(
    '--plain-http',
  );
  expect(pullArguments({ kind: 'repository', repository: 'https://charts.example/wire', chart: 'wire-server', version: '5.34.0' }, '/tmp/x')).toEqual([
    'pull',
    'wire-server',
    '--repo',
    'https://charts.example/wire',
    '-d',
    '/tmp/x',
    '--version',
    '5.34.0',
  ]);
});

describeWithCharts('an OCI chart repository, end to end', (helm, chartDir) => {
  const VERSION = '5.30.0-develop.20260411'; // the archives' own version: the registry serves that tag
  let registry: FakeOciRegistry;
  let dir: string;
  const savedHelm = process.env.HELM;
  beforeAll(async () => {
    registry = await startFakeOciRegistry([realChartArchive('wire-server')!, realChartArchive('nginx-ingress-services')!]);
    dir = mkdtempSync(join(tmpdir(), 'wfc-oci-'));
    process.env.HELM = helm;
  });
  afterAll(async () => {
    await registry.close();
    rmSync(dir, { recursive: true, force: true });
    if (savedHelm === undefined) delete process.env.HELM;
    else process.env.HELM = savedHelm;
  });

  const onprem = environments.find((e) => e.environment === 'onprem')!;
  const input = (): WireFederationInput => ({
    ...onprem,
    charts: { repository: registry.repository, wireServer: { ...onprem.charts.wireServer, version: VERSION }, nginxIngressServices: { version: VERSION } },
  });
  const configOf = () => {
    const result = validateEnvironments([{ input: input(), baseDir: ENVIRONMENTS_BASE_DIR }]);
    expect(result.findings.filter((f) => f.level === 'error')).toEqual([]);
    return result.configs[0];
  };

  test('synthesizes: each helm release names the OCI registry and the chart', () => {
    const json = JSON.parse(Testing.synth(new FederationStack(Testing.app(), { config: configOf() })));
    const releases = Object.values(json.resource.helm_release as Record<string, any>).filter(
      (r) => r.chart === 'wire-server' || r.chart === 'nginx-ingress-services',
    );
    expect(releases.map((r) => [r.chart, r.repository, r.version]).sort()).toEqual([
      ['nginx-ingress-services', registry.repository, VERSION],
      ['wire-server', registry.repository, VERSION],
    ]);
  });

  test('renders by pulling oci://127.0.0.1/…/<chart> from the registry, and from a local archive; every check holds', async () => {
    const config = configOf();
    const stack: SynthesizedStack = JSON.parse(Testing.synth(new FederationStack(Testing.app(), { config })));
    const pulled = renderEnvironment(config, stack, { helm, plainHttp: true });
    expect(pulled.releases.map((r) => r.error)).toEqual([undefined, undefined]);
    expect(pulled.findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(pulled.releases.map((r) => r.chartSource).sort()).toEqual([
      `${registry.repository}/nginx-ingress-services ${VERSION}`,
      `${registry.repository}/wire-server ${VERSION}`,
    ]);
    const tag = VERSION;
    await new Promise((r) => setTimeout(r, 300)); // the registry's request lines arrive once this process runs again
    expect(registry.requests).toEqual(
      expect.arrayContaining([`GET /v2/wire/charts/stable/wire-server/manifests/${tag}`, `GET /v2/wire/charts/stable/nginx-ingress-services/manifests/${tag}`]),
    );
    const local = renderEnvironment(config, stack, { helm, chartDir });
    expect(local.findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(local.releases.map((r) => r.manifests.length)).toEqual(pulled.releases.map((r) => r.manifests.length));
  }, 60_000);

  test('adopts: adopt over running values writes the record and the values for an OCI-repository config', async () => {
    const fixtures = join(REPO_ROOT, '__tests__', 'fixtures', 'adopt', 'onprem');
    const file = join(dir, 'oci.yaml');
    mkdirSync(join(dir, 'locks'));
    const { adoptionFile: _record, ...rest } = input();
    const cfg = {
      ...rest,
      environment: 'ocienv',
      peers: rest.peers!.map((p) => ({ ...p, caCertificates: [{ file: join(REPO_ROOT, 'stacks/environments/peers/partner-example-net-ca.pem') }] })),
    };
    writeFileSync(file, stringify({ ...cfg, charts: { ...cfg.charts, wireServer: { version: VERSION } } }));
    const run = await cli([
      'adopt',
      file,
      '--values-from',
      `wire-server=${join(fixtures, 'wire-server.yaml')}`,
      '--values-from',
      `nginx-ingress-services=${join(fixtures, 'nginx-ingress-services.yaml')}`,
      '--record',
      join(dir, 'ocienv.json'),
      '--locks-dir',
      join(dir, 'locks'),
      '--no-dns',
    ]);
    expect({ err: run.err, out: run.code === 0 ? '' : run.out }).toEqual({ err: '', out: '' });
    expect(run.code).toBe(0);
    const record = JSON.parse(readFileSync(join(dir, 'ocienv.json'), 'utf8'));
    expect(record.releases.wireServer).toMatchObject({ import: 'wire/wire-server' });
    expect(record.releases.nginxIngressServices).toMatchObject({ import: 'wire/nginx-ingress-services', sensitiveValues: [] });
  }, 60_000);
});
