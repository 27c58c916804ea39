import { Construct } from 'constructs';
import { Secret } from '@cdktf/provider-kubernetes/lib/secret';

export interface FederatorTlsSecretProps {
  /** Secret name (`federator.tls.secretName` of wire-ingress). */
  readonly name: string;
  /** Namespace of the ingress release. */
  readonly namespace: string;
  /** PEM certificate chain (public). */
  readonly certificatePem: string;
  /** PEM private key: a token of a sensitive input or resource attribute, never a literal. */
  readonly privateKeyPem: string;
}

/**
 * The TLS secret an ingress chart expects to exist (wire-ingress with
 * `federator.tls.useCertManager: false`). The key reaches the cluster only through this secret:
 * the provider keeps `data` sensitive in plan and state.
 */
export class FederatorTlsSecret extends Construct {
  public readonly secret: Secret;

  constructor(scope: Construct, id: string, props: FederatorTlsSecretProps) {
    super(scope, id);
    this.secret = new Secret(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: { 'app.kubernetes.io/part-of': 'wire-federation' } },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': props.certificatePem, 'tls.key': props.privateKeyPem },
    });
  }
}
