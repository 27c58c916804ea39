/**
 * red and blue federate calls: their coturn and sftd releases rendered by the REAL charts
 * (`../shared/reference/charts/newer`: Wire's coturn chart with federation, sftd 0.0.43 with
 * multiSFT). Every check holds, the rendered turnserver.conf lines and sftd arguments are the
 * ones the config means, and defects injected one at a time are each found with the right rule.
 * Skips visibly without helm or the archives.
 */
import { Testing } from 'cdktf';
import type { Finding } from '../../lib/checks/finding';
import type { WireFederationConfig } from '../../lib/config';
import { RENDER_RULE_IDS } from '../../lib/render/checks';
import { turnserverConfLines } from '../../lib/render/checks/coturn';
import { sftdCommand } from '../../lib/render/checks/sftd';
import { RenderResult, renderEnvironment } from '../../lib/render/render';
import type { SynthesizedStack } from '../../lib/render/releases';
import { validateEnvironments } from '../../lib/validation/pipeline';
import { addEnvironments, environmentSources } from '../../stacks/app';
import { ENVIRONMENTS_BASE_DIR, LOCKS_DIR, environmentSource, environments } from '../../stacks/environments';
import { describeWithCallingCharts } from '../support/test-tools';

const PAIR = ['red', 'blue'];

