/**
 * The exporter exposes verify's calling checks: every check id as check_ok / check_status series
 * (our coturn with peer="", a peer's coturn with its domain), and the coturn certificates'
 * expiry (subjects coturn and peer_coturn).
 */
import { Registry } from 'prom-client';
import { RoundResult, checkState, createMetrics, recordRound } from '../../lib/verify/serve';
import type { CheckResult } from '../../lib/verify/report';
import { COTURN_DIR, exporterConfig } from '../../lib/monitoring/exporter-config';
import { COTURN_DTLS_SECRET, callingEndpoints } from '../../lib/calling/endpoints';
import { PEER_CA_PEM, Synth, baseInput, parse, resourceAt, synthStack } from '../support/config';

/** The parts of the synthesized Deployment these tests read. */
interface DeploymentJson {
  readonly spec: {
    readonly template: {
      readonly spec: {
        readonly container: readonly { readonly args: string[]; readonly volume_mount: unknown[] }[];
        readonly volume: readonly { readonly name: string }[];
      };
    };
  };
}

const checks: CheckResult[] = [
  { id: 'calling.dtls.connect', status: 'pass', message: 'a DTLS server answers' },
  { id: 'calling.dtls.expiry', status: 'pass', message: 'valid', details: { notAfter: '2027-03-01T00:00:00.000Z' } },
  { id: 'calling.dtls.mutual', status: 'fail', message: 'the handshake completed without a client certificate' },
  { id: 'peer[b.example].calling.dtls', status: 'pass', message: 'answers' },
  { id: 'peer[b.example].calling.expiry', status: 'warn', message: 'soon', details: { notAfter: '2027-01-01T00:00:00.000Z' } },
  { id: 'peer[b.example].calling.accepts-us', status: 'fail', message: 'alert "certificate unknown" (46)' },
  { id: 'peer[c.example].calling.dtls', status: 'fail', message: 'no DTLS answer', inconclusive: true },
];

test('calling checks and coturn certificate expiry as metrics', async () => {
  const registry = new Registry();
  const metrics = createMetrics(registry, { environment: 'red', backendDomain: 'a.example', federatorDomain: 'federator.a.example' });
  const round: RoundResult = {
    report: {
      environment: 'red',
      backendDomain: 'a.example',
      federatorDomain: 'federator.a.example',
      checks,
      skipped: [{ id: 'peer[c.example].calling.accepts-us', reason: 'no DTLS server answered' }],
    },
    states: [...checks.map((c) => ({ id: c.id, state: checkState(c) })), { id: 'peer[c.example].calling.accepts-us', state: 'skipped' as const }],
    startedAt: new Date('2026-12-06T12:00:00Z'),
    durationSeconds: 1,
    missedDeadline: [],
  };
  recordRound(metrics, round, undefined);
  const text = await registry.metrics();
  expect(text).toContain('wire_federation_check_ok{check="calling.dtls.connect",peer=""} 1');
  expect(text).toContain('wire_federation_check_status{check="calling.dtls.mutual",peer="",status="fail"} 1');
  expect(text).toContain('wire_federation_check_status{check="calling.accepts-us",peer="b.example",status="fail"} 1');
  expect(text).toContain('wire_federation_check_status{check="calling.dtls",peer="c.example",status="error"} 1');
  expect(text).toContain('wire_federation_check_status{check="calling.accepts-us",peer="c.example",status="skipped"} 1');
  expect(text).toContain(`wire_federation_certificate_not_after_timestamp_seconds{subject="coturn",peer=""} ${Date.parse('2027-03-01T00:00:00Z') / 1000}`);
  expect(text).toContain(
    `wire_federation_certificate_not_after_timestamp_seconds{subject="peer_coturn",peer="b.example"} ${Date.parse('2027-01-01T00:00:00Z') / 1000}`,
  );
});

describe('the exporter in the cluster with calling on', () => {
  const input = baseInput({
    monitoring: { enabled: true },
    charts: { wireServer: { version: '5.34.0' }, nginxIngressServices: { version: '5.34.0' }, coturn: { version: '4.6.2' }, sftd: { version: '0.0.43' } },
    calling: { enabled: true, coturn: { host: 'coturn.wire.example.org', publicIps: ['203.0.113.20'] } },
    peers: [
      { domain: 'wire.acme.test', caCertificates: [{ pem: PEER_CA_PEM }], calling: { coturnHost: 'coturn.wire.acme.test', publicIps: ['198.51.100.40'] } },
    ],
  });
  const deploymentOf = (json: Synth): DeploymentJson =>
    resourceAt(json, 'kubernetes_deployment_v1', 'Federation/Monitoring/Exporter/Deployment') as DeploymentJson;
  const deployment = deploymentOf(synthStack(input));
  const container = deployment.spec.template.spec.container[0];

  test('presents our coturn certificate from its Secret, with a writable /tmp for the DTLS probe', () => {
    expect(container.args).toEqual(expect.arrayContaining(['--coturn-cert', `${COTURN_DIR}/tls.crt`, '--coturn-key', `${COTURN_DIR}/tls.key`]));
    expect(deployment.spec.template.spec.volume).toEqual(
      expect.arrayContaining([
        {
          name: 'coturn-certificate',
          secret: {
            secret_name: COTURN_DTLS_SECRET,
            default_mode: '0440',
            items: [
              { key: 'tls.crt', path: 'tls.crt' },
              { key: 'tls.key', path: 'tls.key' },
            ],
          },
        },
        { name: 'tmp', empty_dir: { medium: 'Memory', size_limit: '16Mi' } },
      ]),
    );
    expect(container.volume_mount).toEqual(
      expect.arrayContaining([
        { name: 'coturn-certificate', mount_path: COTURN_DIR, read_only: true },
        { name: 'tmp', mount_path: '/tmp' },
      ]),
    );
  });

  test("the pod's config parses and runs the same calling checks: ours and the peer's coturn", () => {
    const files = exporterConfig(parse(input));
    const inPod = parse(files.config);
    expect(callingEndpoints(inPod)).toEqual(callingEndpoints(parse(input)));
    expect(inPod.calling.enabled).toBe(true);
  });

  test('without calling: no coturn mount, no /tmp, no --coturn-cert', () => {
    const d = deploymentOf(synthStack(baseInput({ monitoring: { enabled: true } })));
    expect(d.spec.template.spec.container[0].args).not.toContain('--coturn-cert');
    expect(d.spec.template.spec.volume.map((v) => v.name)).toEqual(['config', 'client-certificate']);
  });
});
