/**
 * Federation values of the `nginx-ingress-services` release. Pure: config in, values out.
 */
import type { WireFederationConfig } from '../../config';
import type { ReleaseValues } from './types';

export interface NginxIngressServicesValuesInput {
  /** The parsed environment config. */
  readonly config: Pick<WireFederationConfig, 'federatorDomain' | 'federation'>;
  /** PEM of the certificate served on every ingress and shared with the federator (public). */
  readonly certificatePem: string;
  /** PEM of its private key (sensitive: only a `set_sensitive` entry). */
  readonly privateKeyPem: string;
  /** PEM bundle of the CAs that sign peers' client certificates (`secrets.tlsClientCA`). */
  readonly trustBundle: string;
}

/**
 * The federation values of nginx-ingress-services: the federator ingress with mutual TLS, the
 * certificate (copied by the chart into `federator-certificate-secret`), the client CA bundle
 * (required whenever the federator ingress is on, also with cert-manager), `verify_depth` and
 * the federator host.
 */
export function nginxIngressServicesValues(input: NginxIngressServicesValuesInput): ReleaseValues {
  const { federatorDomain, federation } = input.config;
  return {
    values: {
      federator: { enabled: true },
      tls: { enabled: true, useCertManager: false, verify_depth: federation.verifyDepth },
      config: { dns: { federator: federatorDomain } },
      secrets: { tlsWildcardCert: input.certificatePem, tlsClientCA: input.trustBundle },
    },
    sensitive: [{ path: 'secrets.tlsWildcardKey', value: input.privateKeyPem }],
  };
}
