/**
 * Federation values of the `nginx-ingress-services` release. Pure: config in, values out.
 */
import type { WireFederationConfig } from '../../config';
import { hasFeature } from '../../core/chart-facts';
import type { ReleaseValues, Values } from './types';
import type { FederatorCertificateSource } from '../../pki/certificate-source';

export type { SecretCertificate, CertManagerCertificate, FederatorCertificateSource } from '../../pki/certificate-source';

export interface NginxIngressServicesValuesInput {
  /** The parsed environment config. */
  readonly config: Pick<WireFederationConfig, 'federatorDomain' | 'federation'>;
  /** Where the federator certificate comes from. */
  readonly certificate: FederatorCertificateSource;
  /** PEM bundle of the CAs that sign peers' client certificates (`secrets.tlsClientCA`). */
  readonly trustBundle: string;
  /**
   * The chart version the values are for. Before 5.28.0 the chart reads no
   * `federator.tls.{duration,renewBefore}` and no `federator.tls.issuer.group`, so they are left
   * out (the config check refuses non-default durations there).
   * @default - a current chart: every value is written
   */
  readonly chartVersion?: string;
}

/**
 * The federation values of nginx-ingress-services: the federator ingress with mutual TLS, the
 * federator certificate (a secret, or cert-manager with a separate private CA issuer for the
 * federator), the client CA bundle (required whenever the federator ingress is on, also with
 * cert-manager), `verify_depth` and the federator host.
 */
export function nginxIngressServicesValues(input: NginxIngressServicesValuesInput): ReleaseValues {
  const { federatorDomain, federation } = input.config;
  const cert = input.certificate;
  const values: Values = {
    federator: { enabled: true },
    tls: { enabled: true, useCertManager: cert.kind === 'cert-manager', verify_depth: federation.verifyDepth },
    config: { dns: { federator: federatorDomain } },
    secrets: { tlsClientCA: input.trustBundle },
  };
  if (cert.kind === 'secret') {
    (values.secrets as Values).tlsWildcardCert = cert.certificatePem;
    return { values, sensitive: [{ path: 'secrets.tlsWildcardKey', value: cert.privateKeyPem }] };
  }
  values.certManager = { certmasterEmail: cert.certmasterEmail, inTestMode: cert.inTestMode };
  const tlsSettings = input.chartVersion === undefined || hasFeature('federatorTlsSettings', input.chartVersion);
  values.federator = {
    enabled: true,
    tls: tlsSettings
      ? {
          issuer: { name: cert.issuerName, kind: 'ClusterIssuer', group: 'cert-manager.io' },
          duration: cert.duration,
          renewBefore: cert.renewBefore,
          privateKey: { rotationPolicy: cert.rotationPolicy },
        }
      : { issuer: { name: cert.issuerName, kind: 'ClusterIssuer' }, privateKey: { rotationPolicy: cert.rotationPolicy } },
  };
  return { values, sensitive: [] };
}
