import { Testing } from 'cdktf';
import { parse as parseYaml } from 'yaml';
import { FederationStack } from '../stacks/federation-stack';
import { PEER_CA_PEM, baseInput, parse, resourceAddresses, resourceAt, synthStack } from './support/config';

const get = (obj: any, path: string) => path.split('.').reduce((o, k) => (o === undefined ? undefined : o[k]), obj);

describe('FederationStack', () => {
  const json = synthStack(baseInput({ environment: 'prod', ingress: { ipv4: '203.0.113.10', ipv6: '2001:db8::10' } }));
  const wire = resourceAt(json, 'helm_release', 'Federation/WireServer/Resource');
  const nginx = resourceAt(json, 'helm_release', 'Federation/NginxIngressServices/Resource');
  const literal = (release: any) => parseYaml(release.values[0]);

  test('local state backend by default, relative to the project root', () => {
    expect(json.terraform.backend).toEqual({ local: { path: '../../../terraform.prod.tfstate' } });
  });

  test('secrets enter as sensitive variables; the Cloudflare token falls back to the environment', () => {
    for (const name of ['cloudflare_api_token', 'rabbitmq_username', 'rabbitmq_password']) {
      expect(json.variable[name].sensitive).toBe(true);
    }
    expect(json.provider.cloudflare[0].api_token).toBe('${var.cloudflare_api_token == "" ? null : var.cloudflare_api_token}');
  });

  test('helm provider uses the configured kubeconfig', () => {
    expect(json.provider.helm[0].kubernetes).toEqual({ config_path: '~/.kube/config' });
  });

  test('records, certificate and Helm values agree with each other', () => {
    const srv = resourceAt(json, 'cloudflare_dns_record', 'Federation/Dns/Srv');
    const a = resourceAt(json, 'cloudflare_dns_record', 'Federation/Dns/A');
    const aaaa = resourceAt(json, 'cloudflare_dns_record', 'Federation/Dns/Aaaa');
    const csr = Object.values(json.resource.tls_cert_request)[0] as any;
    const ws = literal(wire);
    const nis = literal(nginx);
    expect(srv.name).toBe(`_wire-server-federator._tcp.${get(ws, 'brig.config.optSettings.setFederationDomain')}`);
    expect(srv.data.target).toBe(a.name);
    expect(aaaa.name).toBe(a.name);
    expect(get(nis, 'config.dns.federator')).toBe(a.name);
    expect(csr.dns_names[0]).toBe(a.name);
    for (const p of ['galley.config.settings.federationDomain', 'cargohold.config.settings.federationDomain']) {
      expect(get(ws, p)).toBe('example.com');
    }
    // chart 5.32.0: background-worker takes galley's domain (chart facts), its own copy is not written
    expect(get(ws, 'background-worker.config.federationDomain')).toBeUndefined();
  });

  test('public material is reviewable in values; both releases get the one trust bundle', () => {
    const wsApply: string = wire.values[1];
    const nisApply: string = nginx.values[1];
    expect(nisApply).toContain('"tlsWildcardCert" = tls_locally_signed_cert.');
    const bundleOf = (s: string, key: string) =>
      s
        .slice(s.indexOf(`"${key}" = `) + key.length + 5)
        .replace(/}+\)\}$/, '')
        .replace(/, "tlsWildcardCert".*$/, '');
    expect(bundleOf(wsApply, 'remoteCAContents')).toBe(bundleOf(nisApply, 'tlsClientCA'));
    // the peer's CA (known at synth, in a local) and our own CA (apply time)
    const [localId, knownCas] = Object.entries(json.locals)[0] as [string, string[]];
    expect(knownCas).toEqual([PEER_CA_PEM.trim()]);
    expect(bundleOf(wsApply, 'remoteCAContents')).toContain(`local.${localId}`);
    expect(bundleOf(wsApply, 'remoteCAContents')).toContain('tls_self_signed_cert.');
  });

  test('private keys and credentials only through set_sensitive', () => {
    expect(nginx.set_sensitive).toEqual([
      {
        name: 'secrets.tlsWildcardKey',
        type: 'string',
        value: expect.stringMatching(/^\$\{tls_private_key\.Federation_FederatorCertificate_Key_.*\.private_key_pem\}$/),
      },
    ]);
    expect(wire.set_sensitive.map((s: any) => s.value)).toEqual(expect.arrayContaining(['${var.rabbitmq_username}', '${var.rabbitmq_password}']));
    expect(JSON.stringify(wire.values) + JSON.stringify(nginx.values)).not.toMatch(/private_key_pem|rabbitmq_password|PRIVATE KEY/);
    expect(wire.set).toBeUndefined();
  });

  test('wire-server waits for nginx-ingress-services (it creates federator-certificate-secret)', () => {
    expect(wire.depends_on).toEqual([expect.stringMatching(/^helm_release\.Federation_NginxIngressServices_/)]);
    expect(wire.namespace).toBe(nginx.namespace);
    expect(wire).toMatchObject({ chart: 'wire-server', version: '5.32.0', repository: 'https://s3-eu-west-1.amazonaws.com/public.wire.com/charts' });
  });

  test('outputs the CA certificate for peers', () => {
    expect(json.output.ca_certificate_pem.value).toMatch(
      /^\$\{format\("%s\\n", join\("\\n", distinct\(compact\(\[trimspace\(tls_self_signed_cert\.Federation_Ca_Certificate_[0-9A-F]{8}\.cert_pem\)\]\)\)\)\)\}$/,
    );
    expect(json.output.backend_domain.value).toBe('example.com');
    expect(json.output.federator_srv_record.value).toBe('_wire-server-federator._tcp.example.com');
  });

  test('construct ids (Terraform addresses) are stable', () => {
    expect(resourceAddresses(json).map((a) => a.replace(/_[0-9A-F]{8}$/, ''))).toEqual([
      'cloudflare_dns_record.Federation_Dns_A',
      'cloudflare_dns_record.Federation_Dns_Aaaa',
      'cloudflare_dns_record.Federation_Dns_Srv',
      'helm_release.Federation_NginxIngressServices',
      'helm_release.Federation_WireServer',
      'terraform_data.Federation_DomainPin',
      'tls_cert_request.Federation_FederatorCertificate_Request',
      'tls_locally_signed_cert.Federation_FederatorCertificate',
      'tls_private_key.Federation_Ca_Key',
      'tls_private_key.Federation_FederatorCertificate_Key',
      'tls_self_signed_cert.Federation_Ca_Certificate',
    ]);
  });
});

