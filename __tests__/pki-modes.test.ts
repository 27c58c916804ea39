import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { parse as parseYaml } from 'yaml';
import { FederationStack } from '../stacks/federation-stack';
import { WireFederationInput } from '../lib/config';
import { OTHER_CA_PEM, PEER_CA_PEM, baseInput, parse, problemsOf, resourceAt, synthStack } from './support/config';
import { makeCa, makeLeaf } from './support/certificates';

const get = (obj: any, path: string) => path.split('.').reduce((o, k) => (o === undefined ? undefined : o[k]), obj);
const certManager = (extra: object = {}): WireFederationInput['pki'] => ({ mode: 'cert-manager', certmasterEmail: 'ops@example.com', ...extra }) as never;

describe('pki mode letsencrypt-only', () => {
  test('is refused, explaining the client-auth change and naming the modes to use', () => {
    const [problem] = problemsOf(baseInput({ pki: { mode: 'letsencrypt-only' } as never }));
    expect(problem.path).toBe('pki.mode');
    expect(problem.message).toMatch(
      /^letsencrypt-only cannot federate: Let's Encrypt .* stopped issuing certificates with the TLS client authentication usage in 2026.*Use mode cert-manager .* or private-ca/,
    );
  });
});

describe('pki mode cert-manager', () => {
  const json = synthStack(baseInput({ pki: certManager({ installCertManagerVersion: 'v1.19.1', rotationPolicy: 'Never', duration: '720h' }) }));

  test('installs cert-manager with CRDs, stores the CA key pair as a secret, then the ClusterIssuer release', () => {
    const cm = resourceAt(json, 'helm_release', 'Federation/Issuer/CertManager');
    expect(cm).toMatchObject({
      chart: 'cert-manager',
      repository: 'https://charts.jetstack.io',
      version: 'v1.19.1',
      namespace: 'cert-manager',
      create_namespace: true,
      set: [{ name: 'crds.enabled', value: 'true' }],
    });
    const secret = resourceAt(json, 'kubernetes_secret', 'Federation/Issuer/CaKeyPair');
    expect(secret.type).toBe('kubernetes.io/tls');
    expect(secret.data['tls.key']).toMatch(/^\$\{tls_private_key\.Federation_Ca_Key_[0-9A-F]{8}\.private_key_pem\}$/);
    expect(secret.depends_on).toEqual([expect.stringMatching(/^helm_release\.Federation_Issuer_CertManager_/)]);
    // cdktf drops a repeated path segment: Federation/Issuer/Issuer has the logical id Federation_Issuer_…
    const issuer = resourceAt(json, 'helm_release', 'Federation/Issuer');
    expect(issuer.chart).toMatch(/^assets\/Federation_Issuer_IssuerChart_[0-9A-F]{8}\/[0-9A-F]{32}$/);
    expect(issuer.values).toEqual(['issuerName: wire-federation-ca\ncaSecretName: wire-federation-ca-key-pair\n']);
    expect(issuer.depends_on).toEqual([
      expect.stringMatching(/^helm_release\.Federation_Issuer_CertManager_/),
      expect.stringMatching(/^kubernetes_secret\.Federation_Issuer_CaKeyPair_/),
    ]);
    // no kubernetes_manifest: nothing needs the CRD at plan time
    expect(json.resource.kubernetes_manifest).toBeUndefined();
  });

  test('nginx-ingress-services uses the private CA issuer for the federator only, after the issuer exists', () => {
    const nginx = resourceAt(json, 'helm_release', 'Federation/NginxIngressServices/Resource');
    const values = parseYaml(nginx.values[0]);
    expect(get(values, 'tls.useCertManager')).toBe(true);
    expect(get(values, 'federator.tls.issuer')).toEqual({ name: 'wire-federation-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' });
    expect(get(values, 'federator.tls.privateKey.rotationPolicy')).toBe('Never');
    expect(get(values, 'federator.tls.duration')).toBe('720h');
    expect(get(values, 'certManager.certmasterEmail')).toBe('ops@example.com');
    expect(nginx.values[1]).toContain('"tlsClientCA" = ');
    expect(nginx.set_sensitive).toEqual([]);
    expect(nginx.depends_on).toEqual([expect.stringMatching(/^helm_release\.Federation_Issuer_[0-9A-F]{8}$/)]);
    expect(json.resource.tls_locally_signed_cert).toBeUndefined();
    const wire = parseYaml(resourceAt(json, 'helm_release', 'Federation/WireServer/Resource').values[0]);
    expect(get(wire, 'federator.tls.useSharedFederatorSecret')).toBe(true);
  });

  test('configures the kubernetes provider', () => {
    expect(json.provider.kubernetes).toEqual([{ config_path: '~/.kube/config' }]);
  });

  test('needs nginx-ingress-services >= 5.27.0 (federator.tls.issuer came in 5.26.0, a release federated backends skip)', () => {
    const problems = problemsOf(baseInput({ pki: certManager(), charts: { wireServer: { version: '5.25.0' }, nginxIngressServices: { version: '5.25.0' } } }));
    expect(problems).toEqual([
      {
        path: 'charts.nginxIngressServices.version',
        message: expect.stringMatching(/^is 5.25.0, but pki.mode cert-manager needs nginx-ingress-services >= 5.27.0 \(federator.tls.issuer/),
      },
    ]);
    expect(
      problemsOf(baseInput({ pki: certManager(), charts: { wireServer: { version: '5.26.0' }, nginxIngressServices: { version: '5.26.0' } } })).map(
        (p) => p.message,
      ),
    ).toEqual([expect.stringContaining('Pin 5.27.0'), expect.stringContaining('Pin 5.27.0')]);
    expect(problemsOf(baseInput({ pki: certManager(), charts: { wireServer: { version: '5.27.0' }, nginxIngressServices: { version: '5.27.0' } } }))).toEqual(
      [],
    );
  });

  test('a federator certificate lifetime other than 2160h/360h needs nginx-ingress-services >= 5.28.0', () => {
    const charts = (version: string) => ({ wireServer: { version }, nginxIngressServices: { version } });
    expect(problemsOf(baseInput({ pki: certManager({ duration: '720h', renewBefore: '240h' }), charts: charts('5.27.0') }))).toEqual([
      {
        path: 'pki.duration',
        message: expect.stringMatching(
          /^is 720h, but nginx-ingress-services 5.27.0 ignores federator.tls.duration \(read from 5.28.0 on; before, the federator certificate is fixed at 2160h \/ 360h\)\. Pin charts.nginxIngressServices.version 5.28.0 or later/,
        ),
      },
      { path: 'pki.renewBefore', message: expect.stringMatching(/^is 240h, but nginx-ingress-services 5.27.0 ignores federator.tls.renewBefore/) },
    ]);
    expect(problemsOf(baseInput({ pki: certManager({ duration: '2160h' }), charts: charts('5.27.0') }))).toEqual([]);
    expect(problemsOf(baseInput({ pki: certManager({ duration: '720h', renewBefore: '240h' }), charts: charts('5.28.0') }))).toEqual([]);
  });
});

describe('pki mode provided', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wfc-provided-'));
  const files = { cert: join(dir, 'chain.pem'), key: join(dir, 'key.pem'), ca: join(dir, 'ca.pem') };
  let keyPem = '';

  beforeAll(async () => {
    const ca = await makeCa({ commonName: 'Operator CA' });
    const leaf = await makeLeaf({ issuer: ca, dnsNames: ['federator.wire.example.org'] });
    writeFileSync(files.cert, leaf.certPem);
    writeFileSync(files.key, leaf.keyPem);
    writeFileSync(files.ca, ca.certPem);
    keyPem = leaf.keyPem;
  });

  const input = (pki: object) => baseInput({ pki: { mode: 'provided', certificateFile: files.cert, caFile: files.ca, ...pki } as never });

  test('with keyFile: Terraform reads the key at apply; its content never enters the JSON', () => {
    const json = synthStack(input({ keyFile: files.key }));
    const nginx = resourceAt(json, 'helm_release', 'Federation/NginxIngressServices/Resource');
    expect(nginx.set_sensitive).toEqual([{ name: 'secrets.tlsWildcardKey', type: 'string', value: `\${file("${files.key}")}` }]);
    const text = JSON.stringify(json);
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain(keyPem.split('\n')[1]);
    expect(json.resource.tls_private_key).toBeUndefined();
    expect(parseYaml(nginx.values[0]).secrets.tlsWildcardCert).toContain('-----BEGIN CERTIFICATE-----');
  });

  test('without keyFile: the key comes from the sensitive variable federator_private_key', () => {
    const json = synthStack(input({}));
    expect(json.variable.federator_private_key).toMatchObject({ sensitive: true, type: 'string' });
    const nginx = resourceAt(json, 'helm_release', 'Federation/NginxIngressServices/Resource');
    expect(nginx.set_sensitive).toEqual([{ name: 'secrets.tlsWildcardKey', type: 'string', value: '${var.federator_private_key}' }]);
  });

  test('publishes the provided CA to peers and trusts it for our own federator', () => {
    const json = synthStack(input({ keyFile: files.key }));
    expect(json.output.ca_certificate_pem.value).toMatch(/^-----BEGIN CERTIFICATE-----[\s\S]*-----END CERTIFICATE-----\n$/);
  });

  test('a failing check is a synth error naming the file', async () => {
    const other = await makeCa({ commonName: 'Someone else' });
    const wrongCa = join(dir, 'wrong-ca.pem');
    writeFileSync(wrongCa, other.certPem);
    const problems = problemsOf(input({ keyFile: files.key, caFile: wrongCa }));
    expect(problems.map((p) => p.path)).toEqual(['pki.certificateFile']);
    expect(problems[0].message).toContain(files.cert);
  });

  test('our chain with an intermediate is a fact for our peers (warning, output), not a reason to raise our verifyDepth', async () => {
    const root = await makeCa({ commonName: 'Root' });
    const intermediate = await makeCa({ commonName: 'Intermediate', issuer: root });
    const leaf = await makeLeaf({ issuer: intermediate, dnsNames: ['federator.wire.example.org'] });
    const chain = join(dir, 'chain2.pem');
    const rootFile = join(dir, 'root.pem');
    writeFileSync(chain, leaf.certPem + intermediate.certPem);
    writeFileSync(rootFile, root.certPem);
    const pki = { mode: 'provided', certificateFile: chain, caFile: rootFile };
    expect(problemsOf(baseInput({ pki: pki as never }))).toEqual([]);
    expect(parse(baseInput({ pki: pki as never })).warnings).toEqual([
      {
        path: 'pki.certificateFile',
        rule: 'own-chain-depth',
        message: expect.stringMatching(
          /^the provided chain has 1 intermediate certificate .*peers on nginx-ingress-services need tls.verify_depth \(their federation.verifyDepth\) of at least 2 .*cdktf output federator_chain_depth/,
        ),
      },
    ]);
    expect(synthStack(baseInput({ pki: pki as never })).output.federator_chain_depth.value).toBe(2);
    expect(synthStack(baseInput()).output.federator_chain_depth.value).toBe(1);
  });
});

