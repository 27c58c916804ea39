/**
 * wire-ingress in its ListenerSet layout (5.35.0 and later by the chart-facts table), rendered by
 * the newer wire-ingress archive (`../shared/reference/charts/newer`, assembled from Wire's newest
 * sources): the federator listener is a ListenerSet section, client certificates are validated
 * by a ClientTrafficPolicy on that section, and every render check holds. Skips visibly without
 * helm or the archive.
 */
import { Testing } from 'cdktf';
import type { WireFederationInput } from '../../lib/config';
import { RENDER_RULE_IDS, checkManifests } from '../../lib/render/checks';
import { RenderResult, renderEnvironment } from '../../lib/render/render';
import type { SynthesizedStack } from '../../lib/render/releases';
import { FEDERATOR_TLS_SECRET } from '../../lib/helm/values/wire-ingress';
import { FederationStack } from '../../stacks/federation-stack';
import { staging } from '../../stacks/environments/staging';
import { parse } from '../support/config';
import { makeCa } from '../support/certificates';
import { describeWithNewerWireIngress } from '../support/test-tools';

const CM = { mode: 'cert-manager', certmasterEmail: 'ops@example.com' } as const;
/** staging on the ListenerSet layout: wire-ingress 5.36.0 (and an Envoy Gateway that supports it). */
const at = (version: string, extra: Partial<WireFederationInput> = {}, gateway: object = {}): WireFederationInput => ({
  ...staging,
  ingress: { ...staging.ingress, gateway: { ...staging.ingress.gateway!, installEnvoyGatewayVersion: 'v1.9.0', ...gateway } },
  charts: { ...staging.charts, wireIngress: { ...staging.charts.wireIngress!, version } },
  ...extra,
});

