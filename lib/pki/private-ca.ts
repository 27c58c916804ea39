import { Construct } from 'constructs';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { SelfSignedCert } from '@cdktf/provider-tls/lib/self-signed-cert';

export interface PrivateCaProps {
  /** Common name of the CA certificate, e.g. `example.com federation CA`. */
  readonly commonName: string;
  /** Subject organization. @default - none */
  readonly organization?: string;
  /** Validity of the CA certificate in hours. @default 87600 (10 years) */
  readonly validityHours?: number;
  /**
   * Refuse `terraform destroy` of the CA key: every peer trusts this CA, and a new key means a
   * CA rotation with all of them. @default true
   */
  readonly preventDestroy?: boolean;
}

/**
 * A private certificate authority for the federator certificate: an ECDSA P-256 key and a
 * self-signed CA certificate, from the Terraform `tls` provider. The key lives only in Terraform
 * state (sensitive); the certificate is public and goes to peers.
 */
export class PrivateCa extends Construct {
  public readonly key: PrivateKey;
  public readonly certificate: SelfSignedCert;

  constructor(scope: Construct, id: string, props: PrivateCaProps) {
    super(scope, id);
    this.key = new PrivateKey(this, 'Key', {
      algorithm: 'ECDSA',
      ecdsaCurve: 'P256',
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.certificate = new SelfSignedCert(this, 'Certificate', {
      privateKeyPem: this.key.privateKeyPem,
      isCaCertificate: true,
      setSubjectKeyId: true,
      validityPeriodHours: props.validityHours ?? 87600,
      allowedUses: ['cert_signing', 'crl_signing', 'digital_signature'],
      subject: [{ commonName: props.commonName, organization: props.organization }],
    });
  }

  /** PEM of the CA certificate (public). */
  public get certificatePem(): string {
    return this.certificate.certPem;
  }

  /** PEM of the CA private key: sensitive, never put it into Helm `values`. */
  public get privateKeyPem(): string {
    return this.key.privateKeyPem;
  }
}
