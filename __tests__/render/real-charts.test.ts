/**
 * The example environments rendered by the REAL Wire charts (the archives beside the clone):
 * every environment renders completely and every check holds; then defects injected one at a
 * time (into the synthesized values or the operator's values files) are each reported with the
 * right rule id. Each environment is synthesized and rendered once (beforeAll); a defect renders
 * again (~0.5 s each). Skips visibly without helm or the archives.
 */
import { Testing } from 'cdktf';
import { parse as parseYaml } from 'yaml';
import type { Finding } from '../../lib/checks/finding';
import type { WireFederationConfig } from '../../lib/config';
import { RENDER_RULE_IDS } from '../../lib/render/checks';
import { RenderResult, renderEnvironment } from '../../lib/render/render';
import type { SynthesizedStack } from '../../lib/render/releases';
import { validateEnvironments } from '../../lib/validation/pipeline';
import { synthesizeForRender } from '../../lib/render/synth';
import { addEnvironments, environmentSources } from '../../stacks/app';
import { ENVIRONMENTS_BASE_DIR, LOCKS_DIR, environmentSource, environments } from '../../stacks/environments';
import { describeWithCallingCharts, describeWithCharts } from '../support/test-tools';
import { backendDomainPlaces } from '../../lib/core/chart-facts';

const NAMES = environments.map((e) => e.environment);