describe('CA rotation', () => {
  test('several generations are published; the signing one signs the federator certificate', () => {
    const json = synthStack(baseInput({ pki: { mode: 'private-ca', caGenerations: [1, 2], signingCaGeneration: 2 } }));
    expect(
      Object.keys(json.resource.tls_self_signed_cert)
        .map((k) => k.replace(/_[0-9A-F]{8}$/, ''))
        .sort(),
    ).toEqual(['Federation_Ca2_Certificate', 'Federation_Ca_Certificate']);
    const cert = Object.values(json.resource.tls_locally_signed_cert)[0] as any;
    expect(cert.ca_cert_pem).toMatch(/tls_self_signed_cert\.Federation_Ca2_Certificate_/);
    const published: string = json.output.ca_certificate_pem.value;
    expect(published.indexOf('Federation_Ca_Certificate')).toBeGreaterThan(0);
    expect(published.indexOf('Federation_Ca_Certificate')).toBeLessThan(published.indexOf('Federation_Ca2_Certificate'));
    // both CA keys are protected from destroy
    expect(Object.values(json.resource.tls_private_key).filter((k: any) => k.lifecycle?.prevent_destroy)).toHaveLength(2);
  });

  test('generation 1 keeps its original construct id (no state move on the first rotation)', () => {
    const json = synthStack(baseInput({ pki: { mode: 'private-ca', caGenerations: [2], signingCaGeneration: 2 } }));
    expect(Object.keys(json.resource.tls_self_signed_cert)).toEqual([expect.stringMatching(/^Federation_Ca2_Certificate_/)]);
    expect(Object.keys(synthStack(baseInput()).resource.tls_self_signed_cert)).toEqual([expect.stringMatching(/^Federation_Ca_Certificate_/)]);
  });

  test('our previous CA certificates stay in the published bundle', () => {
    const json = synthStack(baseInput({ pki: { mode: 'private-ca', previousCaCertificates: [{ pem: OTHER_CA_PEM }] } }));
    const [localId, known] = Object.entries(json.locals).find(([k]) => k.includes('published_cas')) as [string, string[]];
    expect(known).toEqual([OTHER_CA_PEM.trim()]);
    expect(json.output.ca_certificate_pem.value).toContain(`local.${localId}`);
  });

  test('a peer may have several CAs (the peer rotates)', () => {
    const config = parse(baseInput({ peers: [{ domain: 'wire.acme.test', caCertificates: [{ pem: PEER_CA_PEM }, { pem: OTHER_CA_PEM }] }] }));
    const stack = new FederationStack(Testing.app(), { config });
    const json = JSON.parse(Testing.synth(stack));
    const known = Object.entries(json.locals).find(([k]) => k.includes('trusted_peer_cas'))![1] as string[];
    expect(known).toHaveLength(2);
  });

  test.each([
    [{ caGenerations: [1, 1] }, 'pki.caGenerations', /must not list a generation twice/],
    [{ caGenerations: [1, 2], signingCaGeneration: 3 }, 'pki.signingCaGeneration', /must be one of caGenerations \(1, 2\)/],
    [{ previousCaCertificates: [{ environment: 'blue' }] }, 'pki.previousCaCertificates[0]', /must be \{file\} or \{pem\}/],
  ])('refuses %j', (pki, path, message) => {
    const problems = problemsOf(baseInput({ pki: { mode: 'private-ca', ...pki } as never }));
    expect(problems.find((p) => p.path === path)?.message).toMatch(message);
  });
});
