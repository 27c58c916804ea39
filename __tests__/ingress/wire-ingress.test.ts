import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { parse as parseYaml } from 'yaml';
import { FEDERATION_RULES, runConfigRules, runRules } from '../../lib/checks/pack';
import { buildModel } from '../../lib/checks/model';
import { checkPairs } from '../../lib/checks/pairs';
import { FEDERATOR_TLS_SECRET, wireIngressHttpsHostname } from '../../lib/helm/values/wire-ingress';
import { ingressChart, ingressChartOf } from '../../lib/ingress/registry';
import { FederationStack } from '../../stacks/federation-stack';
import { baseInput, parse, problemsOf, resourceAt, Synth, synthStack } from '../support/config';
import { makeCa, makeLeaf } from '../support/certificates';
import { CERT_MANAGER, GATEWAY, get, knownValues, wireIngressInput } from './support';

const INGRESS = 'Federation/WireIngress/Resource';
const WIRE = 'Federation/WireServer/Resource';

describe('wire-ingress with pki mode cert-manager', () => {
  const json = synthStack(wireIngressInput({ pki: CERT_MANAGER }));
  const values = knownValues(json, INGRESS);

  test("the chart's federator Certificate comes from our CA ClusterIssuer, into the secret the federator mounts", () => {
    expect(get(values, 'federator')).toEqual({
      enabled: true,
      tls: {
        useCertManager: true,
        secretName: 'federator-certificate-secret',
        issuer: { name: 'wire-federation-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' },
        duration: '2160h',
        renewBefore: '360h',
        privateKey: { rotationPolicy: 'Always' },
      },
    });
    expect(get(values, 'tls.useCertManager')).toBe(true);
    expect(get(values, 'certManager')).toEqual({ certmasterEmail: 'ops@example.com', inTestMode: false });
    // the chart's Let's Encrypt issuer solves HTTP-01 through the Gateway's HTTP listener
    expect(get(values, 'gateway.listeners.http.enabled')).toBe(true);
  });

  test('no client CA bundle and no verify depth in the ingress values: the trust bundle reaches it through wire-server', () => {
    expect(get(values, 'secrets')).toBeUndefined();
    expect(get(values, 'tls.verify_depth')).toBeUndefined();
    const release = resourceAt(json, 'helm_release', INGRESS);
    expect(release.values).toHaveLength(1);
    expect(release.set_sensitive).toEqual([]);
    const wire = resourceAt(json, 'helm_release', WIRE);
    expect(wire.values[1]).toContain('"remoteCAContents" = ');
    expect(get(knownValues(json, WIRE), 'federator.tls.useSharedFederatorSecret')).toBe(true);
  });

  test('the release waits for the issuer; wire-server waits for the release; Terraform makes no federator secret', () => {
    expect(resourceAt(json, 'helm_release', INGRESS).depends_on).toEqual([expect.stringMatching(/^helm_release\.Federation_Issuer_[0-9A-F]{8}$/)]);
    expect(resourceAt(json, 'helm_release', WIRE).depends_on).toEqual([expect.stringMatching(/^helm_release\.Federation_WireIngress_/)]);
    expect(Object.keys(json.resource.kubernetes_secret)).toEqual([expect.stringMatching(/^Federation_Issuer_CaKeyPair_/)]);
    expect(Object.keys(json.resource.helm_release).filter((id) => /Nginx/.test(id))).toEqual([]);
  });

  test("the operator's own DNS-01 solvers keep the HTTP listener off", () => {
    const withSolvers = parse(wireIngressInput({ pki: CERT_MANAGER }));
    const config = {
      ...withSolvers,
      charts: {
        ...withSolvers.charts,
        wireIngress: { ...withSolvers.charts.wireIngress!, operatorValues: { certManager: { customSolvers: [{ dns01: {} }] } } },
      },
    };
    const v = ingressChart('wire-ingress').values({
      config,
      certificate: {
        kind: 'cert-manager',
        issuerName: 'ca',
        certmasterEmail: 'a@b.c',
        inTestMode: false,
        duration: '1h',
        renewBefore: '1m',
        rotationPolicy: 'Always',
      },
      trustBundle: '',
    });
    expect(get(v.values, 'gateway.listeners.http')).toBeUndefined();
  });
});

