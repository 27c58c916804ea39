import { X509Certificate } from 'node:crypto';
import type { WireFederationConfig } from '../../config';
import { WIRE_INGRESS_BSI_PROFILE_VALUE } from '../../core/chart-facts';
import type { FederationRule } from '../finding';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

function isRsa(pem: string): boolean {
  try {
    return new X509Certificate(pem).publicKey.asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

/**
 * The RSA certificates among the client chains federation depends on, as far as the config
 * holds them: our provided chain and CA, and the peers' CAs given as files or PEM text (a
 * private-ca or cert-manager chain of this project is ECDSA P-256).
 */
export function rsaFederationCertificates(config: Pick<WireFederationConfig, 'pki' | 'peers'>): string[] {
  const rsa: string[] = [];
  if (config.pki.mode === 'provided') {
    (config.pki.certificateChainPem.match(PEM_BLOCK) ?? []).forEach((pem, i) => {
      if (isRsa(pem)) rsa.push(i === 0 ? 'our federator certificate (pki.certificateFile)' : `certificate ${i + 1} of our chain (pki.certificateFile)`);
    });
    if ((config.pki.caPem.match(PEM_BLOCK) ?? []).some(isRsa)) rsa.push('our CA (pki.caFile)');
  }
  for (const peer of config.peers) {
    for (const ca of peer.caCertificates) {
      if (ca.kind === 'pem' && (ca.pem.match(PEM_BLOCK) ?? []).some(isRsa)) rsa.push(`the CA of peer ${peer.domain} (${ca.origin})`);
    }
  }
  return rsa;
}

/** The warning text for `rsa` under the BSI profile. */
export function bsiProfileMessage(rsa: readonly string[]): string {
  return `the wire-ingress BSI TR-02102-2 profile (${WIRE_INGRESS_BSI_PROFILE_VALUE}: true) accepts ECDSA (P-256/P-384) client chains only, but ${rsa.join(', ')} ${rsa.length === 1 ? 'is' : 'are'} RSA: those federators' client certificates would be refused (ours, by peers with the same profile). Use ECDSA certificates, or turn the profile off`;
}

/**
 * wire-ingress's BSI TR-02102-2 profile (`FIPS_202205_tls_profile: true` in the operator's
 * wire-ingress values) accepts ECDSA client chains only: a warning for every RSA certificate of
 * our chain or a peer's CA (docs/reference/chart-versions.md).
 */
export const bsiProfileRsa: FederationRule = {
  id: 'bsi-profile-rsa',
  description:
    "wire-ingress with the BSI TR-02102-2 profile (`FIPS_202205_tls_profile: true` in its values) while our federator chain or a peer's CA is RSA: the profile accepts ECDSA client chains only",
  level: 'warning',
  configOnly: true,
  check: ({ config }) => {
    if (config.ingress.chart !== 'wire-ingress' || config.charts.wireIngress?.operatorValues[WIRE_INGRESS_BSI_PROFILE_VALUE] !== true) return [];
    const rsa = rsaFederationCertificates(config);
    return rsa.length === 0 ? [] : [{ level: 'warning', rule: 'bsi-profile-rsa', path: 'charts.wireIngress.valuesFiles', message: bsiProfileMessage(rsa) }];
  },
};
