import { Construct } from 'constructs';
import type { WireFederationConfig } from './config';
import { FederationChecks } from './checks/federation-checks';
import { FederatorDnsRecords } from './dns/federator-dns-records';
import { BackendDomainPin } from './guard/backend-domain-pin';
import { ChartRelease } from './helm/chart-release';
import { nginxIngressServicesValues } from './helm/values/nginx-ingress-services';
import { wireServerValues } from './helm/values/wire-server';
import { FederatorCertificate } from './pki/federator-certificate';
import { PrivateCa } from './pki/private-ca';
import { ApplyTimeCa, trustBundle } from './pki/trust-bundle';

export interface WireFederationProps {
  /** The parsed environment config (see `parseFederationConfig`). */
  readonly config: WireFederationConfig;
  /** RabbitMQ user name: a sensitive input such as a Terraform variable token. */
  readonly rabbitmqUsername: string;
  /** RabbitMQ password: a sensitive input such as a Terraform variable token. */
  readonly rabbitmqPassword: string;
  /**
   * Resolves a peer CA given as `{environment: <name>}` to a token of that environment's CA
   * certificate PEM (e.g. from its Terraform state).
   * @default - such peers are an error
   */
  readonly environmentCa?: (environment: string) => string;
}

/**
 * Federation for one Wire backend, from one config: the SRV and A/AAAA records, a private CA
 * with the federator certificate, the trust bundle of the peers' CAs, and the wire-server and
 * nginx-ingress-services releases with every federation value set consistently.
 *
 * Construct ids below are Terraform state addresses: never rename them.
 */
export class WireFederation extends Construct {
  public readonly domainPin: BackendDomainPin;
  public readonly dns: FederatorDnsRecords;
  public readonly ca: PrivateCa;
  public readonly certificate: FederatorCertificate;
  public readonly wireServer: ChartRelease;
  public readonly nginxIngressServices: ChartRelease;
  /** PEM bundle of our CA and every peer CA, given to both releases (a Terraform expression). */
  public readonly trustBundle: string;

  constructor(scope: Construct, id: string, props: WireFederationProps) {
    super(scope, id);
    const { config } = props;

    // terraform plan fails if the backend domain ever changes.
    this.domainPin = new BackendDomainPin(this, 'DomainPin', { backendDomain: config.backendDomain });

    this.dns = new FederatorDnsRecords(this, 'Dns', {
      backendDomain: config.backendDomain,
      federatorDomain: config.federatorDomain,
      backendZoneId: config.dns.backendZoneId,
      infrastructureZoneId: config.dns.infrastructureZoneId,
      ipv4: config.ingress.ipv4,
      ipv6: config.ingress.ipv6,
      ttl: config.dns.ttl,
      srv: config.dns.srv,
    });

    const organization = config.pki.organization ?? config.backendDomain;
    this.ca = new PrivateCa(this, 'Ca', {
      commonName: `${config.backendDomain} federation CA`,
      organization,
      validityHours: config.pki.caValidityHours,
    });
    this.certificate = new FederatorCertificate(this, 'FederatorCertificate', {
      ca: this.ca,
      federatorDomain: config.federatorDomain,
      extraSans: config.pki.extraSans,
      organization,
      validityHours: config.pki.certificateValidityHours,
      earlyRenewalHours: config.pki.earlyRenewalHours,
    });

    // Our own CA is part of the bundle: it is never empty (the chart refuses an empty tlsClientCA, e.g.
    // on the first deploy of two environments that trust each other's state output), and it
    // only admits our own federator.
    this.trustBundle = buildTrustBundle(this, config, { key: '', pem: this.ca.certificatePem }, props.environmentCa);

    const namespace = config.kubernetes.namespace;
    const nginx = nginxIngressServicesValues({
      config,
      certificatePem: this.certificate.certificatePem,
      privateKeyPem: this.certificate.privateKeyPem,
      trustBundle: this.trustBundle,
    });
    this.nginxIngressServices = new ChartRelease(this, 'NginxIngressServices', {
      releaseName: config.charts.nginxIngressServices.releaseName,
      chart: 'nginx-ingress-services',
      repository: config.charts.repository,
      version: config.charts.nginxIngressServices.version,
      namespace,
      operatorValues: config.charts.nginxIngressServices.operatorValues,
      federationValues: nginx.values,
      sensitiveValues: nginx.sensitive,
    });

    const wire = wireServerValues({
      config,
      trustBundle: this.trustBundle,
      rabbitmqUsername: props.rabbitmqUsername,
      rabbitmqPassword: props.rabbitmqPassword,
    });
    this.wireServer = new ChartRelease(this, 'WireServer', {
      releaseName: config.charts.wireServer.releaseName,
      chart: 'wire-server',
      repository: config.charts.repository,
      version: config.charts.wireServer.version,
      namespace,
      operatorValues: config.charts.wireServer.operatorValues,
      federationValues: wire.values,
      sensitiveValues: wire.sensitive,
      // The federator mounts federator-certificate-secret, which nginx-ingress-services creates.
      dependsOn: [this.nginxIngressServices.release],
    });

    this.node.addValidation(new FederationChecks(this, config));
  }
}

/** The one trust bundle of every peer's CAs, for `remoteCAContents` and `tlsClientCA` alike. */
function buildTrustBundle(scope: Construct, config: WireFederationConfig, own: ApplyTimeCa, environmentCa?: (environment: string) => string): string {
  const known: string[] = [];
  const applyTime = new Map<string, ApplyTimeCa>([[own.key, own]]);
  for (const peer of config.peers) {
    for (const ca of peer.caCertificates) {
      if (ca.kind === 'pem') {
        known.push(ca.pem);
      } else if (!applyTime.has(ca.environment)) {
        if (!environmentCa) {
          throw new Error(
            `peers[${peer.domain}]: the CA comes from environment "${ca.environment}", but this WireFederation was given no environmentCa resolver; use FederationStack or pass environmentCa`,
          );
        }
        applyTime.set(ca.environment, { key: ca.environment, pem: environmentCa(ca.environment) });
      }
    }
  }
  // The id is a Terraform address (local.<id>): keep it stable.
  return trustBundle(scope, 'trusted_peer_cas', known, [...applyTime.values()]);
}