describeWithCallingCharts('the example environments rendered by the real charts', (helm, chartDir) => {
  const configs = new Map<string, WireFederationConfig>();
  const stacks = new Map<string, SynthesizedStack>();
  const results = new Map<string, RenderResult>();

  beforeAll(() => {
    const sourceOf = (c: { environment: string }) => environmentSource(c.environment);
    for (const c of validateEnvironments(environmentSources(environments, ENVIRONMENTS_BASE_DIR, { sourceOf })).configs) configs.set(c.environment, c);
    for (const s of addEnvironments(Testing.app(), environments, ENVIRONMENTS_BASE_DIR, { locksDir: LOCKS_DIR, sourceOf })) {
      stacks.set(s.node.id, JSON.parse(Testing.synth(s)));
    }
    for (const name of NAMES) results.set(name, renderEnvironment(configs.get(name)!, stacks.get(name)!, { helm, chartDir }));
  }, 120_000);

  const manifest = (env: string, chart: string, kind: string, name: string) => {
    const release = results.get(env)!.releases.find((r) => r.release.chart === chart)!;
    const m = release.manifests.find((x) => x.kind === kind && x.metadata.name === name);
    if (m === undefined) throw new Error(`${env}: no ${kind}/${name} in ${chart}`);
    return m;
  };

  test.each(NAMES)('%s renders completely and every check holds', (name) => {
    const result = results.get(name)!;
    const config = configs.get(name)!;
    // red and blue federate calls: coturn and sftd too (__tests__/render/calling.test.ts checks them).
    const calling = config.calling.enabled ? ['coturn', 'sftd'] : [];
    expect(result.releases.map((r) => r.release.chart).sort()).toEqual([config.ingress.chart, 'wire-server', ...calling].sort());
    expect(result.releases.map((r) => r.error)).toEqual(result.releases.map(() => undefined));
    const errors = result.findings.filter((f) => f.level === 'error');
    expect(errors).toEqual([]);
    // The adopted environment keeps two keys of its old install that the chart ignores: reported, named by file.
    const warnings = result.findings.filter((f) => f.level === 'warning');
    if (name === 'onprem') {
      expect(warnings.map((w) => w.message.match(/sets wire-server value (\S+),/)?.[1])).toEqual(['tags.spar', 'webapp']);
      expect(warnings.every((w) => w.rule === RENDER_RULE_IDS.unreadValue && w.message.includes('stacks/environments/adopted/onprem/wire-server.yaml'))).toBe(
        true,
      );
    } else {
      expect(warnings).toEqual([]);
    }
    // What the checks read is really there (a check that reads nothing cannot fail): every place
    // the pinned version reads the domain (5.34.0: brig, galley, cargohold; background-worker takes galley's).
    const places = backendDomainPlaces(config.charts.wireServer.version);
    expect(places.map((p) => p.service)).toEqual(['brig', 'galley', 'cargohold']);
    for (const { service: svc, key, path } of places) {
      const doc = parseYaml(manifest(name, 'wire-server', 'ConfigMap', svc).data[key]);
      expect(path.split('.').reduce((o: any, k) => o?.[k], doc)).toBe(config.backendDomain);
    }
    expect(manifest(name, 'wire-server', 'ConfigMap', 'federator-ca').data['ca.crt']).toContain('-----BEGIN CERTIFICATE-----');
  });

  test('the nginx-ingress-services environments demand client certificates against our bundle', () => {
    for (const name of NAMES.filter((n) => configs.get(n)!.ingress.chart === 'nginx-ingress-services')) {
      const ingress = manifest(name, 'nginx-ingress-services', 'Ingress', 'federator-ingress');
      expect(ingress.metadata.annotations).toMatchObject({
        'nginx.ingress.kubernetes.io/auth-tls-verify-client': 'on',
        'nginx.ingress.kubernetes.io/auth-tls-verify-depth': String(configs.get(name)!.federation.verifyDepth),
        'nginx.ingress.kubernetes.io/auth-tls-secret': 'wire/federator-ca-secret',
      });
    }
  });

  // ---- injected defects ---------------------------------------------------------------------

  /** The stack of `env` with one more values document on the release of `chart` (it wins). */
  const withValues = (env: string, chart: string, yaml: string): SynthesizedStack => {
    const copy = JSON.parse(JSON.stringify(stacks.get(env)));
    const release = Object.values(copy.resource.helm_release as Record<string, any>).find((r) => r.chart === chart);
    release.values.push(yaml);
    return copy;
  };
  /** The config of `env` with an operator values file holding `values` (and the stack with it). */
  const withValuesFile = (env: string, chart: 'wire-server', values: object): [WireFederationConfig, SynthesizedStack] => {
    const config = configs.get(env)!;
    const ws = config.charts.wireServer;
    const file = { file: 'values/extra.yaml', path: `charts.wireServer.valuesFiles[${ws.valuesDocuments.length}]`, values: values as any };
    return [
      { ...config, charts: { ...config.charts, wireServer: { ...ws, valuesDocuments: [...ws.valuesDocuments, file] } } },
      withValues(env, chart, JSON.stringify(values)),
    ];
  };
  const render = (env: string, stack: SynthesizedStack, config = configs.get(env)!): readonly Finding[] =>
    renderEnvironment(config, stack, { helm, chartDir }).findings;
  const ids = (findings: readonly Finding[]) => [...new Set(findings.map((f) => f.rule))].sort();

  test('1. wrong domain in one service (galley)', () => {
    const f = render('red', withValues('red', 'wire-server', 'galley: {config: {settings: {federationDomain: blue.wire.example.dev}}}\n'));
    expect(f).toEqual([expect.objectContaining({ rule: RENDER_RULE_IDS.backendDomain, path: 'wire-server:ConfigMap/galley' })]);
  });

  test('2. missing peer CA (the trust bundle lost a peer) in the federator and the ingress', () => {
    const stack = JSON.parse(JSON.stringify(stacks.get('production')));
    const local = Object.keys(stack.locals).find((k) => k.includes('trusted_peer_cas'))!;
    stack.locals[local] = stack.locals[local].slice(1);
    const f = render('production', stack);
    expect(ids(f)).toEqual([RENDER_RULE_IDS.clientCa, RENDER_RULE_IDS.federatorCa]);
    expect(f.find((x) => x.rule === RENDER_RULE_IDS.federatorCa)!.message).toContain('it lacks CA of peer partner.example.net');
  });

  test("3. removed key (the docs' federator allow list) is a warning naming the values file", () => {
    const [config, stack] = withValuesFile('blue', 'wire-server', { federator: { config: { optSettings: { federationStrategy: { allowAll: true } } } } });
    const f = render('blue', stack, config);
    expect(f).toEqual([expect.objectContaining({ level: 'warning', rule: RENDER_RULE_IDS.unreadValue, path: 'charts.wireServer.valuesFiles[1]' })]);
    expect(f[0].message).toContain('values file values/extra.yaml sets wire-server value federator.config.optSettings.federationStrategy');
  });

  test('4. ignored key (brig.config.externalUrls.teamCreatorWelcomeFirstTime)', () => {
    const [config, stack] = withValuesFile('red', 'wire-server', {
      brig: { config: { externalUrls: { teamCreatorWelcomeFirstTime: 'https://teams.red.wire.example.dev/onboarding' } } },
    });
    const f = render('red', stack, config);
    expect(f).toEqual([expect.objectContaining({ level: 'warning', rule: RENDER_RULE_IDS.unreadValue })]);
    expect(f[0].message).toContain('brig.config.externalUrls.teamCreatorWelcomeFirstTime');
  });

  test('5. wrong issuer for the federator certificate (cert-manager)', () => {
    const f = render(
      'production',
      withValues('production', 'nginx-ingress-services', 'federator: {tls: {issuer: {name: letsencrypt-http01, kind: Issuer}}}\n'),
    );
    expect(ids(f)).toEqual([RENDER_RULE_IDS.issuer]);
  });

  test('6. verify depth 0', () => {
    expect(ids(render('red', withValues('red', 'nginx-ingress-services', 'tls: {verify_depth: 0}\n')))).toEqual([RENDER_RULE_IDS.verifyDepth]);
  });

  test('7. missing client CA (empty tlsClientCA)', () => {
    const f = render('blue', withValues('blue', 'nginx-ingress-services', 'secrets: {tlsClientCA: ""}\n'));
    expect(f).toEqual([expect.objectContaining({ rule: RENDER_RULE_IDS.clientCa, path: 'nginx-ingress-services:Secret/federator-ca-secret' })]);
  });

  test('8. two-element federationProtocols renders wrongly', () => {
    const f = render('production', withValues('production', 'wire-server', 'galley: {config: {settings: {federationProtocols: [mls, proteus]}}}\n'));
    expect(ids(f)).toEqual([RENDER_RULE_IDS.protocols]);
    expect(f[0].message).toContain('["mls proteus"]');
  });

  test('9. brig strategy and remotes not as configured', () => {
    const f = render(
      'red',
      withValues('red', 'wire-server', 'brig: {config: {optSettings: {setFederationStrategy: allowAll, setFederationDomainConfigs: []}}}\n'),
    );
    expect(ids(f)).toEqual([RENDER_RULE_IDS.remotes, RENDER_RULE_IDS.strategy]);
  });

  test('10. no federator ingress: the client certificate secret is made by nobody', () => {
    const f = render('red', withValues('red', 'nginx-ingress-services', 'federator: {enabled: false}\n'));
    expect(ids(f)).toEqual([RENDER_RULE_IDS.clientCertificateSecret, RENDER_RULE_IDS.missingManifest]);
  });

  test('11. federator certificate for another name (config.dns.certificateDomain)', () => {
    const f = render('blue', withValues('blue', 'nginx-ingress-services', 'config: {dns: {certificateDomain: wire.elsewhere.example}}\n'));
    expect(ids(f)).toEqual([RENDER_RULE_IDS.certificate]);
  });

  test('12. the OS trust store flipped, the federator host wrong (wire-ingress)', () => {
    expect(ids(render('red', withValues('red', 'wire-server', 'federator: {config: {optSettings: {useSystemCAStore: true}}}\n')))).toEqual([
      RENDER_RULE_IDS.systemCaStore,
    ]);
    expect(ids(render('staging', withValues('staging', 'wire-ingress', 'config: {dns: {federator: federator.elsewhere.example}}\n')))).toEqual([
      RENDER_RULE_IDS.federatorHost,
      RENDER_RULE_IDS.patchPolicy,
    ]);
  });

  test("13. a missing operator value: the chart's own guard, as render-failed", () => {
    const stack = JSON.parse(JSON.stringify(stacks.get('red')));
    const release = Object.values(stack.resource.helm_release as Record<string, any>).find((r) => r.chart === 'wire-server');
    release.set_sensitive = release.set_sensitive.filter((s: { name: string }) => !s.name.startsWith('nginz.'));
    const f = render('red', stack);
    expect(ids(f)).toEqual([RENDER_RULE_IDS.renderFailed]);
    expect(f[0].message).toContain('No .secrets found in configuration');
  });
});

