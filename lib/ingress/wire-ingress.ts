import { FEDERATOR_TLS_SECRET, wireIngressValues } from '../helm/values/wire-ingress';
import { SHARED_FEDERATOR_SECRET } from './ingress-chart';
import type { IngressChart } from './ingress-chart';

/**
 * `wire-ingress` (Gateway API, Envoy Gateway), the successor of nginx-ingress-services from
 * chart 5.32.0. A `federator` listener on the Gateway; a ClientTrafficPolicy validates client
 * certificates against wire-server's `federator-ca` ConfigMap (rendered from
 * `federator.remoteCAContents`: our trust bundle reaches the ingress only through wire-server);
 * an EnvoyExtensionPolicy passes the client certificate to the federator as `X-SSL-Certificate`;
 * an EnvoyPatchPolicy adds the federator host with a trailing dot. The federator certificate
 * comes from the chart's cert-manager Certificate (`federator.tls.issuer`: our CA
 * ClusterIssuer), or from a TLS secret this project creates (`federator.tls.useCertManager:
 * false`); wire-server's federator then gets the certificate through its own values.
 */
export const wireIngress: IngressChart = {
  chart: 'wire-ingress',
  releaseKey: 'wireIngress',
  constructId: 'WireIngress',
  paths: {
    federatorEnabled: 'federator.enabled',
    federatorUsesCertManager: 'federator.tls.useCertManager',
    federatorUsesCertManagerDefault: true,
    federatorIssuerName: 'federator.tls.issuer.name',
    chartIssuerName: 'tls.issuer.name',
    chartIssuerDefault: 'letsencrypt-http01',
    patchPoliciesEnabled: 'gateway.patchPolicies.enabled',
  },
  clientCaSource: "wire-server's federator-ca ConfigMap (federator.remoteCAContents), which the wire-ingress ClientTrafficPolicy reads",
  clientCertificateRequirement:
    'the wire-ingress ClientTrafficPolicy validates client certificates on the federator listener when presented, and the federator refuses federation requests without one',
  clientCertificateOptionalAtTls: true,
  federatorHostSetting: 'wire-ingress config.dns.federator, or a wildcard in config.dns.certificateDomain',
  values: ({ config, certificate }) => wireIngressValues({ config, certificate }),
  federatorSecret: (kind) =>
    kind === 'secret' ? { name: FEDERATOR_TLS_SECRET, createdBy: 'terraform' } : { name: SHARED_FEDERATOR_SECRET, createdBy: 'cert-manager' },
  federatorClientCertificate: (certificate) => (certificate.kind === 'secret' ? certificate : 'shared'),
};
