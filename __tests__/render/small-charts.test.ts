/**
 * render with the real helm against small charts this test makes: a `wire-server` whose
 * configmaps carry the federation values where the real chart puts them (wire-server
 * charts/wire-server/templates/{brig,galley,cargohold,background-worker}/configmap.yaml, the
 * federator subchart's templates/{ca,configmap,deployment}.yaml), and an
 * `nginx-ingress-services` with the federator Ingress, its client CA secret and certificate
 * secret (charts/nginx-ingress-services/templates/{ingress_federator,ca_federator,secret_federator}.yaml).
 * Runs without the real chart archives; skips visibly without helm.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { WireFederationConfig } from '../../lib/config';
import { RENDER_RULE_IDS } from '../../lib/render/checks';
import { locateChart } from '../../lib/render/helm';
import { RenderResult, renderEnvironment, reviewText } from '../../lib/render/render';
import type { SynthesizedStack } from '../../lib/render/releases';
import { synthesizeForRender } from '../../lib/render/synth';
import { baseInput, parse } from '../support/config';
import { describeWithHelm } from '../support/test-tools';

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const cm = (name: string, key: string, body: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  ${key}: |
${body}`;

/** The small charts, in a folder as `--chart-dir` takes it. */
function smallCharts(): string {
  const dir = mkdtempSync(join(tmpdir(), 'render-small-charts-'));
  write(join(dir, 'wire-server'), {
    'Chart.yaml':
      'apiVersion: v2\nname: wire-server\nversion: 5.32.0\ndependencies:\n  - name: federator\n    version: 0.0.1\n    tags: [federator, federation]\n',
    'values.yaml':
      'tags:\n  federation: false\nbrig:\n  replicaCount: 3\n  config:\n    enableFederation: false\n    optSettings:\n      setFederationStrategy: allowNone\n  secrets: {}\ngalley:\n  config:\n    settings: {}\n  secrets: {}\ncargohold:\n  config:\n    settings: {}\nbackground-worker:\n  config: {}\n  secrets: {}\ncannon:\n  secrets: {}\ngundeck:\n  secrets: {}\n',
    'templates/brig.yaml': cm(
      'brig',
      'brig.yaml',
      `    {{- with .Values.brig.config }}
    enableFederation: {{ .enableFederation }}
    {{- with .optSettings }}
    optSettings:
      setFederationDomain: {{ .setFederationDomain }}
      setFederationStrategy: {{ .setFederationStrategy }}
      {{- if .setFederationDomainConfigs }}
      setFederationDomainConfigs: {{ toYaml .setFederationDomainConfigs | nindent 8 }}
      {{- end }}
    {{- end }}
    {{- end }}
`,
    ),
    'templates/galley.yaml': cm(
      'galley',
      'galley.yaml',
      `    settings:
      federationDomain: {{ .Values.galley.config.settings.federationDomain }}
      {{- if .Values.galley.config.settings.federationProtocols }}
      federationProtocols: {{ .Values.galley.config.settings.federationProtocols }}
      {{- end }}
    enableFederation: {{ .Values.galley.config.enableFederation }}
`,
    ),
    'templates/cargohold.yaml': cm(
      'cargohold',
      'cargohold.yaml',
      '    settings:\n      federationDomain: {{ .Values.cargohold.config.settings.federationDomain }}\n    enableFederation: {{ .Values.cargohold.config.enableFederation }}\n',
    ),
    'templates/background-worker.yaml': `{{- $bw := index .Values "background-worker" }}\n${cm('background-worker', 'background-worker.yaml', '    federationDomain: {{ $bw.config.federationDomain }}\n    enableFederation: {{ $bw.config.enableFederation }}\n')}`,
    'templates/secrets.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: brig
data:
  rabbitmq: {{ required "brig.secrets.rabbitmq is required" .Values.brig.secrets.rabbitmq.password | b64enc | quote }}
  galley: {{ .Values.galley.secrets.rabbitmq.password | b64enc | quote }}
  cannon: {{ .Values.cannon.secrets.rabbitmq.password | b64enc | quote }}
  gundeck: {{ .Values.gundeck.secrets.rabbitmq.password | b64enc | quote }}
  bw: {{ (index .Values "background-worker").secrets.rabbitmq.password | b64enc | quote }}
  bwu: {{ (index .Values "background-worker").secrets.rabbitmq.username | b64enc | quote }}
  bu: {{ .Values.brig.secrets.rabbitmq.username | b64enc | quote }}
  gu: {{ .Values.galley.secrets.rabbitmq.username | b64enc | quote }}
  cu: {{ .Values.cannon.secrets.rabbitmq.username | b64enc | quote }}
  gdu: {{ .Values.gundeck.secrets.rabbitmq.username | b64enc | quote }}
`,
    'charts/federator/Chart.yaml': 'apiVersion: v2\nname: federator\nversion: 0.0.1\n',
    'charts/federator/values.yaml': 'tls:\n  useSharedFederatorSecret: false\nconfig:\n  optSettings:\n    useSystemCAStore: true\n',
    'charts/federator/templates/ca.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: federator-ca\ndata:\n  ca.crt: {{ .Values.remoteCAContents | quote }}\n',
    'charts/federator/templates/configmap.yaml': cm(
      'federator',
      'federator.yaml',
      '    optSettings:\n      useSystemCAStore: {{ .Values.config.optSettings.useSystemCAStore }}\n',
    ),
    'charts/federator/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: federator
spec:
  template:
    spec:
      volumes:
        - name: federator-secrets
          secret:
            secretName: {{ if .Values.tls.useSharedFederatorSecret }}federator-certificate-secret{{ else }}{{ fail "must set .Values.tls.useSharedFederatorSecret" }}{{ end }}
`,
  });
  write(join(dir, 'nginx-ingress-services'), {
    'Chart.yaml': 'apiVersion: v2\nname: nginx-ingress-services\nversion: 5.32.0\n',
    'values.yaml': 'federator:\n  enabled: false\ntls:\n  enabled: true\n  useCertManager: false\n  verify_depth: 1\nconfig:\n  dns: {}\nsecrets: {}\n',
    'templates/ingress.yaml': `{{- if .Values.federator.enabled }}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: federator-ingress
  annotations:
    nginx.ingress.kubernetes.io/auth-tls-verify-client: "on"
    nginx.ingress.kubernetes.io/auth-tls-verify-depth: "{{ .Values.tls.verify_depth }}"
    nginx.ingress.kubernetes.io/auth-tls-secret: "{{ .Release.Namespace }}/federator-ca-secret"
spec:
  tls:
    - hosts: [{{ .Values.config.dns.federator }}]
      secretName: federator-certificate-secret
  rules:
    - host: {{ .Values.config.dns.federator }}
---
apiVersion: v1
kind: Secret
metadata:
  name: federator-ca-secret
data:
  ca.crt: {{ .Values.secrets.tlsClientCA | b64enc | quote }}
---
apiVersion: v1
kind: Secret
metadata:
  name: federator-certificate-secret
type: kubernetes.io/tls
data:
  tls.crt: {{ .Values.secrets.tlsWildcardCert | b64enc | quote }}
  tls.key: {{ .Values.secrets.tlsWildcardKey | b64enc | quote }}
{{- end }}
`,
  });
  return dir;
}

