import type { X509Certificate } from 'node:crypto';
import { Testing } from 'cdktf';
import { peerChainDepth } from '../../lib/checks/rules/peer-chain-depth';
import { parseCertificates } from '../../lib/core/pem';
import { makeCa } from '../support/certificates';
import { FEDERATION_RULES, runConfigRules, runRules } from '../../lib/checks/pack';
import { buildModel } from '../../lib/checks/model';
import { FederationStack } from '../../stacks/federation-stack';
import { PEER_CA_PEM, baseInput, parse } from '../support/config';
import type { WireFederationInput } from '../../lib/config';

/** Builds a stack, lets `mutate` use escape hatches, returns the stack. */
function stackWith(input: WireFederationInput, mutate: (stack: FederationStack) => void = () => {}): FederationStack {
  const stack = new FederationStack(Testing.app(), { config: parse(input) });
  mutate(stack);
  return stack;
}
const errorsOf = (stack: FederationStack) => stack.federation.node.validate();
const ruleFindings = (stack: FederationStack, id: string) =>
  runRules(
    buildModel(stack.federation, stack.federation.config),
    FEDERATION_RULES.filter((r) => r.id === id),
  );

describe('federation rules', () => {
  test('compliant: the default stack has no error and synthesizes with validations on', () => {
    const stack = stackWith(baseInput());
    expect(errorsOf(stack)).toEqual([]);
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });

  test('noncompliant: a proxied SRV record', () => {
    const stack = stackWith(baseInput(), (s) => s.federation.dns.srvRecord.addOverride('proxied', true));
    expect(errorsOf(stack)).toEqual([
      expect.stringMatching(/^\[proxied-federation-record\] test\/Federation\/Dns\/Srv: SRV record _wire-server-federator._tcp.example.com is proxied/),
    ]);
  });

  test('noncompliant: a proxied federator A record', () => {
    const stack = stackWith(baseInput(), (s) => s.federation.dns.aRecord.addOverride('proxied', true));
    expect(ruleFindings(stack, 'proxied-federation-record')[0].message).toMatch(/A record federator.wire.example.org is proxied.*Set proxied to false/);
  });

  test('noncompliant: SRV weight 0', () => {
    const stack = stackWith(baseInput(), (s) => s.federation.dns.srvRecord.addOverride('data.weight', 0));
    expect(errorsOf(stack)).toEqual([expect.stringMatching(/^\[srv-weight-zero\] .*weight 0: RFC 2782 ranks it last/)]);
  });

  test('noncompliant: certificate without client usage', () => {
    const stack = stackWith(baseInput(), (s) => (s.federation.certificate!.certificate.allowedUses = ['digital_signature', 'server_auth']));
    expect(errorsOf(stack)).toEqual([expect.stringMatching(/^\[certificate-usages\] .*lacks client_auth/)]);
  });

  test.each(['P384', 'P521'])('compliant: ECDSA curve %s (the federator uses OpenSSL since 4.34.0)', (curve) => {
    const stack = stackWith(baseInput(), (s) => s.federation.certificate!.key.addOverride('ecdsa_curve', curve));
    expect(errorsOf(stack)).toEqual([]);
  });

  test('noncompliant: ECDSA curve P-224', () => {
    const stack = stackWith(baseInput(), (s) => s.federation.certificate!.key.addOverride('ecdsa_curve', 'P224'));
    expect(errorsOf(stack)).toEqual([
      expect.stringMatching(/^\[key-algorithm\] .*ECDSA curve P224: the federator accepts ECDSA keys on P-256, P-384 or P-521 only/),
    ]);
  });

  test('noncompliant: Ed25519 key', () => {
    const stack = stackWith(baseInput(), (s) => s.federation.certificate!.key.addOverride('algorithm', 'ED25519'));
    expect(errorsOf(stack)).toEqual([expect.stringMatching(/^\[key-algorithm\] .*Ed25519 keys are not accepted by the federator/)]);
  });

  test('noncompliant: tls.enabled false on the federator ingress', () => {
    const stack = stackWith(baseInput(), (s) => {
      const r = s.federation.ingress.release;
      r.values = [r.valuesInput![0].replace('enabled: true\n  useCertManager', 'enabled: false\n  useCertManager'), r.valuesInput![1]];
    });
    expect(errorsOf(stack)).toEqual([expect.stringMatching(/^\[tls-disabled\] .*tls.enabled is false while federator.enabled is true/)]);
  });

  test('noncompliant: cert-manager with the ACME issuer for the federator certificate', () => {
    const stack = stackWith(baseInput(), (s) => {
      const r = s.federation.ingress.release;
      r.values = [r.valuesInput![0].replace('useCertManager: false', 'useCertManager: true')];
    });
    expect(ruleFindings(stack, 'acme-federator-issuer')[0].message).toMatch(/ACME \(Let's Encrypt\) issuer, which no longer issues client-auth certificates/);
  });

  test('noncompliant: verify_depth outside 1..10', () => {
    const stack = stackWith(baseInput(), (s) => {
      const r = s.federation.ingress.release;
      r.values = [r.valuesInput![0].replace('verify_depth: 1', 'verify_depth: 0')];
    });
    expect(ruleFindings(stack, 'verify-depth')[0].message).toMatch(/tls.verify_depth is 0; it must be between 1/);
  });

  test('noncompliant: a secret inside Helm values (operator values file)', () => {
    const stack = stackWith(
      baseInput({
        charts: { wireServer: { version: '5.32.0', valuesFiles: ['__tests__/fixtures/values-with-secret.yaml'] }, nginxIngressServices: { version: '5.32.0' } },
      }),
    );
    expect(errorsOf(stack)).toEqual([
      expect.stringMatching(
        /^\[secret-in-values\] charts\.wireServer\.valuesFiles\[0\]: values file __tests__\/fixtures\/values-with-secret\.yaml sets wire-server value brig.secrets.smtpPassword, which looks like a secret.*charts.wireServer.sensitiveValues/,
      ),
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
    const withCa = (domain: string) => ({ domain, caCertificates: [{ pem: PEER_CA_PEM }] });

    test('compliant', () => expect(configFindings(baseInput())).toEqual([]));

    test('noncompliant: peers listed twice', () => {
      expect(configFindings(baseInput({ peers: [withCa('a.example'), withCa('b.example'), withCa('a.example')] }))).toEqual([
        { level: 'error', rule: 'duplicate-peers', message: 'peers[2].domain: a.example is already listed at peers[0]; merge the two entries.' },
      ]);
    });

    test('noncompliant: a peer with our own backend domain, or our federator domain', () => {
      const findings = configFindings(baseInput({ peers: [withCa('example.com'), withCa('federator.wire.example.org')] }));
      expect(findings.map((f) => f.message)).toEqual([
        expect.stringMatching(/^peers\[0\].domain: example.com is this backend's own backend domain/),
        expect.stringMatching(/^peers\[1\].domain: federator.wire.example.org is this backend's own federator domain/),
      ]);
    });

    test('noncompliant: a peer without CA while the system store is ON (the ingress never uses it)', () => {
      const findings = configFindings(baseInput({ federation: { useSystemCaStore: true }, peers: [{ domain: 'a.example' }] }));
      expect(findings).toEqual([
        expect.objectContaining({
          rule: 'peer-without-ca',
          level: 'error',
          message: expect.stringMatching(
            /^peers\[0\].caCertificates: a.example has no CA certificate\. .*never the system CA store.*could never call us\. Add the peer's CA certificate/,
          ),
        }),
      ]);
    });

    test('noncompliant: a peer without CA while the system store is off', () => {
      const findings = configFindings(baseInput({ federation: { useSystemCaStore: false }, peers: [{ domain: 'a.example' }] }));
      expect(findings).toEqual([
        expect.objectContaining({ rule: 'peer-without-ca', message: expect.stringMatching(/^peers\[0\].caCertificates: a.example has no CA certificate/) }),
      ]);
    });

    describe("peer-chain-depth: verifyDepth covers the peers' chains", () => {
      let rootOnly = '';
      let withIntermediate = '';
      beforeAll(async () => {
        const root = await makeCa({ commonName: 'Peer Root' });
        const intermediate = await makeCa({ commonName: 'Peer Intermediate', issuer: root });
        rootOnly = root.certPem;
        withIntermediate = root.certPem + intermediate.certPem;
      });
      const peerWith = (pem: string, extra: Partial<WireFederationInput> = {}) =>
        baseInput({ peers: [{ domain: 'deep.example', caCertificates: [{ pem }] }], ...extra });

      test('compliant: a peer CA file with the root alone, depth 1', () => {
        expect(configFindings(peerWith(rootOnly)).filter((f) => f.rule === 'peer-chain-depth')).toEqual([]);
      });

      test('noncompliant: a peer CA file with an intermediate below its root while verifyDepth is 1', () => {
        expect(configFindings(peerWith(withIntermediate)).filter((f) => f.rule === 'peer-chain-depth')).toEqual([
          expect.objectContaining({
            level: 'error',
            path: 'federation.verifyDepth',
            message: expect.stringMatching(
              /^is 1, but the CA certificates of peer deep.example \(peers\[0\]\) hold 1 intermediate CA below the root: .*Set federation.verifyDepth to at least 2\./,
            ),
          }),
        ]);
      });

      test('compliant: the same peer with verifyDepth 2', () => {
        expect(configFindings(peerWith(withIntermediate, { federation: { verifyDepth: 2 } })).filter((f) => f.rule === 'peer-chain-depth')).toEqual([]);
      });

      test('peerChainDepth counts issuer links inside the file, in any order', async () => {
        const x = (pem: string) => (parseCertificates(pem) as { certificates: X509Certificate[] }).certificates;
        expect(peerChainDepth(x(rootOnly))).toBe(1);
        const root = await makeCa({ commonName: 'R' });
        const i1 = await makeCa({ commonName: 'I1', issuer: root });
        const i2 = await makeCa({ commonName: 'I2', issuer: i1 });
        expect(peerChainDepth(x(i2.certPem + root.certPem + i1.certPem))).toBe(3);
        expect(peerChainDepth([])).toBe(1);
      });
    });

    test('warning: allowDynamic with no peers, annotated once on synth', () => {
      expect(configFindings(baseInput({ peers: [] }))).toEqual([expect.objectContaining({ level: 'warning', rule: 'allow-dynamic-without-peers' })]);
      const stack = stackWith(baseInput({ peers: [] }));
      const warnings = stack.federation.node.metadata.filter((m) => m.type === '@cdktf/warn');
      expect(warnings.map((w) => w.data)).toEqual([
        expect.stringMatching(/^\[allow-dynamic-without-peers\] peers: federation.strategy is allowDynamic but no peers/),
      ]);
      expect(errorsOf(stack)).toEqual([]);
    });
  });
});