describe('operator values files', () => {
  test('are merged under the federation values, and a conflicting value is a warning naming the path', () => {
    const app = Testing.app();
    const config = parse(
      baseInput({
        charts: {
          wireServer: { version: '5.32.0', valuesFiles: ['__tests__/fixtures/values-conflict.yaml'] },
          nginxIngressServices: { version: '5.32.0' },
        },
      }),
    );
    const stack = new FederationStack(app, { config });
    const json = JSON.parse(Testing.synth(stack));
    const ws = parseYaml(resourceAt(json, 'helm_release', 'Federation/WireServer/Resource').values[0]);
    expect(get(ws, 'brig.config.enableFederation')).toBe(true);
    expect(get(ws, 'brig.replicaCount')).toBe(3);
    const warnings = stack.federation.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data);
    expect(warnings).toEqual([
      '[values-conflict] charts.wireServer.valuesFiles[0]: values file __tests__/fixtures/values-conflict.yaml sets wire-server value brig.config.enableFederation to false, but the federation config sets it to true; the federation value wins. Remove brig.config.enableFederation from __tests__/fixtures/values-conflict.yaml.',
    ]);
  });
});

describe('state backends', () => {
  test.each([
    [{ type: 's3', bucket: 'b', key: 'k', region: 'eu-west-1' }, { s3: { bucket: 'b', key: 'k', region: 'eu-west-1' } }],
    [{ type: 'gcs', bucket: 'b' }, { gcs: { bucket: 'b', prefix: 'test' } }],
    [{ type: 'local', path: 'state/test.tfstate' }, { local: { path: 'state/test.tfstate' } }],
  ])('%j', (backend, expected) => {
    expect(synthStack(baseInput({ backend: backend as never })).terraform.backend).toEqual(expected);
  });

  test('Terraform Cloud', () => {
    const json = synthStack(baseInput({ backend: { type: 'cloud', organization: 'org', workspace: 'wire-prod' } }));
    expect(json.terraform.cloud).toEqual({ organization: 'org', workspaces: { name: 'wire-prod' } });
  });
});