describeWithCharts('chart facts by version, rendered by the real charts', (helm, chartDir) => {
  const renderInput = (input: (typeof environments)[number]) => {
    const result = validateEnvironments([{ input, baseDir: ENVIRONMENTS_BASE_DIR }]);
    expect(result.findings.filter((f) => f.level === 'error')).toEqual([]);
    const config = result.configs[0];
    const stack = synthesizeForRender(config, new Set([config.environment]));
    return { config, stack, result: renderEnvironment(config, stack, { helm, chartDir }) };
  };
  const onprem = environments.find((e) => e.environment === 'onprem')!;
  const at = (version: string) => ({
    ...onprem,
    charts: {
      ...onprem.charts,
      wireServer: { ...onprem.charts.wireServer, version },
      nginxIngressServices: { ...onprem.charts.nginxIngressServices!, version },
    },
  });

  test('5.28.0 (background-worker reads its own copy): the domain is set there, rendered and checked', () => {
    const { config, stack, result } = renderInput(at('5.28.0'));
    expect(result.findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(backendDomainPlaces('5.28.0').map((p) => p.service)).toContain('background-worker');
    const bw = result.releases
      .find((r) => r.release.chart === 'wire-server')!
      .manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'background-worker')!;
    expect(parseYaml(bw.data['background-worker.yaml']).federationDomain).toBe('chat.example.net');
    // a wrong copy there is found (the check runs for this version)
    const copy = JSON.parse(JSON.stringify(stack));
    Object.values(copy.resource.helm_release as Record<string, any>)
      .find((r) => r.chart === 'wire-server')
      .values.push('background-worker: {config: {federationDomain: other.example}}\n');
    const own = (f: readonly Finding[]) => f.filter((x) => x.rule !== RENDER_RULE_IDS.unreadValue); // onprem's two old keys
    expect(own(renderEnvironment(config, copy, { helm, chartDir }).findings)).toEqual([
      expect.objectContaining({ rule: RENDER_RULE_IDS.backendDomain, path: 'wire-server:ConfigMap/background-worker' }),
    ]);
  });

  test("5.34.0: background-worker's copy set by a values document is a value the version ignores", () => {
    const { config, stack } = renderInput(at('5.34.0'));
    const copy = JSON.parse(JSON.stringify(stack));
    Object.values(copy.resource.helm_release as Record<string, any>)
      .find((r) => r.chart === 'wire-server')
      .values.push('background-worker: {config: {federationDomain: chat.example.net}}\n');
    const f = renderEnvironment(config, copy, { helm, chartDir }).findings.filter((x) => x.rule !== RENDER_RULE_IDS.unreadValue);
    expect(f).toEqual([
      expect.objectContaining({ level: 'warning', rule: RENDER_RULE_IDS.ignoredValue, path: 'wire-server:background-worker.config.federationDomain' }),
    ]);
    expect(f[0].message).toContain('which wire-server 5.34.0 does not read');
  });

  test('cert-manager mode: a wildcard certificate and key passed to nginx-ingress-services are flagged as ignored', () => {
    const { config, stack } = renderInput(onprem);
    const copy = JSON.parse(JSON.stringify(stack));
    const nginx = Object.values(copy.resource.helm_release as Record<string, any>).find((r) => r.chart === 'nginx-ingress-services');
    nginx.values.push('secrets: {tlsWildcardCert: "-----BEGIN CERTIFICATE-----\\nX\\n-----END CERTIFICATE-----\\n"}\n');
    nginx.set_sensitive = [{ name: 'secrets.tlsWildcardKey', value: 'k', type: 'string' }];
    const f = renderEnvironment(config, copy, { helm, chartDir }).findings.filter((x) => x.rule === RENDER_RULE_IDS.ignoredValue);
    expect(f.map((x) => x.path)).toEqual(['nginx-ingress-services:secrets.tlsWildcardCert', 'nginx-ingress-services:secrets.tlsWildcardKey']);
    expect(f[0].message).toContain('tls.useCertManager: true');
  });
});

