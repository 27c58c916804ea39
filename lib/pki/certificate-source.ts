/**
 * Where the federator certificate comes from, as the ingress charts need it. Pure types.
 */

/** A certificate and key made outside the cluster (private CA of this project, or provided). */
export interface SecretCertificate {
  readonly kind: 'secret';
  /** PEM of the certificate chain (public). */
  readonly certificatePem: string;
  /** PEM of its private key (sensitive: only a `set_sensitive` entry or a Kubernetes secret). */
  readonly privateKeyPem: string;
}

/** cert-manager: Let's Encrypt for public hosts, a private CA issuer for the federator. */
export interface CertManagerCertificate {
  readonly kind: 'cert-manager';
  /** The CA ClusterIssuer that signs the federator certificate. */
  readonly issuerName: string;
  readonly certmasterEmail: string;
  readonly inTestMode: boolean;
  readonly duration: string;
  readonly renewBefore: string;
  readonly rotationPolicy: 'Always' | 'Never';
}

export type FederatorCertificateSource = SecretCertificate | CertManagerCertificate;
