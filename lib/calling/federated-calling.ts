/**
 * Federated calling for one backend: coturn federating over DTLS with the peers (its certificate
 * from the PKI mode of the federator, the whitelist, the CA bundle, the rate-limit allowlist),
 * sftd with multiSFT, and the A/AAAA records of the coturn host. brig's settings are part of the
 * wire-server values (`lib/helm/values/wire-server.ts`).
 */
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import type { ReleaseConfig, WireFederationConfig } from '../config';
import { addHostDnsRecords, type HostDnsRecords } from '../dns/provider';
import { ChartRelease } from '../helm/chart-release';
import { coturnValues, type CoturnCertificateSource } from '../helm/values/coturn';
import { sftdValues } from '../helm/values/sftd';
import type { SensitiveValue } from '../helm/values/types';
import { FederatorCertificate, type CertificateSigner } from '../pki/federator-certificate';
import { keyFileExpression } from '../pki/federator-pki';
import { isIP } from 'node:net';

export interface FederatedCallingProps {
  /** The parsed environment config, with `calling.enabled` and `calling.coturn`. */
  readonly config: WireFederationConfig;
  /** PEM bundle of our CA and every peer's CA (coturn's `ca.cert`): the federator's trust bundle. */
  readonly caBundle: string;
  /** The TURN secret shared by brig (`brig.secrets.turn.secret`), coturn and sftd: a sensitive input. */
  readonly turnSecret: string;
  /** Our signing CA (pki.mode private-ca): signs the coturn certificate. @default - required in that mode */
  readonly signingCa?: CertificateSigner;
  /** Our CA ClusterIssuer (pki.mode cert-manager): the coturn chart's Certificate asks it. @default - required in that mode */
  readonly issuer?: { readonly issuerName: string; readonly ready: ITerraformDependable };
  /** Private key of a brought coturn certificate without `keyFile`: a sensitive input. @default - required in that case */
  readonly providedPrivateKey?: string;
  /** The operator's own secrets of the coturn and sftd releases (`charts.<release>.sensitiveValues`). @default - none */
  readonly operatorSecrets?: { readonly coturn?: readonly SensitiveValue[]; readonly sftd?: readonly SensitiveValue[] };
}

/**
 * coturn and sftd for federated calls. Construct ids below are Terraform state addresses: never
 * rename them.
 */
export class FederatedCalling extends Construct {
  /** coturn's DTLS certificate made by Terraform (pki.mode private-ca only). */
  public readonly certificate?: FederatorCertificate;
  /** The A/AAAA records of the coturn host (unless `calling.coturn.dnsRecords` is false). */
  public readonly dns?: HostDnsRecords;
  public readonly coturn: ChartRelease;
  public readonly sftd: ChartRelease;

  constructor(scope: Construct, id: string, props: FederatedCallingProps) {
    super(scope, id);
    const { config } = props;
    const coturn = config.calling.coturn;
    const coturnRelease = config.charts.coturn;
    const sftdRelease = config.charts.sftd;
    if (!config.calling.enabled || coturn === undefined || coturnRelease === undefined || sftdRelease === undefined) {
      throw new Error('FederatedCalling: needs calling.enabled with calling.coturn, charts.coturn and charts.sftd (the config parser checks them)');
    }
    const namespace = config.kubernetes.namespace;

    if (coturn.dnsRecords) {
      this.dns = addHostDnsRecords(this, 'Dns', config, {
        name: coturn.host,
        ipv4: coturn.publicIps.filter((ip) => isIP(ip) === 4),
        ipv6: coturn.publicIps.filter((ip) => isIP(ip) === 6),
        comment: 'Wire federated calling: coturn federation (DTLS, UDP; DNS only)',
      });
    }

    // coturn's cert-manager Certificate needs our CA issuer first.
    const dependsOn: ITerraformDependable[] = [];
    let certificate: CoturnCertificateSource;
    const pki = config.pki;
    if (pki.mode === 'private-ca') {
      if (props.signingCa === undefined) throw new Error('FederatedCalling: pki.mode private-ca needs signingCa');
      // The same kind of certificate as the federator's: ECDSA P-256, server AND client auth, our CA.
      this.certificate = new FederatorCertificate(this, 'CoturnCertificate', {
        ca: props.signingCa,
        federatorDomain: coturn.host,
        organization: pki.organization ?? config.backendDomain,
        validityHours: pki.certificateValidityHours,
        earlyRenewalHours: pki.earlyRenewalHours,
      });
      certificate = { kind: 'secret', certificatePem: this.certificate.certificatePem, privateKeyPem: this.certificate.privateKeyPem };
    } else if (pki.mode === 'cert-manager') {
      if (props.issuer === undefined) throw new Error('FederatedCalling: pki.mode cert-manager needs issuer');
      certificate = { kind: 'cert-manager', issuerName: props.issuer.issuerName, duration: pki.duration, renewBefore: pki.renewBefore };
      dependsOn.push(props.issuer.ready);
    } else {
      const brought = coturn.certificate;
      const key = brought?.keyFile !== undefined ? keyFileExpression(brought.keyFile) : props.providedPrivateKey;
      if (brought === undefined || key === undefined)
        throw new Error('FederatedCalling: pki.mode provided needs calling.coturn.certificate and its key (keyFile or providedPrivateKey)');
      certificate = { kind: 'secret', certificatePem: brought.certificateChainPem, privateKeyPem: key };
    }

    const release = (
      constructId: string,
      chart: 'coturn' | 'sftd',
      settings: ReleaseConfig,
      values: { values: object; sensitive: readonly SensitiveValue[] },
      operator: readonly SensitiveValue[] | undefined,
      after: ITerraformDependable[],
    ) =>
      new ChartRelease(this, constructId, {
        releaseName: settings.releaseName,
        chart,
        repository: config.charts.repository,
        version: settings.version,
        namespace,
        operatorValues: settings.operatorValues,
        federationValues: values.values as Record<string, unknown>,
        sensitiveValues: [...values.sensitive, ...(operator ?? [])],
        dependsOn: after.length > 0 ? after : undefined,
      });
    this.coturn = release(
      'Coturn',
      'coturn',
      coturnRelease,
      coturnValues({ config, certificate, caBundle: props.caBundle, turnSecret: props.turnSecret }),
      props.operatorSecrets?.coturn,
      dependsOn,
    );
    this.sftd = release('Sftd', 'sftd', sftdRelease, sftdValues({ config, turnSecret: props.turnSecret }), props.operatorSecrets?.sftd, []);
  }
}
