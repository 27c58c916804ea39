import { isAbsolute, relative, resolve, sep } from 'node:path';
import { Annotations, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { WireFederationConfig } from './config';
import { FederationChecks } from './checks/federation-checks';
import { FederatorDnsRecords } from './dns/federator-dns-records';
import { BackendDomainPin } from './guard/backend-domain-pin';
import { ChartRelease } from './helm/chart-release';
import { CertManagerCertificate, SecretCertificate, nginxIngressServicesValues } from './helm/values/nginx-ingress-services';
import type { SensitiveValue } from './helm/values/types';
import { CertManagerCaIssuer } from './pki/cert-manager-ca-issuer';
import { desiredRemotes } from './remotes/desired-remotes';
import { RemoteSyncJob } from './remotes/remote-sync-job';
import { wireServerValues } from './helm/values/wire-server';
import { FederatorCertificate } from './pki/federator-certificate';
import { PrivateCa } from './pki/private-ca';
import { splitPemCertificates } from './pki/pem';
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
  /**
   * Private key of a provided certificate (`pki.mode: provided` without `keyFile`): a sensitive
   * input such as a Terraform variable token.
   * @default - required in that case
   */
  readonly providedPrivateKey?: string;
  /**
   * The operator's own secret values (`charts.<release>.sensitiveValues`), by release: Helm path
   * to a sensitive value (token). They reach Helm only through `set_sensitive`.
   * @default - none
   */
  readonly operatorSecrets?: {
    readonly wireServer?: readonly SensitiveValue[];
    readonly nginxIngressServices?: readonly SensitiveValue[];
  };
  /**
   * Annotate the warnings of the config and of the federation rules on this construct. Turn it
   * off when the caller reports the findings of the validation pipeline itself (as the
   * repository's app does), so each warning is reported once.
   * @default true
   */
  readonly annotateWarnings?: boolean;
}

/** Construct id of CA generation `g`: generation 1 keeps the original id (a state address). */
export function caConstructId(generation: number): string {
  return generation === 1 ? 'Ca' : `Ca${generation}`;
}

/**
 * Federation for one Wire backend, from one config: the SRV and A/AAAA records, the federator
 * certificate (private CA, cert-manager with a private CA issuer, or provided), the trust bundle
 * of the peers' CAs, and the wire-server and nginx-ingress-services releases with every
 * federation value set consistently. Federation rules run as validations on synth.
 *
 * Construct ids below are Terraform state addresses: never rename them.
 */
export class WireFederation extends Construct {
  public readonly config: WireFederationConfig;
  public readonly domainPin: BackendDomainPin;
  public readonly dns: FederatorDnsRecords;
  /** Our CA generations (private-ca and cert-manager modes), by generation. */
  public readonly cas: ReadonlyMap<number, PrivateCa>;
  /** The federator certificate made by Terraform (private-ca mode only). */
  public readonly certificate?: FederatorCertificate;
  /** The cert-manager issuer (cert-manager mode only). */
  public readonly issuer?: CertManagerCaIssuer;
  public readonly wireServer: ChartRelease;
  public readonly nginxIngressServices: ChartRelease;
  /** Writes the peers into brig's database (`remotes.mode: api` only). */
  public readonly remoteSync?: RemoteSyncJob;
  /** PEM bundle of our CA and every peer CA, given to both releases (a Terraform expression). */
  public readonly trustBundle: string;
  /** What peers must trust: our CA generations and previous CAs (PEM bundle, maybe a token). */
  public readonly publishedCaBundle: string;

