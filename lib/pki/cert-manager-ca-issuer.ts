import { resolve } from 'node:path';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { Secret } from '@cdktf/provider-kubernetes/lib/secret';
import type { CertificateSigner } from './federator-certificate';
import { CHARTS_DIR } from '../package-dir';
import { CERT_MANAGER_RELEASE } from '../config/adoption/support-releases';

/** Jetstack's Helm repository (cert-manager). */
export const JETSTACK_REPOSITORY = 'https://charts.jetstack.io';

export interface CertManagerCaIssuerProps {
  /** The private CA that signs federator certificates (its key goes into a Kubernetes secret). */
  readonly ca: CertificateSigner;
  /** Name of the ClusterIssuer. @default wire-federation-ca */
  readonly issuerName?: string;
  /** cert-manager's cluster resource namespace (where a ClusterIssuer reads its CA secret). @default cert-manager */
  readonly namespace?: string;
  /** Install cert-manager (CRDs included) at this chart version first. @default - cert-manager is already installed */
  readonly installVersion?: string;
}

/**
 * A cert-manager CA `ClusterIssuer` over our private CA, deployable on an empty cluster:
 * optionally cert-manager itself (CRDs included), then the CA key pair as a Kubernetes secret,
 * then the issuer, carried by a small local Helm chart. A `kubernetes_manifest` would need the
 * ClusterIssuer CRD at plan time, which does not exist before cert-manager is installed; a Helm
 * release is only rendered at apply, after its dependencies.
 */
export class CertManagerCaIssuer extends Construct {
  public readonly issuerName: string;
  public readonly certManager?: Release;
  public readonly caSecret: Secret;
  public readonly issuer: Release;

  constructor(scope: Construct, id: string, props: CertManagerCaIssuerProps) {
    super(scope, id);
    this.issuerName = props.issuerName ?? 'wire-federation-ca';
    const namespace = props.namespace ?? 'cert-manager';
    if (props.installVersion !== undefined) {
      this.certManager = new Release(this, 'CertManager', {
        name: CERT_MANAGER_RELEASE,
        repository: JETSTACK_REPOSITORY,
        chart: 'cert-manager',
        version: props.installVersion,
        namespace,
        createNamespace: true,
        set: [{ name: 'crds.enabled', value: 'true' }],
        wait: true,
      });
    }
    const after = this.certManager ? [this.certManager] : [];
    // The CA key reaches the cluster only through this secret (sensitive in plan and state).
    const secretName = `${this.issuerName}-key-pair`;
    this.caSecret = new Secret(this, 'CaKeyPair', {
      metadata: { name: secretName, namespace },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': props.ca.certificatePem, 'tls.key': props.ca.privateKeyPem },
      dependsOn: after,
    });
    const chart = new TerraformAsset(this, 'IssuerChart', {
      path: resolve(CHARTS_DIR, 'wire-federation-ca-issuer'),
      type: AssetType.DIRECTORY,
    });
    this.issuer = new Release(this, 'Issuer', {
      name: this.issuerName,
      chart: chart.path,
      namespace,
      values: [`issuerName: ${this.issuerName}\ncaSecretName: ${secretName}\n`],
      dependsOn: [...after, this.caSecret],
    });
  }
}