const providedDir = mkdtempSync(join(tmpdir(), 'wfc-wire-ingress-'));
const provided = { cert: join(providedDir, 'chain.pem'), key: join(providedDir, 'key.pem'), ca: join(providedDir, 'ca.pem') };
beforeAll(async () => {
  const ca = await makeCa({ commonName: 'Operator CA' });
  const leaf = await makeLeaf({ issuer: ca, dnsNames: ['federator.wire.example.org'] });
  writeFileSync(provided.cert, leaf.certPem);
  writeFileSync(provided.key, leaf.keyPem);
  writeFileSync(provided.ca, ca.certPem);
});

describe.each([
  ['private-ca', () => ({}), /^\$\{tls_private_key\.Federation_FederatorCertificate_Key_[0-9A-F]{8}\.private_key_pem\}$/],
  [
    'provided (key file)',
    () => ({ pki: { mode: 'provided', certificateFile: provided.cert, keyFile: provided.key, caFile: provided.ca } }),
    /^\$\{file\(".*key\.pem"\)\}$/,
  ],
  ['provided (variable)', () => ({ pki: { mode: 'provided', certificateFile: provided.cert, caFile: provided.ca } }), /^\$\{var\.federator_private_key\}$/],
] as const)('wire-ingress with pki mode %s', (_mode, extra, keyReference) => {
  let json: Synth;
  let values: any;
  beforeAll(() => {
    json = synthStack(wireIngressInput(extra()));
    values = knownValues(json, INGRESS);
  });

  test('our Terraform creates the federator TLS secret from the key reference; the chart expects it', () => {
    const secret = resourceAt(json, 'kubernetes_secret', 'Federation/FederatorTlsSecret/Resource');
    expect(secret.metadata).toEqual({ name: FEDERATOR_TLS_SECRET, namespace: 'wire', labels: { 'app.kubernetes.io/part-of': 'wire-federation' } });
    expect(secret.type).toBe('kubernetes.io/tls');
    expect(secret.data['tls.key']).toMatch(keyReference);
    expect(get(values, 'federator.tls')).toEqual({ useCertManager: false, secretName: FEDERATOR_TLS_SECRET });
    // one certificate on every listener, as nginx-ingress-services serves it
    expect(get(values, 'tls')).toEqual({ useCertManager: false, secret: { create: false, nameOverride: FEDERATOR_TLS_SECRET } });
    expect(resourceAt(json, 'helm_release', INGRESS).depends_on).toEqual([expect.stringMatching(/^kubernetes_secret\.Federation_FederatorTlsSecret_/)]);
  });

  test("no private key in the ingress values; wire-server's federator gets the certificate in its values and the key through set_sensitive", () => {
    const release = resourceAt(json, 'helm_release', INGRESS);
    expect(release.set_sensitive).toEqual([]);
    expect(JSON.stringify(release)).not.toMatch(/PRIVATE KEY|private_key_pem|federator_private_key/);
    const wire = resourceAt(json, 'helm_release', WIRE);
    expect(get(knownValues(json, WIRE), 'federator.tls.useSharedFederatorSecret')).toBe(false);
    expect(JSON.stringify(wire.values)).toMatch(/clientCertificateContents/);
    expect(wire.set_sensitive).toContainEqual({ name: 'federator.clientPrivateKeyContents', value: expect.stringMatching(keyReference), type: 'string' });
  });

  test('the kubernetes provider is configured for the secret', () => {
    expect(json.provider.kubernetes).toEqual([{ config_path: '~/.kube/config' }]);
  });
});