  constructor(scope: Construct, id: string, props: WireFederationProps) {
    super(scope, id);
    const { config } = props;
    this.config = config;
    const pki = config.pki;

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

    const cas = new Map<number, PrivateCa>();
    let certificate: SecretCertificate | CertManagerCertificate;
    let ownCaPem: string;
    if (pki.mode === 'provided') {
      const key = pki.keyFile !== undefined ? keyFileExpression(pki.keyFile) : props.providedPrivateKey;
      if (key === undefined) throw new Error('WireFederation: pki.mode provided without keyFile needs providedPrivateKey (a sensitive input)');
      certificate = { kind: 'secret', certificatePem: pki.certificateChainPem, privateKeyPem: key };
      ownCaPem = pki.caPem;
      this.publishedCaBundle = trustBundle(this, 'published_cas', [pki.caPem, ...pki.previousCaCertificates]);
    } else {
      const organization = pki.organization ?? config.backendDomain;
      for (const generation of [...pki.caGenerations].sort((a, b) => a - b)) {
        cas.set(
          generation,
          new PrivateCa(this, caConstructId(generation), {
            commonName: `${config.backendDomain} federation CA${generation === 1 ? '' : ` ${generation}`}`,
            organization,
            validityHours: pki.caValidityHours,
          }),
        );
      }
      const signing = cas.get(pki.signingCaGeneration)!;
      ownCaPem = signing.certificatePem;
      this.publishedCaBundle = trustBundle(
        this,
        'published_cas',
        pki.previousCaCertificates,
        [...cas.entries()].map(([g, ca]) => ({ key: String(g).padStart(2, '0'), pem: ca.certificatePem })),
      );
      if (pki.mode === 'private-ca') {
        this.certificate = new FederatorCertificate(this, 'FederatorCertificate', {
          ca: signing,
          federatorDomain: config.federatorDomain,
          extraSans: pki.extraSans,
          organization,
          validityHours: pki.certificateValidityHours,
          earlyRenewalHours: pki.earlyRenewalHours,
        });
        certificate = { kind: 'secret', certificatePem: this.certificate.certificatePem, privateKeyPem: this.certificate.privateKeyPem };
      } else {
        this.issuer = new CertManagerCaIssuer(this, 'Issuer', {
          ca: signing,
          issuerName: pki.issuerName,
          namespace: pki.certManagerNamespace,
          installVersion: pki.installCertManagerVersion,
        });
        certificate = {
          kind: 'cert-manager',
          issuerName: this.issuer.issuerName,
          certmasterEmail: pki.certmasterEmail,
          inTestMode: pki.inTestMode,
          duration: pki.duration,
          renewBefore: pki.renewBefore,
          rotationPolicy: pki.rotationPolicy,
        };
      }
    }
    this.cas = cas;

    // Our own CA is part of the bundle: it is never empty (the chart refuses an empty
    // tlsClientCA, e.g. on the first deploy of two environments that trust each other's state
    // output), and it only admits our own federator.
    this.trustBundle = buildTrustBundle(this, config, ownCaPem, props.environmentCa);

    const namespace = config.kubernetes.namespace;
    const nginx = nginxIngressServicesValues({ config, certificate, trustBundle: this.trustBundle });
    this.nginxIngressServices = new ChartRelease(this, 'NginxIngressServices', {
      releaseName: config.charts.nginxIngressServices.releaseName,
      chart: 'nginx-ingress-services',
      repository: config.charts.repository,
      version: config.charts.nginxIngressServices.version,
      namespace,
      operatorValues: config.charts.nginxIngressServices.operatorValues,
      federationValues: nginx.values,
      sensitiveValues: [...nginx.sensitive, ...(props.operatorSecrets?.nginxIngressServices ?? [])],
      dependsOn: this.issuer ? [this.issuer.issuer] : undefined,
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
      sensitiveValues: [...wire.sensitive, ...(props.operatorSecrets?.wireServer ?? [])],
      // The federator mounts federator-certificate-secret, which nginx-ingress-services creates.
      dependsOn: [this.nginxIngressServices.release],
    });

    if (config.remotes.mode === 'api') {
      this.remoteSync = new RemoteSyncJob(this, 'RemoteSync', {
        remotes: desiredRemotes(config),
        namespace,
        brigUrl: config.remotes.brigUrl,
        image: config.remotes.image,
        dependsOn: [this.wireServer.release],
      });
    }

    const annotate = props.annotateWarnings ?? true;
    if (annotate) for (const w of config.warnings) Annotations.of(this).addWarning(`[${w.rule ?? 'config'}] ${w.path}: ${w.message}`);
    this.node.addValidation(new FederationChecks(this, config, { annotateWarnings: annotate }));
  }
}

/**
 * Terraform reads a provided key file at apply time: its content never enters the synthesized
 * JSON. Paths inside the project are written relative to it (Terraform runs in
 * cdktf.out/stacks/<env>/), so nothing machine-specific is synthesized.
 */
function keyFileExpression(keyFile: string): string {
  const abs = resolve(keyFile);
  const rel = relative(process.cwd(), abs);
  const path = rel.startsWith('..') || isAbsolute(rel) ? abs : `\${path.root}/../../../${rel.split(sep).join('/')}`;
  return `\${file("${path}")}`;
}

/** The one trust bundle of every peer's CAs, for `remoteCAContents` and `tlsClientCA` alike. */
function buildTrustBundle(scope: Construct, config: WireFederationConfig, ownCaPem: string, environmentCa?: (environment: string) => string): string {
  const known: string[] = [];
  const applyTime = new Map<string, ApplyTimeCa>();
  if (Token.isUnresolved(ownCaPem)) applyTime.set('', { key: '', pem: ownCaPem });
  else known.push(...splitPemCertificates(ownCaPem));
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
