import { Testing } from 'cdktf';
import { FEDERATION_RULES, runConfigRules, runRules } from '../../lib/checks/pack';
import { buildModel } from '../../lib/checks/model';
import { FederationStack } from '../../stacks/federation-stack';
import { baseInput, parse } from '../support/config';
import type { WireFederationInput } from '../../lib/config';

/** Builds a stack, lets `mutate` use escape hatches, returns the stack. */
function stackWith(input: WireFederationInput, mutate: (stack: FederationStack) => void = () => {}): FederationStack {
  const stack = new FederationStack(Testing.app(), { config: parse(input) });
  mutate(stack);
  return stack;
}
const errorsOf = (stack: FederationStack) => stack.federation.node.validate();
const ruleFindings = (stack: FederationStack, id: string) =>
  runRules(buildModel(stack.federation, stack.federation.config), FEDERATION_RULES.filter((r) => r.id === id));

describe('federation rules', () => {
  test('compliant: the default stack has no error and synthesizes with validations on', () => {
    const stack = stackWith(baseInput());
    expect(errorsOf(stack)).toEqual([]);
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });

  test('noncompliant: a proxied SRV record', () => {
    const stack = stackWith(baseInput(), (s) => s.federation.dns.srvRecord.addOverride('proxied', true));
    expect(errorsOf(stack)).toEqual([expect.stringMatching(/^\[proxied-federation-record\] test\/Federation\/Dns\/Srv: SRV record _wire-server-federator._tcp.example.com is proxied/)]);
  });

  test('noncompliant: a proxied federator A record', () => {
    const stack = stackWith(baseInput(), (s) => s.federation.dns.aRecord.addOverride('proxied', true));
    expect(ruleFindings(stack, 'proxied-federation-record')[0].message).toMatch(/A record federator.wire.example.org is proxied.*Set proxied to false/);
  });

  test('noncompliant: SRV weight 0', () => {
    const stack = stackWith(baseInput(), (s) => s.federation.dns.srvRecord.addOverride('data.weight', 0));
    expect(errorsOf(stack)).toEqual([expect.stringMatching(/^\[srv-weight-zero\] .*weight 0: peers will never connect/)]);
  });

  test('noncompliant: certificate without client usage', () => {
    const stack = stackWith(baseInput(), (s) => (s.federation.certificate!.certificate.allowedUses = ['digital_signature', 'server_auth']));
    expect(errorsOf(stack)).toEqual([expect.stringMatching(/^\[certificate-usages\] .*lacks client_auth/)]);
  });

  test('noncompliant: ECDSA curve P-384', () => {
    const stack = stackWith(baseInput(), (s) => s.federation.certificate!.key.addOverride('ecdsa_curve', 'P384'));
    expect(errorsOf(stack)).toEqual([expect.stringMatching(/^\[key-algorithm\] .*ECDSA curve P384: the federator accepts ECDSA keys on P-256 only/)]);
  });

  test('noncompliant: tls.enabled false on the federator ingress', () => {
    const stack = stackWith(baseInput(), (s) => {
      const r = s.federation.ingress.release;
      (r.values = [r.valuesInput![0].replace('enabled: true\n  useCertManager', 'enabled: false\n  useCertManager'), r.valuesInput![1]]);
    });
    expect(errorsOf(stack)).toEqual([expect.stringMatching(/^\[tls-disabled\] .*tls.enabled is false while federator.enabled is true/)]);
  });

  test('noncompliant: cert-manager with the ACME issuer for the federator certificate', () => {
    const stack = stackWith(baseInput(), (s) => {
      const r = s.federation.ingress.release;
      (r.values = [r.valuesInput![0].replace('useCertManager: false', 'useCertManager: true')]);
    });
    expect(ruleFindings(stack, 'acme-federator-issuer')[0].message).toMatch(/ACME \(Let's Encrypt\) issuer, which no longer issues client-auth certificates/);
  });

  test('noncompliant: verify_depth outside 1..10', () => {
    const stack = stackWith(baseInput(), (s) => {
      const r = s.federation.ingress.release;
      (r.values = [r.valuesInput![0].replace('verify_depth: 1', 'verify_depth: 0')]);
    });
    expect(ruleFindings(stack, 'verify-depth')[0].message).toMatch(/tls.verify_depth is 0; it must be between 1/);
  });

  test('noncompliant: a secret inside Helm values (operator values file)', () => {
    const stack = stackWith(
      baseInput({ charts: { wireServer: { version: '5.32.0', valuesFiles: ['__tests__/fixtures/values-with-secret.yaml'] }, nginxIngressServices: { version: '5.32.0' } } }),
    );
    expect(errorsOf(stack)).toEqual([
      expect.stringMatching(/^\[secret-in-values\] charts\.wireServer\.valuesFiles\[0\]: values file __tests__\/fixtures\/values-with-secret\.yaml sets wire-server value brig.secrets.smtpPassword, which looks like a secret.*charts.wireServer.sensitiveValues/),
    ]);
  });

  test('errors stop synth with every finding listed at once', () => {
    const stack = stackWith(baseInput(), (s) => {
      s.federation.dns.srvRecord.addOverride('proxied', true);
      s.federation.dns.srvRecord.addOverride('data.weight', 0);
    });
    expect(() => Testing.synth(stack, true)).toThrow(/proxied-federation-record[\s\S]*srv-weight-zero/);
  });

  describe('config rules', () => {
    const configFindings = (input: WireFederationInput) => runConfigRules({ config: parse(input) });

    test('compliant', () => expect(configFindings(baseInput())).toEqual([]));

    test('noncompliant: peers listed twice', () => {
      expect(configFindings(baseInput({ peers: [{ domain: 'a.example' }, { domain: 'b.example' }, { domain: 'a.example' }] }))).toEqual([
        { level: 'error', rule: 'duplicate-peers', message: 'peers[2].domain: a.example is already listed at peers[0]; merge the two entries.' },
      ]);
    });

    test('noncompliant: a peer with our own backend domain, or our federator domain', () => {
      const findings = configFindings(baseInput({ peers: [{ domain: 'example.com' }, { domain: 'federator.wire.example.org' }] }));
      expect(findings.map((f) => f.message)).toEqual([
        expect.stringMatching(/^peers\[0\].domain: example.com is this backend's own backend domain/),
        expect.stringMatching(/^peers\[1\].domain: federator.wire.example.org is this backend's own federator domain/),
      ]);
    });

    test('noncompliant: a peer without CA while the system store is off', () => {
      const findings = configFindings(baseInput({ federation: { useSystemCaStore: false }, peers: [{ domain: 'a.example' }] }));
      expect(findings).toEqual([expect.objectContaining({ rule: 'peer-without-ca', message: expect.stringMatching(/^peers\[0\].caCertificates: a.example has no CA certificate/) })]);
    });

    test('warning: allowDynamic with no peers, annotated once on synth', () => {
      expect(configFindings(baseInput({ peers: [] }))).toEqual([expect.objectContaining({ level: 'warning', rule: 'allow-dynamic-without-peers' })]);
      const stack = stackWith(baseInput({ peers: [] }));
      const warnings = stack.federation.node.metadata.filter((m) => m.type === '@cdktf/warn');
      expect(warnings.map((w) => w.data)).toEqual([expect.stringMatching(/^\[allow-dynamic-without-peers\] peers: federation.strategy is allowDynamic but no peers/)]);
      expect(errorsOf(stack)).toEqual([]);
    });
  });
});
