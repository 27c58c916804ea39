import { nginxIngressServicesValues } from '../helm/values/nginx-ingress-services';
import type { IngressChart } from './ingress-chart';
import { SHARED_FEDERATOR_SECRET } from './ingress-chart';

/**
 * `nginx-ingress-services` (ingress-nginx): the federator Ingress requires client certificates
 * (`auth-tls-verify-client: on`) verified against `federator-ca-secret`, which the chart renders
 * from `secrets.tlsClientCA` with depth `tls.verify_depth`. The chart always makes
 * `federator-certificate-secret`: from `secrets.tlsWildcardCert/Key` without cert-manager, or
 * through its federator Certificate (issuer `federator.tls.issuer`) with it.
 */
export const nginxIngressServices: IngressChart = {
  chart: 'nginx-ingress-services',
  releaseKey: 'nginxIngressServices',
  constructId: 'NginxIngressServices',
  paths: {
    federatorEnabled: 'federator.enabled',
    federatorUsesCertManager: 'tls.useCertManager',
    federatorUsesCertManagerDefault: false,
    federatorIssuerName: 'federator.tls.issuer.name',
    chartIssuerName: 'tls.issuer.name',
    chartIssuerDefault: 'letsencrypt-http01',
    tlsEnabled: 'tls.enabled',
    verifyDepth: 'tls.verify_depth',
  },
  clientCaSource: 'nginx-ingress-services secrets.tlsClientCA',
  clientCertificateRequirement: 'nginx-ingress-services federator.enabled sets auth-tls-verify-client: on',
  federatorHostSetting: 'nginx-ingress-services config.dns.federator, or a wildcard in config.dns.certificateDomain',
  values: ({ config, certificate, trustBundle }) =>
    nginxIngressServicesValues({ config, certificate, trustBundle, chartVersion: config.charts.nginxIngressServices?.version }),
  federatorSecret: (kind) => ({ name: SHARED_FEDERATOR_SECRET, createdBy: kind === 'cert-manager' ? 'cert-manager' : 'chart' }),
  federatorClientCertificate: () => 'shared',
};