describeWithCharts('a wire-server release without an operator values file, rendered by the real chart', (helm, chartDir) => {
  test.each([
    ['without any secret', [], /charts\/nginz\/templates\/secret\.yaml.*No \.secrets found in configuration/],
    ['with the secrets as sensitive values', undefined, /missing elasticsearch-index\.elasticsearch\.host!/],
  ])(
    'the pipeline warns (release-without-values) naming the value the chart fails on first: %s',
    (_name, sensitiveValues, chartError) => {
      const production = environments.find((e) => e.environment === 'production')!;
      const wireServer = { ...production.charts.wireServer, valuesFiles: [], ...(sensitiveValues === undefined ? {} : { sensitiveValues }) };
      const input = { ...production, charts: { ...production.charts, wireServer } };
      const result = validateEnvironments([{ input, baseDir: ENVIRONMENTS_BASE_DIR }]);
      const warning = result.findings.find((f) => f.rule === 'release-without-values');
      const named = /It requires (\S+?)[, ]/.exec(warning?.message ?? '')?.[1];
      const config = result.configs[0];
      const rendered = renderEnvironment(config, synthesizeForRender(config, new Set([config.environment])), { helm, chartDir });
      const error = rendered.releases.find((r) => r.release.chart === 'wire-server')!.error;
      // The chart's own first failure is the first value the warning names.
      expect(error).toMatch(chartError);
      expect(error).toContain(named === 'nginz.secrets' ? 'nginz' : named);
    },
    60_000,
  );
});