describe('wire-ingress gateway settings', () => {
  test('className, the HTTPS listener derived from config.dns.https, proxy protocol off, patch policy on the Gateway', () => {
    const values = knownValues(synthStack(wireIngressInput()), INGRESS);
    expect(get(values, 'gateway')).toEqual({
      className: 'envoy',
      listeners: { https: { hostname: '*.example.com' } },
      proxyProtocol: { enabled: false, optional: false },
      patchPolicies: { enabled: true, targetGatewayClass: false },
    });
    expect(get(values, 'config.dns.federator')).toBe('federator.wire.example.org');
  });

  test('proxy protocol, GatewayClass target and an explicit hostname', () => {
    const values = knownValues(
      synthStack(
        wireIngressInput({
          ingress: {
            ipv4: '203.0.113.10',
            chart: 'wire-ingress',
            gateway: { className: 'eg', proxyProtocol: 'optional', patchPolicyTarget: 'GatewayClass', httpsHostname: '*.wire.example.org' },
          },
        }),
      ),
      INGRESS,
    );
    expect(get(values, 'gateway')).toEqual({
      className: 'eg',
      listeners: { https: { hostname: '*.wire.example.org' } },
      proxyProtocol: { enabled: true, optional: true },
      patchPolicies: { enabled: true, targetGatewayClass: true },
    });
  });

  test('without config.dns.https the HTTPS hostname covers the parent of the federator domain', () => {
    const config = parse(wireIngressInput({ charts: { wireServer: { version: '5.32.0' }, wireIngress: { version: '5.32.0' } } }));
    expect(wireIngressHttpsHostname(config)).toBe('*.wire.example.org');
  });

  test('installs Envoy Gateway (EnvoyPatchPolicy enabled) and the GatewayClass before the release', () => {
    const json = synthStack(
      wireIngressInput({
        ingress: { ipv4: '203.0.113.10', chart: 'wire-ingress', gateway: { ...GATEWAY, installEnvoyGatewayVersion: 'v1.7.0', createGatewayClass: true } },
      }),
    );
    const controller = resourceAt(json, 'helm_release', 'Federation/EnvoyGateway/Controller');
    expect(controller).toMatchObject({
      chart: 'gateway-helm',
      repository: 'oci://docker.io/envoyproxy',
      version: 'v1.7.0',
      namespace: 'envoy-gateway-system',
      create_namespace: true,
      set: [{ name: 'config.envoyGateway.extensionApis.enableEnvoyPatchPolicy', value: 'true' }],
    });
    const gatewayClass = resourceAt(json, 'helm_release', 'Federation/EnvoyGateway/GatewayClass');
    expect(gatewayClass.values).toEqual(['className: envoy\ncontrollerName: gateway.envoyproxy.io/gatewayclass-controller\n']);
    expect(gatewayClass.depends_on).toEqual([expect.stringMatching(/^helm_release\.Federation_EnvoyGateway_Controller_/)]);
    expect(resourceAt(json, 'helm_release', INGRESS).depends_on).toEqual([
      expect.stringMatching(/^helm_release\.Federation_EnvoyGateway_Controller_/),
      expect.stringMatching(/^helm_release\.Federation_EnvoyGateway_GatewayClass_/),
      expect.stringMatching(/^kubernetes_secret\.Federation_FederatorTlsSecret_/),
    ]);
    expect(json.resource.kubernetes_manifest).toBeUndefined();
  });

  test('installs nothing of Envoy Gateway by default', () => {
    const json = synthStack(wireIngressInput());
    expect(Object.keys(json.resource.helm_release).filter((id) => /EnvoyGateway/.test(id))).toEqual([]);
  });
});

