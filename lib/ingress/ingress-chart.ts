/**
 * The ingress seam: one description of "the release that terminates federator mutual TLS" per
 * chart. WireFederation composes a release from it; the rules read the value paths it names.
 * Pure data and functions: no construct, no provider import.
 */
import type { WireFederationConfig } from '../config';
import type { ReleaseValues } from '../helm/values/types';
import type { FederatorCertificateSource, SecretCertificate } from '../pki/certificate-source';

import { INGRESS_CHARTS } from '../core/chart-facts';

/** The ingress charts this project can configure for federation (the chart-facts table). */
export { INGRESS_CHARTS };
export type IngressChartName = (typeof INGRESS_CHARTS)[number];

/** Key of the chart's release settings under `charts.` in the config. */
export type IngressReleaseKey = 'nginxIngressServices' | 'wireIngress';

export interface IngressValuesInput {
  /** The parsed environment config. */
  readonly config: WireFederationConfig;
  /** Where the federator certificate comes from (see `addFederatorPki`). */
  readonly certificate: FederatorCertificateSource;
  /** PEM bundle of our CA and every peer CA (maybe a Terraform expression). */
  readonly trustBundle: string;
}

/** Who makes the TLS secret the federator listener serves, and its name. */
export interface FederatorSecret {
  /** Kubernetes secret name (in the release namespace). */
  readonly name: string;
  /**
   * `chart`: the ingress chart renders it from values; `cert-manager`: a Certificate of the chart
   * writes it; `terraform`: this project creates it before the release (the chart expects it).
   */
  readonly createdBy: 'chart' | 'cert-manager' | 'terraform';
}

/** Value paths (dotted) that the federation rules read in this chart's values. */
export interface IngressValuePaths {
  /** Turns the federator listener/ingress on. */
  readonly federatorEnabled: string;
  /** True when cert-manager issues the federator certificate. */
  readonly federatorUsesCertManager: string;
  /** Chart default of {@link federatorUsesCertManager}. */
  readonly federatorUsesCertManagerDefault: boolean;
  /** The issuer of the federator certificate. */
  readonly federatorIssuerName: string;
  /** The chart's own (ACME) issuer, used for the federator when no federator issuer is set. */
  readonly chartIssuerName: string;
  /** Default of {@link chartIssuerName} in the chart. */
  readonly chartIssuerDefault: string;
  /** `tls.enabled`, for charts that refuse the federator ingress without it. @default - no such switch */
  readonly tlsEnabled?: string;
  /** The client certificate chain depth, for charts that have one. @default - no such value */
  readonly verifyDepth?: string;
  /** Turns the EnvoyPatchPolicy for trailing-dot federator hosts on (Envoy charts). @default - no such policy */
  readonly patchPoliciesEnabled?: string;
}

/** One ingress chart, as federation needs it. */
export interface IngressChart {
  /** Chart name in the Wire Helm repository. */
  readonly chart: IngressChartName;
  /** Where its release settings live in the config (`charts.<key>`). */
  readonly releaseKey: IngressReleaseKey;
  /** Construct id of its release below WireFederation: a Terraform state address, never rename. */
  readonly constructId: string;
  /** Value paths the rules read. */
  readonly paths: IngressValuePaths;
  /** Where the peers' CAs reach this ingress, in words (for messages and hints). */
  readonly clientCaSource: string;
  /** What makes the federator listener require client certificates, in words (for hints). */
  readonly clientCertificateRequirement: string;
  /**
   * Whether the federator listener accepts TLS connections without a client certificate (it
   * validates one when presented; the federator refuses federation requests without it).
   * @default false
   */
  readonly clientCertificateOptionalAtTls?: boolean;
  /** Where the federator host name of the certificate is set, in words (for hints). */
  readonly federatorHostSetting: string;
  /** Federation values of the release: pure. */
  values(input: IngressValuesInput): ReleaseValues;
  /** The TLS secret of the federator listener for a kind of certificate source. */
  federatorSecret(kind: FederatorCertificateSource['kind']): FederatorSecret;
  /**
   * What wire-server's federator presents as client certificate: `shared` mounts the
   * `federator-certificate-secret` of the ingress; a certificate goes into the wire-server values
   * (`federator.clientCertificateContents`, key through `set_sensitive`).
   */
  federatorClientCertificate(certificate: FederatorCertificateSource): 'shared' | SecretCertificate;
}

/** The secret wire-server's federator mounts with `federator.tls.useSharedFederatorSecret`. */
export const SHARED_FEDERATOR_SECRET = 'federator-certificate-secret';
