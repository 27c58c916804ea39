/**
 * Monitoring in the stack (`monitoring` in the config): off by default; when enabled, the
 * exporter's ConfigMap, Deployment and Service and the local chart with the ServiceMonitor and
 * PrometheusRule, the certificate secret of each PKI mode mounted, the pod's config valid for
 * the same schema; the chart rendered by a real helm.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { parseFederationConfig } from '../../lib/config';
import { federationAlertRules } from '../../lib/monitoring/alert-rules';
import { CONFIG_DIR, FILES } from '../../lib/monitoring/exporter-config';
import { EXPORTER_IMAGE_REPOSITORY } from '../../lib/monitoring/exporter-image';
import { federationDashboard } from '../../lib/monitoring/dashboard';
import { monitoringChartValues } from '../../lib/monitoring/monitoring-rules';
import { FEDERATOR_TLS_SECRET } from '../../lib/helm/values/wire-ingress';
import { CHARTS_DIR } from '../../lib/package-dir';
import { Testing } from 'cdktf';
import { FederationStack } from '../../stacks/federation-stack';
import { REPO_ROOT, Synth, baseInput, parse, problemsOf, resourceAt, synthStack } from '../support/config';
import { describeWithHelm } from '../support/test-tools';
import { CERT_MANAGER, wireIngressInput } from '../ingress/support';

const MONITORING = { enabled: true } as const;
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const deployment = (json: Synth): Synth => resourceAt(json, 'kubernetes_deployment_v1', 'Federation/Monitoring/Exporter/Deployment');
const container = (json: Synth): Synth => deployment(json).spec.template.spec.container[0];
const secretOf = (json: Synth): string => deployment(json).spec.template.spec.volume.find((v: Synth) => v.name === 'client-certificate').secret.secret_name;
const configMap = (json: Synth): Synth => resourceAt(json, 'kubernetes_config_map_v1', 'Federation/Monitoring/Exporter/Config');

describe('monitoring is off by default', () => {
  test('no exporter, no monitoring release, no Kubernetes provider added', () => {
    const json = synthStack(baseInput());
    expect(json.resource.kubernetes_deployment_v1).toBeUndefined();
    expect(Object.keys(json.resource.helm_release).filter((id) => id.includes('Monitoring'))).toEqual([]);
    expect(json.provider.kubernetes).toBeUndefined();
  });
});

describe('monitoring.enabled (private CA, nginx-ingress-services)', () => {
  const json = synthStack(baseInput({ monitoring: MONITORING }));

  test('a Deployment runs verify --serve with the mounted files, in the wire namespace', () => {
    const d = deployment(json);
    expect(d.metadata).toMatchObject({ name: 'wire-federation-exporter', namespace: 'wire' });
    expect(container(json).args).toEqual([
      'verify',
      '--config',
      `${CONFIG_DIR}/config.json`,
      '--serve',
      '--listen',
      ':9464',
      '--interval',
      '60s',
      '--timeout',
      '5000',
      '--ca',
      `${CONFIG_DIR}/ca.pem`,
      '--client-cert',
      '/etc/wire-federation/client/tls.crt',
      '--client-key',
      '/etc/wire-federation/client/tls.key',
      '--peers',
    ]);
    expect(container(json).security_context).toEqual({ allow_privilege_escalation: false, read_only_root_filesystem: true, capabilities: { drop: ['ALL'] } });
    expect(d.spec.template.spec.automount_service_account_token).toBe(false);
    expect(json.provider.kubernetes).toHaveLength(1);
  });

  test('resources sized from the soak (no CPU limit), probes with a 5 s timeout', () => {
    const c = container(json);
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } });
    for (const probe of [c.liveness_probe, c.readiness_probe]) {
      expect(probe).toMatchObject({ timeout_seconds: 5, failure_threshold: 3, http_get: { path: '/healthz', port: 'metrics' } });
    }
  });

  test('the default image follows the package version', () => {
    expect(container(json).image).toBe(`${EXPORTER_IMAGE_REPOSITORY}:${PACKAGE_VERSION}`);
    expect(container(synthStack(baseInput({ monitoring: { enabled: true, image: 'registry.example/wf:1' } }))).image).toBe('registry.example/wf:1');
  });

  test('our federator certificate comes from the secret nginx-ingress-services makes', () => {
    expect(secretOf(json)).toBe('federator-certificate-secret');
    expect(deployment(json).depends_on).toEqual([expect.stringMatching(/^helm_release\.Federation_NginxIngressServices_/)]);
  });

  test("the ConfigMap holds a config the exporter can parse, with the peers' CAs inline and our CA bundle", () => {
    const data = configMap(json).data;
    expect(Object.keys(data).sort()).toEqual([FILES.ca, FILES.config]);
    expect(data[FILES.ca]).toMatch(/^\$\{.*tls_self_signed_cert\./);
    const parsed = parseFederationConfig(JSON.parse(data[FILES.config]), { baseDir: mkdtempSync(join(tmpdir(), 'wfc-exporter-')) });
    expect(parsed.backendDomain).toBe('example.com');
    expect(parsed.peers[0].caCertificates[0]).toMatchObject({ kind: 'pem' });
    expect(parsed.monitoring.enabled).toBe(false);
    expect(data[FILES.config]).not.toMatch(/valuesFiles|kubeconfig|adoptionFile/);
  });

  test('a config change rolls the pod (hash annotation)', () => {
    const other = synthStack(baseInput({ monitoring: MONITORING, peers: [] }));
    const hash = (j: Synth) => deployment(j).spec.template.metadata.annotations['wire-federation/config-sha256'];
    expect(hash(json)).toMatch(/^[0-9a-f]{64}$/);
    expect(hash(other)).not.toBe(hash(json));
  });

  test('a Service for Prometheus and the local monitoring chart, after it', () => {
    const service = resourceAt(json, 'kubernetes_service_v1', 'Federation/Monitoring/Exporter/Service');
    expect(service.spec.port).toEqual([{ name: 'metrics', port: 9464, target_port: 'metrics' }]);
    const release = resourceAt(json, 'helm_release', 'Federation/Monitoring/Rules/Release');
    expect(release.chart).toMatch(/^assets\/Federation_Monitoring_Rules_Chart_/);
    expect(release.depends_on).toEqual([expect.stringMatching(/^kubernetes_service_v1\.Federation_Monitoring_Exporter_Service_/)]);
    expect(parseYaml(release.values[0]).prometheusRule.groups).toEqual(federationAlertRules());
  });

  test('the PrometheusRule waits for rounds as long as the configured interval makes /healthz wait', () => {
    const slow = synthStack(baseInput({ monitoring: { enabled: true, interval: '5m' } }));
    const groups = parseYaml(resourceAt(slow, 'helm_release', 'Federation/Monitoring/Rules/Release').values[0]).prometheusRule.groups;
    expect(groups).toEqual(federationAlertRules({ intervalMs: 300_000 }));
    const stalled = groups[0].rules.find((r: { alert: string }) => r.alert === 'WireFederationRoundsStalled');
    expect(stalled.expr).toContain('> 1200)');
  });

  test('without the Prometheus Operator: no monitoring release', () => {
    const plain = synthStack(baseInput({ monitoring: { enabled: true, serviceMonitor: { enabled: false }, prometheusRule: { enabled: false } } }));
    expect(Object.keys(plain.resource.helm_release).filter((id) => id.includes('Monitoring'))).toEqual([]);
    expect(plain.resource.kubernetes_deployment_v1).toBeDefined();
  });
});

describe('the secret of each PKI mode and ingress chart', () => {
  test("cert-manager with nginx-ingress-services: the Certificate's federator-certificate-secret", () => {
    expect(secretOf(synthStack(baseInput({ monitoring: MONITORING, pki: CERT_MANAGER })))).toBe('federator-certificate-secret');
  });
  test('private CA with wire-ingress: the TLS secret this project creates, and the exporter after it', () => {
    const json = synthStack(wireIngressInput({ monitoring: MONITORING }));
    expect(secretOf(json)).toBe(FEDERATOR_TLS_SECRET);
    expect(deployment(json).depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^kubernetes_secret\.Federation_FederatorTlsSecret_/)]));
  });
  test("cert-manager with wire-ingress: the chart's Certificate secret", () => {
    expect(secretOf(synthStack(wireIngressInput({ monitoring: MONITORING, pki: CERT_MANAGER })))).toBe('federator-certificate-secret');
  });
  test("a peer whose CA is another environment's output is checked against our trust bundle", () => {
    const app = Testing.app();
    const stack = new FederationStack(app, {
      config: parse(
        baseInput({ environment: 'red', monitoring: MONITORING, peers: [{ domain: 'blue.example.net', caCertificates: [{ environment: 'blue' }] }] }),
      ),
      otherEnvironments: new Map([['blue', { type: 'local' as const }]]),
    });
    const json = JSON.parse(Testing.synth(stack)) as Synth;
    expect(container(json).args).toEqual(expect.arrayContaining(['--peer-ca', `blue.example.net=${CONFIG_DIR}/${FILES.peerCas}`]));
    expect(configMap(json).data[FILES.peerCas]).toMatch(/^\$\{/);
  });
});

describe('monitoring config errors name the field', () => {
  test.each([
    [{ enabled: true, interval: 'often' }, 'monitoring.interval'],
    [{ enabled: true, timeoutMs: 5 }, 'monitoring.timeoutMs'],
    [{ enabled: true, serviceMonitor: { labels: { 'bad label!': 'x' } } }, 'monitoring.serviceMonitor.labels'],
    [{ enabled: true, dnsServer: 'dns.example' }, 'monitoring.dnsServer'],
  ])('%j', (monitoring, path) => {
    const problems = problemsOf(baseInput({ monitoring: monitoring }));
    expect(problems.map((p) => p.path)).toEqual([expect.stringContaining(path)]);
  });
});

describeWithHelm('the monitoring chart rendered by helm', (helm) => {
  const render = (values: string): Array<{ kind: string; metadata: { name: string; labels: Record<string, string> }; spec: any }> => {
    const dir = mkdtempSync(join(tmpdir(), 'wfc-monitoring-chart-'));
    try {
      writeFileSync(join(dir, 'values.yaml'), values);
      const out = execFileSync(
        helm,
        ['template', 'mon', join(CHARTS_DIR, 'wire-federation-monitoring'), '--namespace', 'wire', '-f', join(dir, 'values.yaml')],
        { encoding: 'utf8' },
      );
      return parseAllDocuments(out)
        .map((d) => d.toJS())
        .filter(Boolean);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const values = (serviceMonitor: boolean, prometheusRule: boolean): string =>
    monitoringChartValues({
      name: 'wire-federation-exporter',
      serviceMonitor: { enabled: serviceMonitor, labels: { release: 'kube-prometheus-stack' }, interval: '30s' },
      prometheusRule: { enabled: prometheusRule, labels: { release: 'kube-prometheus-stack' } },
    });

  test("a ServiceMonitor that selects the exporter's Service and a PrometheusRule with the rules, templates intact", () => {
    const docs = render(values(true, true));
    expect(docs.map((d) => d.kind).sort()).toEqual(['ConfigMap', 'PrometheusRule', 'ServiceMonitor']);
    const monitor = docs.find((d) => d.kind === 'ServiceMonitor')!;
    expect(monitor.metadata.labels.release).toBe('kube-prometheus-stack');
    expect(monitor.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'wire-federation-exporter' } },
      namespaceSelector: { matchNames: ['wire'] },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }],
    });
    const rule = docs.find((d) => d.kind === 'PrometheusRule')!;
    expect(rule.spec.groups).toEqual(federationAlertRules());
    expect(JSON.stringify(rule.spec)).toContain('{{ $labels.peer }}');
  });

  test('each one can be left out', () => {
    expect(render(values(false, true)).map((d) => d.kind)).toEqual(['ConfigMap', 'PrometheusRule']);
    expect(render(values(true, false)).map((d) => d.kind)).toEqual(['ConfigMap', 'ServiceMonitor']);
    expect(
      render(`${values(true, true)}dashboard:\n  enabled: false\n`)
        .map((d) => d.kind)
        .sort(),
    ).toEqual(['PrometheusRule', 'ServiceMonitor']);
  });

  test('the Grafana dashboard as a ConfigMap for the sidecar, the JSON intact', () => {
    const map = render(values(true, true)).find((d) => d.kind === 'ConfigMap') as unknown as {
      metadata: { name: string; labels: Record<string, string> };
      data: Record<string, string>;
    };
    expect(map.metadata.name).toBe('wire-federation-exporter-dashboard');
    expect(map.metadata.labels.grafana_dashboard).toBe('1');
    expect(JSON.parse(map.data['wire-federation.json'])).toEqual(federationDashboard());
  });
});
