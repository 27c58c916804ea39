import { Construct } from 'constructs';
import { CertRequest } from '@cdktf/provider-tls/lib/cert-request';
import { LocallySignedCert } from '@cdktf/provider-tls/lib/locally-signed-cert';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';

/** Key usages a federator certificate needs: it is both the server and the client certificate. */
export const FEDERATOR_CERTIFICATE_USES = ['digital_signature', 'key_encipherment', 'server_auth', 'client_auth'];

/** The CA that signs: PEMs of its certificate and key (tokens of a {@link PrivateCa} work). */
export interface CertificateSigner {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export interface FederatorCertificateProps {
  /** The CA that signs the certificate. */
  readonly ca: CertificateSigner;
  /** The federator infrastructure domain: common name and first SAN. */
  readonly federatorDomain: string;
  /** More SANs, e.g. public hosts served by the same ingress certificate. @default - none */
  readonly extraSans?: string[];
  /** Subject organization. @default - none */
  readonly organization?: string;
  /** Validity in hours. @default 8760 (1 year) */
  readonly validityHours?: number;
  /** Terraform replaces the certificate when fewer hours than this remain. @default 720 */
  readonly earlyRenewalHours?: number;
}

/**
 * The federator certificate: ECDSA P-256 key (the federator's TLS library accepts no other
 * curve), SAN = federator domain, key usage digital signature + key encipherment, extended key
 * usage server auth + client auth, signed by the given CA.
 */
export class FederatorCertificate extends Construct {
  public readonly key: PrivateKey;
  public readonly request: CertRequest;
  public readonly certificate: LocallySignedCert;

  constructor(scope: Construct, id: string, props: FederatorCertificateProps) {
    super(scope, id);
    const dnsNames = [props.federatorDomain, ...(props.extraSans ?? []).filter((n) => n !== props.federatorDomain)];
    this.key = new PrivateKey(this, 'Key', { algorithm: 'ECDSA', ecdsaCurve: 'P256' });
    this.request = new CertRequest(this, 'Request', {
      privateKeyPem: this.key.privateKeyPem,
      dnsNames,
      subject: [{ commonName: props.federatorDomain, organization: props.organization }],
    });
    this.certificate = new LocallySignedCert(this, 'Certificate', {
      certRequestPem: this.request.certRequestPem,
      caCertPem: props.ca.certificatePem,
      caPrivateKeyPem: props.ca.privateKeyPem,
      validityPeriodHours: props.validityHours ?? 8760,
      earlyRenewalHours: props.earlyRenewalHours ?? 720,
      allowedUses: FEDERATOR_CERTIFICATE_USES,
    });
  }

  /** PEM of the certificate (public). */
  public get certificatePem(): string {
    return this.certificate.certPem;
  }

  /** PEM of the private key: sensitive, only through Helm `set_sensitive`. */
  public get privateKeyPem(): string {
    return this.key.privateKeyPem;
  }
}
