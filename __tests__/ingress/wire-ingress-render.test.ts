/**
 * The wire-ingress values rendered by the real chart (helm template): the manifests must hold
 * what federation needs. Skips visibly without helm or the chart archives.
 */
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { staging } from '../../stacks/environments/staging';
import { FEDERATOR_TLS_SECRET } from '../../lib/helm/values/wire-ingress';
import { FederationStack } from '../../stacks/federation-stack';
import { parse, resourceAt, synthStack, Synth } from '../support/config';
import { describeWithCharts, describeWithHelm, realChartArchive } from '../support/test-tools';
import { CHARTS_DIR } from '../../lib/package-dir';
import { RENDER_RULE_IDS } from '../../lib/render/checks';
import { RenderResult, renderEnvironment } from '../../lib/render/render';
import { CERT_MANAGER, Manifest, helmTemplate, only, wireIngressInput } from './support';

const INGRESS = 'Federation/WireIngress/Resource';

/** Renders the synthesized wire-ingress release (its values known at synth) with the real chart. */
function render(helm: string, json: Synth): Manifest[] {
  const release = resourceAt(json, 'helm_release', INGRESS);
  const docs = (release.values as string[]).filter((v) => !v.startsWith('${'));
  expect(docs).toHaveLength((release.values as string[]).length); // nothing apply-time to leave out
  return helmTemplate(helm, realChartArchive('wire-ingress')!, release.name, docs);
}

/** What every federating wire-ingress render must hold, whatever the certificate mode. */
function expectFederatorListener(manifests: Manifest[], federatorDomain: string, secretName: string, httpsHostname: string): void {
  const gateway = only(manifests, 'Gateway');
  const listeners = gateway.spec.listeners as any[];
  const federator = listeners.find((l) => l.name === 'federator');
  expect(federator).toEqual({
    name: 'federator',
    port: 443,
    protocol: 'HTTPS',
    hostname: federatorDomain,
    tls: { mode: 'Terminate', certificateRefs: [{ name: secretName, kind: 'Secret' }] },
  });
  expect(listeners.find((l) => l.name === 'https').hostname).toBe(httpsHostname);
  expect(gateway.spec.gatewayClassName).toBe('envoy');

  // mTLS on the federator listener: client certificates validated against wire-server's federator-ca ConfigMap
  const mtls = only(manifests, 'ClientTrafficPolicy', /federator-mtls$/);
  expect(mtls.spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: gateway.metadata.name, sectionName: 'federator' }]);
  expect(mtls.spec.tls.clientValidation.caCertificateRefs).toEqual([{ name: 'federator-ca', kind: 'ConfigMap' }]);

  // the federator host with a trailing dot routes too
  const patch = only(manifests, 'EnvoyPatchPolicy');
  expect(patch.spec.targetRef).toEqual({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: gateway.metadata.name, namespace: 'wire' });
  expect(patch.spec.jsonPatches).toEqual([
    expect.objectContaining({
      name: `wire/${gateway.metadata.name}/federator`,
      operation: { op: 'add', path: '/virtual_hosts/0/domains/-', value: `${federatorDomain}.` },
    }),
  ]);

  const route = only(manifests, 'HTTPRoute', /-federator$/);
  expect(route.spec.hostnames).toEqual([federatorDomain]);
  expect(route.spec.parentRefs).toEqual([expect.objectContaining({ sectionName: 'federator' })]);
  expect(only(manifests, 'EnvoyExtensionPolicy').spec.targetRefs[0].name).toBe(route.metadata.name);
}

describeWithCharts('wire-ingress rendered by the real chart', (helm) => {
  test('the staging example (provided certificate): our TLS secret on both listeners, no Certificate, no chart-made Secret', () => {
    const json = JSON.parse(Testing.synth(new FederationStack(Testing.app(), { config: parse(staging) })));
    const manifests = render(helm, json);
    expectFederatorListener(manifests, 'federator.staging.wire.example.com', FEDERATOR_TLS_SECRET, '*.staging.wire.example.com');
    expect(only(manifests, 'Gateway').spec.listeners.find((l: any) => l.name === 'https').tls.certificateRefs).toEqual([
      { name: FEDERATOR_TLS_SECRET, kind: 'Secret' },
    ]);
    expect(manifests.filter((m) => m.kind === 'Certificate' || m.kind === 'Secret' || m.kind === 'Issuer')).toEqual([]);
    // and the secret it serves is the one this stack creates, in the release namespace
    expect(resourceAt(json, 'kubernetes_secret', 'Federation/FederatorTlsSecret/Resource').metadata).toMatchObject({
      name: FEDERATOR_TLS_SECRET,
      namespace: 'wire',
    });
  });

  test('cert-manager: the federator Certificate from our CA ClusterIssuer, server and client auth, into federator-certificate-secret', () => {
    const manifests = render(helm, synthStack(wireIngressInput({ pki: CERT_MANAGER })));
    expectFederatorListener(manifests, 'federator.wire.example.org', 'federator-certificate-secret', '*.example.com');
    const certificate = only(manifests, 'Certificate', /^federator-/);
    expect(certificate.spec).toMatchObject({
      issuerRef: { name: 'wire-federation-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' },
      usages: ['server auth', 'client auth'],
      secretName: 'federator-certificate-secret',
      dnsNames: ['federator.wire.example.org'],
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      duration: '2160h',
      renewBefore: '360h',
    });
    // public hosts: Let's Encrypt through the Gateway's HTTP listener
    expect(only(manifests, 'Issuer').spec.acme.solvers[0].http01.gatewayHTTPRoute).toBeDefined();
    expect(only(manifests, 'Gateway').spec.listeners.map((l: any) => l.name)).toEqual(['https', 'federator', 'http']);
  });

  test('private-ca: our TLS secret, and the proxy-protocol and GatewayClass options reach the manifests', () => {
    const manifests = render(
      helm,
      synthStack(
        wireIngressInput({
          ingress: {
            ipv4: '203.0.113.10',
            chart: 'wire-ingress',
            gateway: { className: 'envoy', proxyProtocol: 'required', patchPolicyTarget: 'GatewayClass' },
          },
        }),
      ),
    );
    const gateway = only(manifests, 'Gateway');
    expect(gateway.spec.listeners.find((l: any) => l.name === 'federator').tls.certificateRefs).toEqual([{ name: FEDERATOR_TLS_SECRET, kind: 'Secret' }]);
    expect(only(manifests, 'ClientTrafficPolicy', /proxy-protocol$/).spec.proxyProtocol).toEqual({ optional: false });
    expect(only(manifests, 'EnvoyPatchPolicy').spec.targetRef).toEqual({ group: 'gateway.networking.k8s.io', kind: 'GatewayClass', name: 'envoy' });
    expect(manifests.filter((m) => m.kind === 'Certificate')).toEqual([]);
  });
});

