/**
 * `wire-federation render`, in process: exit 2 without helm (saying how to get it) or for usage
 * mistakes, 1 for an invalid config (not rendered) or failed checks, 0 when every check holds.
 * Rendering runs the real helm, with the real chart archives where they exist.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli';
import { describeWithCallingCharts } from '../support/test-tools';

let dir: string;
const savedHelm = process.env.HELM;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wfc-cli-render-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (savedHelm === undefined) delete process.env.HELM;
  else process.env.HELM = savedHelm;
});

describe('render without helm or with usage mistakes', () => {
  test('no helm: exit 2 and how to get it', async () => {
    process.env.HELM = join(dir, 'no-such-helm');
    const run = await cli(['render', 'red']);
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    expect(run.err).toMatch(/^error: HELM=.*no-such-helm does not exist: install helm .*https:\/\/helm\.sh\/docs\/intro\/install\/.*set HELM=/);
  });

  test('unknown environment and missing chart folder: exit 2', async () => {
    process.env.HELM = process.execPath; // exists; never run for usage errors
    expect((await cli(['render', 'nosuchenv'])).err).toContain('unknown environment "nosuchenv"; known: staging, production, red, blue, onprem');
    const run = await cli(['render', 'red', '--chart-dir', join(dir, 'none')]);
    expect(run.code).toBe(2);
    expect(run.err).toContain('--chart-dir');
  });

  test('an invalid config is not rendered: its findings, exit 1', async () => {
    process.env.HELM = process.execPath;
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'environment: bad\nbackendDomain: example.com\nfederatorDomain: federator.example.com\ningress: {ipv4: 203.0.113.1}\ndns: {backendZoneId: "0123456789abcdef0123456789abcdef", infrastructureZoneId: "0123456789abcdef0123456789abcdef", srv: {weight: 0}}\ncharts: {wireServer: {version: "5.32.0"}, nginxIngressServices: {version: "5.32.0"}}\n',
    );
    const run = await cli(['render', file]);
    expect(run.code).toBe(1);
    expect(run.out).toContain(`✖ ${file}: not rendered (invalid config); 1 error`);
    expect(run.out).toContain('✖ dns.srv.weight: must be between 1 and 65535');
  });
});

// red federates calls: its coturn and sftd releases render with the calling charts beside the Wire ones.
describeWithCallingCharts('render with the real charts', (helm, chartDir) => {
  beforeAll(() => {
    process.env.HELM = helm;
  });

  test('an example environment: valid, the manifests written for review without secrets', async () => {
    const out = join(dir, 'out');
    const run = await cli(['render', 'red', '--chart-dir', chartDir, '--out', out]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out.split('\n')[0]).toMatch(
      /^✔ red: rendered coturn \d+ manifests, sftd \d+ manifests, nginx-ingress-services \d+ manifests, wire-server \d+ manifests; valid$/,
    );
    expect(run.out).toContain(
      '  · wire-server: placeholders for values known at apply: data.terraform_remote_state.PeerState-blue.outputs.ca_certificate_pem, tls_self_signed_cert.',
    );
    expect(readdirSync(join(out, 'red')).sort()).toEqual(['coturn.yaml', 'nginx-ingress-services.yaml', 'sftd.yaml', 'wire-server.yaml']);
    const text = readFileSync(join(out, 'red', 'wire-server.yaml'), 'utf8');
    expect(text.indexOf('# ConfigMap/')).toBeLessThan(text.indexOf('# Secret/'));
    expect(text).toContain('setFederationDomain: red.wire.example.dev');
    expect(text).not.toMatch(/SENSITIVE-PLACEHOLDER|U0VOU0lUSVZF/);
  });

  test('--json, with outputs of deployed stacks: real certificates instead of placeholders', async () => {
    const outputs = join(dir, 'outputs.json');
    const blueCa = readFileSync(join(__dirname, '..', '..', 'stacks', 'environments', 'peers', 'partner-example-net-ca.pem'), 'utf8');
    writeFileSync(outputs, JSON.stringify({ blue: { ca_certificate_pem: blueCa } }));
    const run = await cli(['render', 'red', '--chart-dir', chartDir, '--outputs', outputs, '--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.out);
    expect(json).toMatchObject({ valid: true, environment: 'red', findings: [] });
    const ws = json.releases.find((r: { chart: string }) => r.chart === 'wire-server');
    expect(ws).toMatchObject({ rendered: true, placeholders: ['tls_self_signed_cert.Federation_Ca_Certificate_C339C206.cert_pem'] });
  });
});