describe('wire-ingress config problems', () => {
  test.each([
    [
      'no gateway',
      wireIngressInput({ ingress: { ipv4: '203.0.113.10', chart: 'wire-ingress' } }),
      'ingress.gateway',
      /^is required: a map of settings with ingress.chart wire-ingress, at least \{className/,
    ],
    [
      'no className',
      wireIngressInput({ ingress: { ipv4: '203.0.113.10', chart: 'wire-ingress', gateway: {} as never } }),
      'ingress.gateway.className',
      /^must be a string: the name of the GatewayClass/,
    ],
    [
      'no release settings',
      wireIngressInput({ charts: { wireServer: { version: '5.32.0' } } }),
      'charts.wireIngress',
      /^is required: a map of settings such as \{version: '5.32.0'\} with ingress.chart wire-ingress/,
    ],
    [
      'a version before the chart existed',
      wireIngressInput({ charts: { wireServer: { version: '5.32.0' }, wireIngress: { version: '5.31.0' } } }),
      'charts.wireIngress.version',
      /^is 5.31.0, but wire-ingress exists from 5.32.0 on/,
    ],
    [
      'gateway settings with nginx-ingress-services',
      baseInput({ ingress: { ipv4: '203.0.113.10', gateway: GATEWAY } }),
      'ingress.gateway',
      /^is used only with ingress.chart wire-ingress/,
    ],
    [
      'a migration to nginx-ingress-services',
      baseInput({ ingress: { ipv4: '203.0.113.10', migration: { from: 'nginx-ingress-services', phase: 'side-by-side' } } }),
      'ingress.migration',
      /^needs ingress.chart wire-ingress/,
    ],
    [
      'an unknown chart',
      baseInput({ ingress: { ipv4: '203.0.113.10', chart: 'traefik' as never } }),
      'ingress.chart',
      /^must be one of nginx-ingress-services, wire-ingress; received "traefik"/,
    ],
    [
      'a bad Envoy Gateway version',
      wireIngressInput({ ingress: { ipv4: '203.0.113.10', chart: 'wire-ingress', gateway: { ...GATEWAY, installEnvoyGatewayVersion: '1.7' } } }),
      'ingress.gateway.installEnvoyGatewayVersion',
      /^must be an exact Envoy Gateway chart version such as v1.5.4/,
    ],
  ])('%s', (_name, input, path, message) => {
    expect(problemsOf(input)).toEqual(expect.arrayContaining([{ path, message: expect.stringMatching(message) }]));
  });

  test('nginx-ingress-services stays the default and needs no gateway', () => {
    expect(problemsOf(baseInput())).toEqual([]);
    expect(parse(baseInput()).ingress.chart).toBe('nginx-ingress-services');
  });
});

describe('rules with wire-ingress', () => {
  const stackWith = (input: object, mutate: (s: FederationStack) => void = () => {}) => {
    const stack = new FederationStack(Testing.app(), { config: parse(input) });
    mutate(stack);
    return stack;
  };
  const findings = (s: FederationStack, id: string) =>
    runRules(
      buildModel(s.federation, s.federation.config),
      FEDERATION_RULES.filter((r) => r.id === id),
    );

  test('compliant: each certificate mode synthesizes with validations on and no error', () => {
    for (const extra of [{}, { pki: CERT_MANAGER }]) {
      const s = stackWith(wireIngressInput(extra));
      expect(s.federation.node.validate()).toEqual([]);
      expect(() => Testing.synth(s, true)).not.toThrow();
    }
  });

  test("noncompliant: the federator certificate from the chart's ACME issuer (federator.tls.issuer removed)", () => {
    const s = stackWith(wireIngressInput({ pki: CERT_MANAGER }), (st) => {
      const r = st.federation.ingress.release;
      r.values = [r.valuesInput![0].replace(/ {4}issuer:\n( {6}.*\n)+/, '')];
    });
    expect(findings(s, 'acme-federator-issuer')).toEqual([
      expect.objectContaining({
        level: 'error',
        message: expect.stringMatching(
          /WireIngress\/Resource: the federator certificate would be issued by the ACME.*sets federator.tls.issuer to a private CA issuer/,
        ),
      }),
    ]);
  });

  test('compliant: acme-federator-issuer ignores wire-ingress without cert-manager for the federator', () => {
    expect(findings(stackWith(wireIngressInput()), 'acme-federator-issuer')).toEqual([]);
  });

  test('noncompliant: the patch policy for trailing-dot federator hosts turned off', () => {
    const s = stackWith(wireIngressInput(), (st) => {
      const r = st.federation.ingress.release;
      r.values = [r.valuesInput![0].replace('patchPolicies:\n    enabled: true', 'patchPolicies:\n    enabled: false')];
    });
    expect(s.federation.node.validate()).toEqual([
      expect.stringMatching(/^\[federator-patch-policy\] .*gateway.patchPolicies.enabled is false: Envoy would answer route_not_found/),
    ]);
  });

  test('tls-disabled and verify-depth read nginx-ingress-services paths only', () => {
    const s = stackWith(wireIngressInput(), (st) => {
      const r = st.federation.ingress.release;
      r.values = [r.valuesInput![0], 'tls:\n  enabled: false\n  verify_depth: 0\n'];
    });
    expect(findings(s, 'tls-disabled')).toEqual([]);
    expect(findings(s, 'verify-depth')).toEqual([]);
  });

  test('noncompliant: a verify depth other than the default is a warning with the reason', () => {
    const [finding] = runConfigRules({ config: parse(wireIngressInput({ federation: { verifyDepth: 3 } })) }).filter((f) => f.rule === 'verify-depth-unused');
    expect(finding).toEqual({
      level: 'warning',
      rule: 'verify-depth-unused',
      path: 'federation.verifyDepth',
      message: expect.stringMatching(
        /^federation.verifyDepth is 3, but ingress.chart wire-ingress has no verify depth \(Envoy Gateway's ClientTrafficPolicy offers none; the chart dropped tls.verify_depth\)/,
      ),
    });
    expect(runConfigRules({ config: parse(baseInput({ federation: { verifyDepth: 3 } })) }).filter((f) => f.rule === 'verify-depth-unused')).toEqual([]);
    expect(runConfigRules({ config: parse(wireIngressInput()) }).filter((f) => f.rule === 'verify-depth-unused')).toEqual([]);
  });

  test('secret-in-values names charts.wireIngress.sensitiveValues', () => {
    const s = stackWith(wireIngressInput(), (st) => {
      const r = st.federation.ingress.release;
      r.values = [`${r.valuesInput![0]}secrets:\n  tlsWildcardKey: "-----BEGIN PRIVATE KEY-----x"\n`];
    });
    expect(findings(s, 'secret-in-values')[0].message).toMatch(/wire-ingress value secrets.tlsWildcardKey\b.*charts.wireIngress.sensitiveValues/);
  });

  test('check-pairs names the federator-ca ConfigMap for a wire-ingress peer', () => {
    const a = parse({
      ...baseInput({ environment: 'a', backendDomain: 'a.example.com', federatorDomain: 'federator.a.example.com' }),
      peers: [{ domain: 'b.example.com', caCertificates: [{ environment: 'b' }] }],
    });
    const b = parse({
      ...wireIngressInput({ environment: 'b', backendDomain: 'b.example.com', federatorDomain: 'federator.b.example.com' }),
      peers: [],
      federation: { strategy: 'allowAll', useSystemCaStore: false },
    });
    const [finding] = checkPairs([a, b]).filter((f) => f.rule === 'pair-untrusted-ca');
    expect(finding.message).toMatch(
      /so its ingress \(wire-server's federator-ca ConfigMap \(federator.remoteCAContents\), which the wire-ingress ClientTrafficPolicy reads: its own CA and its peers' CAs\) refuses a's client certificate/,
    );
  });
});

describe('the ingress seam', () => {
  test('both charts are registered by chart name; other releases are no ingress', () => {
    expect(ingressChartOf('nginx-ingress-services')?.releaseKey).toBe('nginxIngressServices');
    expect(ingressChartOf('wire-ingress')?.releaseKey).toBe('wireIngress');
    expect(ingressChartOf('wire-server')).toBeUndefined();
    expect(ingressChartOf('toString')).toBeUndefined();
  });

  test('who makes the federator secret, per chart and certificate kind', () => {
    expect(ingressChart('nginx-ingress-services').federatorSecret('secret')).toEqual({ name: 'federator-certificate-secret', createdBy: 'chart' });
    expect(ingressChart('nginx-ingress-services').federatorSecret('cert-manager')).toEqual({ name: 'federator-certificate-secret', createdBy: 'cert-manager' });
    expect(ingressChart('wire-ingress').federatorSecret('secret')).toEqual({ name: FEDERATOR_TLS_SECRET, createdBy: 'terraform' });
    expect(ingressChart('wire-ingress').federatorSecret('cert-manager')).toEqual({ name: 'federator-certificate-secret', createdBy: 'cert-manager' });
  });

  test('nginx-ingress-services keeps its construct id and values (state addresses unchanged)', () => {
    const json = synthStack(baseInput());
    const nginx = parseYaml(resourceAt(json, 'helm_release', 'Federation/NginxIngressServices/Resource').values[0]);
    expect(get(nginx, 'tls')).toEqual({ enabled: true, useCertManager: false, verify_depth: 1 });
    expect(json.resource.kubernetes_secret).toBeUndefined();
  });
});