describeWithHelm('the GatewayClass chart of this project', (helm) => {
  test('renders the GatewayClass the synthesized release asks for', () => {
    const json = synthStack(
      wireIngressInput({ ingress: { ipv4: '203.0.113.10', chart: 'wire-ingress', gateway: { className: 'eg', createGatewayClass: true } } }),
    );
    const r = resourceAt(json, 'helm_release', 'Federation/EnvoyGateway/GatewayClass');
    const manifests = helmTemplate(helm, join(CHARTS_DIR, 'wire-federation-gateway-class'), r.name, r.values);
    expect(manifests).toEqual([
      expect.objectContaining({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'GatewayClass',
        metadata: expect.objectContaining({ name: 'eg' }),
        spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' },
      }),
    ]);
  });
});

/** `wire-federation render` (lib/render) on wire-ingress environments: its wire-ingress checks, migration included. */
describeWithCharts('wire-federation render with wire-ingress', (helm, chartDir) => {
  const CM = { mode: 'cert-manager', certmasterEmail: 'ops@example.com' } as const;
  const NGINX = { version: '5.32.0', valuesFiles: ['__tests__/fixtures/nginx-ingress-services-values.yaml'] };
  const renderOf = (input: object, mutate: (json: Synth) => void = () => {}): RenderResult => {
    const config = parse(input);
    const json = JSON.parse(Testing.synth(new FederationStack(Testing.app(), { config })));
    mutate(json);
    return renderEnvironment(config, json, { helm, chartDir });
  };
  const errors = (r: RenderResult) => r.findings.filter((f) => f.level === 'error');
  const migrating = (pki: object, phase: 'side-by-side' | 'old-removed') => ({
    ...staging,
    pki,
    ingress: { ...staging.ingress, migration: { from: 'nginx-ingress-services', phase } },
    charts: { ...staging.charts, nginxIngressServices: NGINX },
  });

  test.each([
    ['cert-manager', { ...staging, pki: CM }],
    ['private-ca', { ...staging, pki: { mode: 'private-ca' } }],
    ['cert-manager, side by side with nginx-ingress-services', migrating(CM, 'side-by-side')],
    ['cert-manager, old release removed', migrating(CM, 'old-removed')],
    ['private-ca, side by side with nginx-ingress-services', migrating({ mode: 'private-ca' }, 'side-by-side')],
  ])('compliant: %s renders and every check holds', (_name, input) => {
    const result = renderOf(input);
    expect(result.releases.map((r) => r.error)).toEqual(result.releases.map(() => undefined));
    expect(errors(result)).toEqual([]);
  });

  test('noncompliant: the patch policy for the trailing-dot federator host turned off', () => {
    const result = renderOf({ ...staging, pki: CM }, (json) => {
      const id = Object.keys(json.resource.helm_release).find((k) => k.startsWith('Federation_WireIngress_'))!;
      const release = json.resource.helm_release[id];
      release.values = release.values.map((v: string) => v.replace('patchPolicies:\n    enabled: true', 'patchPolicies:\n    enabled: false'));
    });
    expect(errors(result).map((f) => f.rule)).toEqual([RENDER_RULE_IDS.patchPolicy]);
    expect(errors(result)[0].message).toMatch(
      /^no EnvoyPatchPolicy adds federator.staging.wire.example.com. to the route configuration wire\/wire-ingress-wire-ingress-gateway\/federator/,
    );
  });

  test('noncompliant: cert-manager without the migration, but the federator Certificate gone', () => {
    const result = renderOf({ ...staging, pki: CM }, (json) => {
      const id = Object.keys(json.resource.helm_release).find((k) => k.startsWith('Federation_WireIngress_'))!;
      const release = json.resource.helm_release[id];
      release.values = release.values.map((v: string) => v.replace('\n    useCertManager: true', '\n    useCertManager: false'));
    });
    expect(errors(result).map((f) => f.rule)).toEqual(expect.arrayContaining([RENDER_RULE_IDS.missingManifest]));
  });
});