describeWithHelm('render against small charts made by the test', (helm) => {
  const chartDir = smallCharts();
  let config: WireFederationConfig;
  let stack: SynthesizedStack;
  let result: RenderResult;
  beforeAll(() => {
    config = parse(baseInput({ pki: { mode: 'private-ca' } }));
    stack = synthesizeForRender(config);
    result = renderEnvironment(config, stack, { helm, chartDir });
  });
  /** The stack with one more values document on the release of `chart`. */
  const withValues = (chart: string, yaml: string): SynthesizedStack => {
    const copy = JSON.parse(JSON.stringify(stack));
    const release = Object.values(copy.resource.helm_release as Record<string, any>).find((r) => r.chart === chart);
    release.values.push(yaml);
    return copy;
  };
  const rules = (r: RenderResult) => r.findings.map((f) => f.rule);

  test('the synthesized releases render, every check holds', () => {
    expect(result.releases.map((r) => [r.release.chart, r.error])).toEqual([
      ['nginx-ingress-services', undefined],
      ['wire-server', undefined],
    ]);
    expect(result.findings).toEqual([]);
    const brig = parseYaml(result.releases[1].manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'brig')!.data['brig.yaml']);
    expect(brig.optSettings).toEqual({
      setFederationDomain: 'example.com',
      setFederationStrategy: 'allowDynamic',
      setFederationDomainConfigs: [{ domain: 'wire.acme.test', search_policy: 'no_search' }],
    });
    // secrets reached the chart only as marked placeholders
    const secret = result.releases[1].manifests.find((m) => m.kind === 'Secret')!;
    expect(Buffer.from(secret.data.rabbitmq, 'base64').toString()).toBe('SENSITIVE-PLACEHOLDER(brig.secrets.rabbitmq.password)');
  });

  test('a wrong domain in one service is reported for that service', () => {
    const r = renderEnvironment(config, withValues('wire-server', 'cargohold: {config: {settings: {federationDomain: other.example}}}\n'), { helm, chartDir });
    expect(r.findings).toEqual([expect.objectContaining({ rule: RENDER_RULE_IDS.backendDomain, path: 'wire-server:ConfigMap/cargohold' })]);
    expect(r.findings[0].message).toContain('"other.example"');
  });

  test('a key the chart never reads is a warning naming the file; keys passed on whole (toYaml) are read', () => {
    const values = { brig: { config: { optSettings: { setFederationDomainConfigs: [{ domain: 'x' }], setFooBar: 1 } }, typo: { a: 1 } } };
    const withFile: WireFederationConfig = {
      ...config,
      charts: {
        ...config.charts,
        wireServer: { ...config.charts.wireServer, valuesDocuments: [{ file: 'values/ws.yaml', path: 'charts.wireServer.valuesFiles[0]', values }] },
      },
    };
    const r = renderEnvironment(
      withFile,
      withValues('wire-server', 'brig: {config: {optSettings: {setFooBar: 1}}, typo: {a: 1}}\ntags: {nosuchtag: true, federator: true}\n'),
      { helm, chartDir },
    );
    const unread = r.findings.filter((f) => f.rule === RENDER_RULE_IDS.unreadValue);
    expect(unread.map((f) => [f.level, f.path])).toEqual([
      ['warning', 'charts.wireServer.valuesFiles[0]'],
      ['warning', 'charts.wireServer.valuesFiles[0]'],
      ['warning', 'wire-server:tags.nosuchtag'],
    ]);
    expect(unread[0].message).toContain('values file values/ws.yaml sets wire-server value brig.config.optSettings.setFooBar');
    expect(unread[1].message).toContain('brig.typo');
    expect(unread[2].message).toContain('the federation config sets wire-server value tags.nosuchtag');
  });

  test("a chart's required/fail guard is a render-failed error with the chart's message", () => {
    const r = renderEnvironment(config, withValues('wire-server', 'federator: {tls: {useSharedFederatorSecret: false}}\n'), { helm, chartDir });
    expect(rules(r)).toEqual([RENDER_RULE_IDS.renderFailed]);
    expect(r.findings[0].message).toContain('must set .Values.tls.useSharedFederatorSecret');
  });

  test('without the federator ingress, the federator client certificate secret is made by nobody', () => {
    const r = renderEnvironment(config, withValues('nginx-ingress-services', 'federator: {enabled: false}\n'), { helm, chartDir });
    expect(rules(r).sort()).toEqual([RENDER_RULE_IDS.clientCertificateSecret, RENDER_RULE_IDS.missingManifest]);
  });

  test('verify depth 0 and an empty client CA bundle', () => {
    const r = renderEnvironment(config, withValues('nginx-ingress-services', 'tls: {verify_depth: 0}\nsecrets: {tlsClientCA: ""}\n'), { helm, chartDir });
    expect(rules(r).sort()).toEqual([RENDER_RULE_IDS.clientCa, RENDER_RULE_IDS.verifyDepth]);
  });

  test('review text: ConfigMaps first, secrets masked, certificates readable', () => {
    const text = reviewText(result.releases[0].manifests);
    expect(text.indexOf('# Secret/')).toBeGreaterThanOrEqual(0);
    expect(text).not.toContain('SENSITIVE-PLACEHOLDER');
    expect(text).toContain('(masked)');
    expect(text).not.toMatch(/masked, sha256/);
    expect(text).toContain('PLACEHOLDER/tls/self/signed/cert');
    const ws = reviewText(result.releases[1].manifests);
    expect(ws.indexOf('# ConfigMap/')).toBe(0);
    expect(ws.indexOf('# ConfigMap/')).toBeLessThan(ws.indexOf('# Deployment/'));
  });

  test('charts are found by exact version, by folder, else the newest archive of the chart', () => {
    expect(locateChart({ chart: 'wire-server', version: '5.32.0' }, chartDir)).toEqual({ kind: 'local', path: join(chartDir, 'wire-server') });
    expect(locateChart({ chart: 'wire-ingress', version: '5.32.0' }, chartDir)).toBeUndefined();
    expect(locateChart({ chart: 'wire-ingress', version: '5.32.0', repository: 'https://charts.example' })).toEqual({
      kind: 'repository',
      repository: 'https://charts.example',
      chart: 'wire-ingress',
      version: '5.32.0',
    });
  });
});