describeWithNewerWireIngress('wire-ingress, ListenerSet layout, rendered by the newer chart', (helm, chartDir) => {
  const renderOf = (input: WireFederationInput): { result: RenderResult; config: ReturnType<typeof parse> } => {
    const config = parse(input);
    const stack: SynthesizedStack = JSON.parse(Testing.synth(new FederationStack(Testing.app(), { config })));
    return { config, result: renderEnvironment(config, stack, { helm, chartDir }) };
  };
  const manifests = (r: RenderResult) => r.releases.find((x) => x.release.chart === 'wire-ingress')!.manifests;
  const errors = (r: RenderResult) => r.findings.filter((f) => f.level === 'error');

  test.each([
    ['provided (the staging example)', at('5.36.0')],
    ['cert-manager', at('5.36.0', { pki: CM })],
    ['private-ca', at('5.35.0', { pki: { mode: 'private-ca' } })],
  ])('compliant: %s renders and every check holds', (_name, input) => {
    const { result } = renderOf(input);
    expect(result.releases.map((r) => r.error)).toEqual([undefined, undefined]);
    expect(errors(result)).toEqual([]);
    expect(result.findings.filter((f) => f.rule === RENDER_RULE_IDS.unreadValue || f.rule === RENDER_RULE_IDS.ignoredValue)).toEqual([]);
  });

  test('the federator listener is a ListenerSet section; mTLS, route and patch policy target it', () => {
    const { result } = renderOf(at('5.36.0'));
    const m = manifests(result);
    const gateway = m.find((x) => x.kind === 'Gateway')!;
    expect(gateway.spec.listeners.map((l: any) => l.name)).toEqual(['placeholder']);
    const ls = m.find((x) => x.kind === 'ListenerSet')!;
    expect(ls.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(ls.spec.parentRef.name).toBe(gateway.metadata.name);
    const federator = ls.spec.listeners.find((l: any) => l.name === 'federator');
    expect(federator).toMatchObject({
      hostname: 'federator.staging.wire.example.com',
      tls: { certificateRefs: [{ name: FEDERATOR_TLS_SECRET, kind: 'Secret' }] },
    });
    const mtls = m.find((x) => x.kind === 'ClientTrafficPolicy' && /federator-mtls$/.test(x.metadata.name))!;
    expect(mtls.spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'ListenerSet', name: ls.metadata.name, sectionName: 'federator' }]);
    expect(mtls.spec.tls.clientValidation.caCertificateRefs).toEqual([{ name: 'federator-ca', kind: 'ConfigMap' }]);
    const patch = m.find((x) => x.kind === 'EnvoyPatchPolicy' && /fqdn/.test(x.metadata.name))!;
    expect(patch.spec.jsonPatches[0].name).toBe(`wire/${gateway.metadata.name}/wire/${ls.metadata.name}/federator`);
  });

  test('a configured section name reaches the ListenerSet, the policy and the route; the checks follow it', () => {
    const { result } = renderOf(at('5.36.0', {}, { federatorSectionName: 'federation' }));
    expect(errors(result)).toEqual([]);
    const m = manifests(result);
    expect(m.find((x) => x.kind === 'ListenerSet')!.spec.listeners.map((l: any) => l.name)).toContain('federation');
    expect(m.find((x) => x.kind === 'ClientTrafficPolicy' && /federator-mtls$/.test(x.metadata.name))!.spec.targetRefs[0].sectionName).toBe('federation');
    expect(m.find((x) => x.kind === 'HTTPRoute' && /-federator$/.test(x.metadata.name))!.spec.parentRefs[0]).toMatchObject({
      kind: 'ListenerSet',
      sectionName: 'federation',
    });
  });

  test('noncompliant: the ClientTrafficPolicy on the federator section without client validation', () => {
    const { result, config } = renderOf(at('5.36.0', { pki: CM }));
    const releases = result.releases.map((r) => ({
      ...r,
      manifests: r.manifests.map((x) =>
        x.kind === 'ClientTrafficPolicy' && /federator-mtls$/.test(x.metadata.name) ? { ...x, spec: { ...x.spec, tls: { minVersion: '1.3' } } } : x,
      ),
    }));
    const f = checkManifests({ config, releases, terraformSecrets: [] });
    expect(f.map((x) => x.rule)).toEqual([RENDER_RULE_IDS.clientVerification]);
    expect(f[0].message).toContain('ListenerSet');
  });

  test('noncompliant: a version of the Gateway-listener layout rendered with the ListenerSet chart names the mismatch', () => {
    const { result } = renderOf({ ...staging, charts: { ...staging.charts } });
    expect(errors(result)).toEqual([expect.objectContaining({ rule: RENDER_RULE_IDS.missingManifest, path: 'wire-ingress:Gateway' })]);
    expect(errors(result)[0].message).toContain('puts the federator listener on a ListenerSet');
  });

  test('the BSI profile with an RSA peer CA: a warning naming the peer', async () => {
    const rsa = await makeCa({ commonName: 'RSA Peer CA', key: { type: 'rsa', bits: 2048 } });
    const input = at('5.36.0', { peers: [...staging.peers!, { domain: 'rsa.example.org', caCertificates: [{ pem: rsa.certPem }] }] });
    const config = parse(input);
    const stack = JSON.parse(Testing.synth(new FederationStack(Testing.app(), { config })));
    const release = Object.values(stack.resource.helm_release as Record<string, any>).find((r) => r.chart === 'wire-ingress');
    release.values.push('FIPS_202205_tls_profile: true\ngateway: {patchPolicies: {xdsNameSchemeV2: false}}\n');
    const result = renderEnvironment(config, stack, { helm, chartDir });
    expect(errors(result)).toEqual([]);
    const bsi = result.findings.filter((f) => f.rule === RENDER_RULE_IDS.bsiProfile);
    expect(bsi).toEqual([expect.objectContaining({ level: 'warning' })]);
    expect(bsi[0].message).toContain('the CA of peer rsa.example.org');
    expect(bsi[0].message).not.toContain('wire.acme.test'); // the ECDSA peer is fine
  });

  test('the config refuses a section name the chart version cannot read, and an Envoy Gateway too old for the ListenerSet layout', () => {
    expect(() => parse({ ...staging, ingress: { ...staging.ingress, gateway: { ...staging.ingress.gateway!, federatorSectionName: 'federation' } } })).toThrow(
      /federatorSectionName.*5\.35\.0/s,
    );
    expect(() => parse(at('5.36.0', {}, { installEnvoyGatewayVersion: 'v1.8.3' }))).toThrow(/installEnvoyGatewayVersion.*v1\.9\.0/s);
  });
});
