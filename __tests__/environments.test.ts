import { Testing } from 'cdktf';
import { FederationConfigError } from '../lib/config';
import { addEnvironments } from '../stacks/app';
import { ENVIRONMENTS_BASE_DIR, environments } from '../stacks/environments';
import { baseInput, resourceAt } from './support/config';

function synthAll(): Map<string, any> {
  const app = Testing.app();
  const stacks = addEnvironments(app, environments, ENVIRONMENTS_BASE_DIR);
  return new Map(stacks.map((s) => [s.node.id, JSON.parse(Testing.synth(s, true))]));
}

describe('example environments', () => {
  const synths = synthAll();

  test('staging, production, red, blue and onprem synthesize', () => {
    expect([...synths.keys()].sort()).toEqual(['blue', 'onprem', 'production', 'red', 'staging']);
  });

  test.each(['staging', 'production', 'red', 'blue', 'onprem'])('%s matches its snapshot', (env) => {
    expect(synths.get(env)).toMatchSnapshot();
  });

  test.each(['staging', 'production', 'red', 'blue', 'onprem'])('%s holds no private key, no absolute path', (env) => {
    const text = JSON.stringify(synths.get(env));
    expect(text).not.toMatch(/PRIVATE KEY/);
    expect(text).not.toContain(ENVIRONMENTS_BASE_DIR);
    expect(text).not.toMatch(/"\/(home|root|tmp|work|Users)\//);
  });

  test.each([
    ['red', 'blue'],
    ['blue', 'red'],
  ])('%s allows %s and trusts its CA from the state output', (self, peer) => {
    const json = synths.get(self);
    const remote = json.data.terraform_remote_state[`PeerState-${peer}`];
    expect(remote).toEqual({ backend: 'local', config: { path: `../../../terraform.${peer}.tfstate` }, defaults: { ca_certificate_pem: '' } });
    const wire = resourceAt(json, 'helm_release', 'Federation/WireServer/Resource');
    if (self === 'red') {
      expect(wire.values[0]).toContain(`- domain: ${peer}.wire.example.dev\n          search_policy: full_search`);
    } else {
      // blue manages brig's remotes through the API: the sync Job carries red
      const script = resourceAt(json, 'kubernetes_config_map_v1', 'Federation/RemoteSync/Script');
      expect(script.data['sync.js']).toContain(`"domain": "${peer}.wire.example.dev"`);
    }
    expect(wire.values[1]).toContain(`data.terraform_remote_state.PeerState-${peer}.outputs.ca_certificate_pem`);
    const nginx = resourceAt(json, 'helm_release', 'Federation/NginxIngressServices/Resource');
    expect(nginx.values[1]).toContain(`data.terraform_remote_state.PeerState-${peer}.outputs.ca_certificate_pem`);
    expect(json.output.ca_certificate_pem).toBeDefined();
  });

  test('production: two zones, IPv6, S3 state', () => {
    const json = synths.get('production');
    expect(resourceAt(json, 'cloudflare_dns_record', 'Federation/Dns/Srv').zone_id).toBe('00000000000000000000000000000002');
    expect(resourceAt(json, 'cloudflare_dns_record', 'Federation/Dns/Aaaa')).toMatchObject({
      zone_id: '00000000000000000000000000000003',
      content: '2001:db8::10',
    });
    expect(json.terraform.backend.s3).toMatchObject({ bucket: 'example-terraform-state' });
  });

  test('two synths are byte-identical', () => {
    const again = synthAll();
    for (const [env, json] of synths) expect(JSON.stringify(again.get(env))).toBe(JSON.stringify(json));
  });

  test('invalid environments are all reported, each path prefixed with its environment', () => {
    const app = Testing.app();
    let error: unknown;
    try {
      addEnvironments(
        app,
        [baseInput({ environment: 'one', backendDomain: 'X' }), baseInput({ environment: 'two', ingress: { ipv4: 'nope' } })],
        ENVIRONMENTS_BASE_DIR,
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FederationConfigError);
    expect((error as FederationConfigError).problems.map((p) => p.path)).toEqual(['one:backendDomain', 'two:ingress.ipv4']);
  });

  test('an environment without a usable name is named by its position', () => {
    expect(() => addEnvironments(Testing.app(), [{ ...baseInput(), environment: {} as never }], ENVIRONMENTS_BASE_DIR)).toThrow(
      /  ✖ #0:environment: .*\[schema\]$/m,
    );
  });

  test('a peer CA from an environment the repository does not define is refused', () => {
    const app = Testing.app();
    expect(() =>
      addEnvironments(app, [baseInput({ peers: [{ domain: 'x.example', caCertificates: [{ environment: 'ghost' }] }] })], ENVIRONMENTS_BASE_DIR),
    ).toThrow(
      /^  ✖ test:peers\[0\]\.caCertificates\[0\]\.environment: names environment "ghost", which is not among the environments checked together \(test\).*\[unknown-environment-ca\]$/m,
    );
  });
});

describe('pairs on synth', () => {
  test('a one-sided pair fails synth with the pair finding', () => {
    const a = baseInput({
      environment: 'a',
      backendDomain: 'a.example',
      federatorDomain: 'federator.a.example',
      peers: [{ domain: 'b.example', caCertificates: [{ environment: 'b' }] }],
    });
    const b = baseInput({
      environment: 'b',
      backendDomain: 'b.example',
      federatorDomain: 'federator.b.example',
      peers: [{ domain: 'c.example', caCertificates: [{ environment: 'a' }] }],
    });
    expect(() => addEnvironments(Testing.app(), [a, b], ENVIRONMENTS_BASE_DIR)).toThrow(
      /^  ✖ a:peers\[0\]: a \(a\.example\) lists b \(b\.example\) as a peer .* but b does not list a\.example.*\[pair-not-mutual\]$/m,
    );
  });
});