describeWithCallingCharts('red and blue federate calls, rendered by the real coturn and sftd charts', (helm, chartDir) => {
  const configs = new Map<string, WireFederationConfig>();
  const stacks = new Map<string, SynthesizedStack>();
  const results = new Map<string, RenderResult>();
  const pair = environments.filter((e) => PAIR.includes(e.environment));

  beforeAll(() => {
    const sourceOf = (c: { environment: string }) => environmentSource(c.environment);
    for (const c of validateEnvironments(environmentSources(pair, ENVIRONMENTS_BASE_DIR, { sourceOf })).configs) configs.set(c.environment, c);
    for (const s of addEnvironments(Testing.app(), pair, ENVIRONMENTS_BASE_DIR, { locksDir: LOCKS_DIR, sourceOf }))
      stacks.set(s.node.id, JSON.parse(Testing.synth(s)));
    for (const name of PAIR) results.set(name, renderEnvironment(configs.get(name)!, stacks.get(name)!, { helm, chartDir }));
  }, 120_000);

  const rendered = (env: string, chart: string) => results.get(env)!.releases.find((r) => r.release.chart === chart)!;

  test.each(PAIR)('%s: all four releases render and every check holds', (name) => {
    const result = results.get(name)!;
    expect(result.releases.map((r) => [r.release.chart, r.error])).toEqual(
      expect.arrayContaining([
        ['coturn', undefined],
        ['sftd', undefined],
        ['wire-server', undefined],
        ['nginx-ingress-services', undefined],
      ]),
    );
    expect(result.findings).toEqual([]);
  });

  test('red (private CA): the turnserver.conf federation lines, the whitelist for blue, the CA file, the allowlist', () => {
    const lines = turnserverConfLines(rendered('red', 'coturn'))!;
    expect(lines).toEqual(
      expect.arrayContaining([
        'federation-listening-ip=__COTURN_HOST_IP__',
        'federation-listening-port=9191',
        'federation-no-dtls=false',
        'federation-cert=/coturn-dtls-certificate/tls.crt',
        'federation-pkey=/coturn-dtls-certificate/tls.key',
        'federation-remote-whitelist=coturn.blue.wire.example.dev,blue.wire.example.dev federation CA',
        'CA-file=/secrets-ca/ca-certificates.crt',
        '401-allowlist=/etc/coturn/allowlist.txt',
      ]),
    );
    expect(lines.filter((l) => l.startsWith('federation-remote-whitelist='))).toHaveLength(1);
    const manifests = rendered('red', 'coturn').manifests;
    expect(
      manifests
        .find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'coturn-allowlist')!
        .data['allowlist.txt'].split('\n')
        .filter(Boolean)
        .map((l: string) => l.trim()),
    ).toEqual(['198.51.100.22', '198.51.100.31']);
    // private-ca: the chart writes the DTLS Secret from our certificate (a placeholder at synth) and the key (masked)
    expect(manifests.find((m) => m.kind === 'Secret' && m.metadata.name === 'coturn-dtls-certificate')).toBeDefined();
    expect(manifests.find((m) => m.kind === 'Certificate')).toBeUndefined();
  });

  test('blue (cert-manager): the chart asks our CA issuer for a server+client certificate of the coturn host', () => {
    const certificate = rendered('blue', 'coturn').manifests.find((m) => m.kind === 'Certificate')!;
    expect(certificate.spec).toMatchObject({
      secretName: 'coturn-dtls-certificate',
      dnsNames: ['coturn.blue.wire.example.dev'],
      issuerRef: { name: 'wire-federation-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' },
      usages: ['server auth', 'client auth'],
    });
    expect(turnserverConfLines(rendered('blue', 'coturn'))).toContain(
      'federation-remote-whitelist=coturn.red.wire.example.dev,red.wire.example.dev federation CA',
    );
  });

  test.each(PAIR)('%s: sftd starts with multiSFT against our coturn and reads the TURN secret', (name) => {
    const command = sftdCommand(rendered(name, 'sftd'))!.text;
    expect(command).toContain(`-t turn:coturn.${name}.wire.example.dev:3478`);
    expect(command).toContain('-s /secrets/zrest_secret.txt');
    const secret = rendered(name, 'sftd').manifests.find((m) => m.kind === 'Secret' && m.data?.['zrest_secret.txt'] !== undefined);
    expect(secret).toBeDefined();
  });

  test.each(PAIR)('%s: brig announces every SFT server and federates calls', (name) => {
    const brig = rendered(name, 'wire-server').manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'brig')!;
    expect(brig.data['brig.yaml']).toMatch(/^\s*multiSFT: true$/m);
    expect(brig.data['brig.yaml']).toMatch(/setSftListAllServers: enabled/);
  });

  // ---- injected defects ---------------------------------------------------------------------

  const withValues = (env: string, chart: string, yaml: string): SynthesizedStack => {
    const copy = JSON.parse(JSON.stringify(stacks.get(env)));
    const release = Object.values(copy.resource.helm_release as Record<string, any>).find((r) => r.chart === chart);
    release.values.push(yaml);
    return copy;
  };
  const render = (env: string, stack: SynthesizedStack): readonly Finding[] => renderEnvironment(configs.get(env)!, stack, { helm, chartDir }).findings;
  const ids = (findings: readonly Finding[]) => [...new Set(findings.map((f) => f.rule))].sort();

  test('1. the whitelist lost the peer: render-coturn-whitelist names it', () => {
    const f = render('red', withValues('red', 'coturn', 'federate: {dtls: {remoteWhitelist: []}}\n'));
    expect(ids(f)).toEqual([RENDER_RULE_IDS.coturnWhitelist]);
    expect(f[0].message).toContain('missing "coturn.blue.wire.example.dev,blue.wire.example.dev federation CA"');
  });

  test('2. DTLS off, another port: render-coturn-federation', () => {
    expect(ids(render('red', withValues('red', 'coturn', 'federate: {port: 9192}\n')))).toEqual([RENDER_RULE_IDS.coturnFederation]);
    // DTLS off: no certificate, no whitelist either (each named)
    const f = render('red', withValues('red', 'coturn', 'federate: {dtls: {enabled: false}}\n'));
    expect(ids(f)).toEqual([RENDER_RULE_IDS.coturnCertificate, RENDER_RULE_IDS.coturnFederation, RENDER_RULE_IDS.coturnWhitelist]);
    expect(f.map((x) => x.message).join('\n')).toContain('federation-no-dtls=true, but needs federation-no-dtls=false');
  });

  test('3. the CA bundle of the system instead of ours: render-coturn-ca', () => {
    expect(ids(render('blue', withValues('blue', 'coturn', 'ca: {enabled: false}\n')))).toEqual([RENDER_RULE_IDS.coturnCa]);
  });

  test('4. the allowlist without the peer: render-coturn-allowlist', () => {
    const f = render('blue', withValues('blue', 'coturn', 'ratelimit: {allowlist: ["198.51.100.32"]}\n'));
    expect(ids(f)).toEqual([RENDER_RULE_IDS.coturnAllowlist]);
    expect(f[0].message).toContain('lacks 198.51.100.21');
  });

  test('5. a DTLS certificate without client auth, from another issuer: render-coturn-certificate', () => {
    const f = render(
      'blue',
      withValues('blue', 'coturn', 'federate: {dtls: {tls: {issuerRef: {name: letsencrypt-http01, kind: Issuer}, certificate: {usages: [server auth]}}}}\n'),
    );
    expect(ids(f)).toEqual([RENDER_RULE_IDS.coturnCertificate]);
    expect(f.map((x) => x.message).join('\n')).toMatch(/not by our CA ClusterIssuer[\s\S]*lacks the usage client auth/);
  });

  test('6. sftd with TURN discovery: render-sftd-multisft', () => {
    const f = render('red', withValues('red', 'sftd', 'multiSFT: {discoveryRequired: true, turnDiscoveryURL: "https://restund.example/turn"}\n'));
    expect(ids(f)).toEqual([RENDER_RULE_IDS.sftdMultiSft]);
  });

  test('7. brig without multiSFT: render-brig-calling', () => {
    const f = render(
      'blue',
      withValues('blue', 'wire-server', 'brig: {config: {multiSFT: {enabled: false}, optSettings: {setSftListAllServers: disabled}}}\n'),
    );
    expect(ids(f)).toEqual([RENDER_RULE_IDS.brigCalling]);
    expect(f.map((x) => x.level)).toEqual(['error', 'error']);
  });
});
