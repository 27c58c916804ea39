import { Annotations, ITerraformDependable, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import type { ReleaseConfig, WireFederationConfig } from './config';
import { FederationChecks } from './checks/federation-checks';
import { FederationDnsRecords, addFederatorDnsRecords } from './dns/provider';
import { BackendDomainPin, DOMAIN_PIN_ID } from './guard/backend-domain-pin';
import { missingProviders } from './providers/federation-providers';
import { ChartRelease } from './helm/chart-release';
import type { SensitiveValue } from './helm/values/types';
import { wireServerValues } from './helm/values/wire-server';
import type { IngressChart, IngressReleaseKey } from './ingress/ingress-chart';
import { ingressChart } from './ingress/registry';
import { nginxIngressServices } from './ingress/nginx-ingress-services';
import { EnvoyGateway } from './ingress/envoy-gateway';
import { FederatorTlsSecret } from './ingress/federator-tls-secret';
import type { CertManagerCaIssuer } from './pki/cert-manager-ca-issuer';
import type { FederatorCertificate } from './pki/federator-certificate';
import { addFederatorPki, peerTrustBundle } from './pki/federator-pki';
import type { PrivateCa } from './pki/private-ca';
import { desiredRemotes } from './remotes/desired-remotes';
import { RemoteSyncJob } from './remotes/remote-sync-job';
import { FederationMonitoring } from './monitoring/federation-monitoring';
import { AdoptableResources, importExisting } from './guard/import-existing';
import { SECRET_VALUES_VARIABLE, type SecretReleaseKey, secretValuesVariable } from './helm/secret-values-variable';
import { FederatedCalling } from './calling/federated-calling';

export { caConstructId } from './pki/federator-pki';

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
   * The operator's own secret values (`charts.<release>.sensitiveValues`, which include the
   * secret paths of the adoption record), by release: Helm path to a sensitive value (token).
   * They reach Helm only through `set_sensitive`. A release left out here whose config lists
   * secret paths gets the sensitive map variable `<release>_secret_values` (e.g.
   * `wire_server_secret_values`, `TF_VAR_wire_server_secret_values='{"<path>":"…"}'`), declared
   * by this construct; a release given here must give a value for every listed path.
   * @default - the variables above, for the releases whose config lists secret paths
   */
  readonly operatorSecrets?: { readonly [key in SecretReleaseKey]?: readonly SensitiveValue[] };
  /**
   * The TURN secret of federated calling (`calling.enabled`): coturn's `secrets.zrestSecrets`
   * and sftd's `multiSFT.secret`. It must equal brig's `secrets.turn.secret`: a sensitive input.
   * @default - the value of `brig.secrets.turn.secret` among the wire-server secrets when listed,
   * else the sensitive variable `calling_turn_secret` declared by this construct
   */
  readonly turnSecret?: string;
  /**
   * Private key of a brought coturn certificate (`pki.mode: provided`, `calling.coturn.certificate`
   * without `keyFile`): a sensitive input.
   * @default - the sensitive variable `coturn_dtls_private_key` declared by this construct
   */
  readonly coturnPrivateKey?: string;
  /**
   * Annotate the warnings of the config and of the federation rules on this construct. Turn it
   * off when the caller reports the findings of the validation pipeline itself (as the
   * repository's app does), so each warning is reported once.
   * @default true
   */
  readonly annotateWarnings?: boolean;
}

/**
 * Federation for one Wire backend, from one config: the SRV and A/AAAA records, the PKI of the
 * configured certificate mode, the trust bundle of the peers' CAs, the ingress release that
 * terminates federator mutual TLS (see `lib/ingress`) and the wire-server release, with every
 * federation value set consistently. Federation rules run as validations on synth.
 *
 * Construct ids below are Terraform state addresses: never rename them.
 */
export class WireFederation extends Construct {
  public readonly config: WireFederationConfig;
  public readonly domainPin: BackendDomainPin;
  /** The SRV and A/AAAA records, made by the construct of `config.dns.provider` (see `lib/dns`). */
  public readonly dns: FederationDnsRecords;
  /** Our CA generations (private-ca and cert-manager modes), by generation. */
  public readonly cas: ReadonlyMap<number, PrivateCa>;
  /** The federator certificate made by Terraform (private-ca mode only). */
  public readonly certificate?: FederatorCertificate;
  /** The cert-manager issuer (cert-manager mode only). */
  public readonly issuer?: CertManagerCaIssuer;
  /** The chart that terminates federator mutual TLS. */
  public readonly ingressChart: IngressChart;
  /** Its release. */
  public readonly ingress: ChartRelease;
  /** The nginx-ingress-services release: the ingress chart, or the old release side by side with wire-ingress. */
  public readonly nginxIngressServices?: ChartRelease;
  /** Envoy Gateway and its GatewayClass, when this construct installs them (wire-ingress). */
  public readonly envoyGateway?: EnvoyGateway;
  /** The federator TLS secret this construct creates (wire-ingress without cert-manager). */
  public readonly federatorTlsSecret?: FederatorTlsSecret;
  public readonly wireServer: ChartRelease;
  /** Writes the peers into brig's database (`remotes.mode: api` only). */
  public readonly remoteSync?: RemoteSyncJob;
  /** The federation exporter, its ServiceMonitor and alert rules (`monitoring.enabled` only). */
  public readonly monitoring?: FederationMonitoring;
  /** coturn and sftd for federated calls (`calling.enabled` only). */
  public readonly calling?: FederatedCalling;
  /** PEM bundle of our CA and every peer CA, given to both releases (a Terraform expression). */
  public readonly trustBundle: string;
  /** What peers must trust: our CA generations and previous CAs (PEM bundle, maybe a token). */
  public readonly publishedCaBundle: string;

  constructor(scope: Construct, id: string, props: WireFederationProps) {
    super(scope, id);
    const { config } = props;
    this.config = config;

    // terraform plan fails if the backend domain ever changes.
    this.domainPin = new BackendDomainPin(this, DOMAIN_PIN_ID, { backendDomain: config.backendDomain });

    this.dns = addFederatorDnsRecords(this, 'Dns', config);

    const pki = addFederatorPki(this, { config, providedPrivateKey: props.providedPrivateKey });
    this.cas = pki.cas;
    this.certificate = pki.certificate;
    this.issuer = pki.issuer;
    this.publishedCaBundle = pki.publishedCaBundle;
    this.trustBundle = peerTrustBundle(this, config, pki.ownCaPem, props.environmentCa);

    // The operator's secrets of each release: given by the caller, or a sensitive input declared here.
    const operatorSecrets = (key: SecretReleaseKey): readonly SensitiveValue[] => {
      const paths = (config.charts as unknown as Record<string, ReleaseConfig | undefined>)[key]?.sensitiveValues ?? [];
      const given = props.operatorSecrets?.[key];
      if (given === undefined) return secretValuesVariable(this, SECRET_VALUES_VARIABLE[key], paths);
      const missing = paths.filter((p) => !given.some((g) => g.path === p));
      if (missing.length > 0) {
        this.node.addValidation({
          validate: () => [
            `[operator-secrets] charts.${key}.sensitiveValues lists ${missing.join(', ')}${config.adoption ? ' (with the secret paths of the adoption record)' : ''}, but operatorSecrets.${key} gives no value for ${missing.length === 1 ? 'it' : 'them'}: ` +
              `the release would run without ${missing.length === 1 ? 'that secret' : 'those secrets'}. Give every listed path, or leave operatorSecrets.${key} out so that ${this.node.path} declares the sensitive variable ${SECRET_VALUES_VARIABLE[key]}`,
          ],
        });
      }
      return given;
    };

    const namespace = config.kubernetes.namespace;
    this.ingressChart = ingressChart(config.ingress.chart);
    const ingressRelease = (chart: IngressChart, dependsOn: ITerraformDependable[]): ChartRelease => {
      const settings = releaseConfig(config, chart.releaseKey);
      const values = chart.values({ config, certificate: pki.source, trustBundle: this.trustBundle });
      return new ChartRelease(this, chart.constructId, {
        releaseName: settings.releaseName,
        chart: chart.chart,
        repository: config.charts.repository,
        version: settings.version,
        namespace,
        operatorValues: settings.operatorValues,
        federationValues: values.values,
        sensitiveValues: [...values.sensitive, ...operatorSecrets(chart.releaseKey)],
        dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
      });
    };
    const issuerReady: ITerraformDependable[] = this.issuer ? [this.issuer.issuer] : [];

    // The old release of a migration keeps its values and its construct id (its state address).
    const migration = config.ingress.migration;
    if (this.ingressChart.chart === 'nginx-ingress-services' || migration?.phase === 'side-by-side') {
      this.nginxIngressServices = ingressRelease(nginxIngressServices, issuerReady);
    }
    if (this.ingressChart.chart === 'nginx-ingress-services') {
      this.ingress = this.nginxIngressServices!;
    } else {
      const gateway = config.ingress.gateway!;
      if (gateway.installEnvoyGatewayVersion !== undefined || gateway.createGatewayClass) {
        this.envoyGateway = new EnvoyGateway(this, 'EnvoyGateway', {
          installVersion: gateway.installEnvoyGatewayVersion,
          namespace: gateway.envoyGatewayNamespace,
          gatewayClassName: gateway.createGatewayClass ? gateway.className : undefined,
        });
      }
      const secret = this.ingressChart.federatorSecret(pki.source.kind);
      if (secret.createdBy === 'terraform' && pki.source.kind === 'secret') {
        this.federatorTlsSecret = new FederatorTlsSecret(this, 'FederatorTlsSecret', {
          name: secret.name,
          namespace,
          certificatePem: pki.source.certificatePem,
          privateKeyPem: pki.source.privateKeyPem,
        });
      }
      this.ingress = ingressRelease(this.ingressChart, [
        ...issuerReady,
        ...(this.envoyGateway?.ready ?? []),
        ...(this.federatorTlsSecret ? [this.federatorTlsSecret.secret] : []),
        // Side by side with cert-manager, wire-ingress serves the secrets nginx-ingress-services' Certificates write.
        ...(this.nginxIngressServices ? [this.nginxIngressServices.release] : []),
      ]);
    }
    const client = this.ingressChart.federatorClientCertificate(pki.source);

    const wire = wireServerValues({
      config,
      trustBundle: this.trustBundle,
      federatorClientCertificate: client === 'shared' ? undefined : client,
      rabbitmqUsername: props.rabbitmqUsername,
      rabbitmqPassword: props.rabbitmqPassword,
    });
    const wireSecrets = operatorSecrets('wireServer');
    this.wireServer = new ChartRelease(this, 'WireServer', {
      releaseName: config.charts.wireServer.releaseName,
      chart: 'wire-server',
      repository: config.charts.repository,
      version: config.charts.wireServer.version,
      namespace,
      operatorValues: config.charts.wireServer.operatorValues,
      federationValues: wire.values,
      sensitiveValues: [...wire.sensitive, ...wireSecrets],
      // The federator mounts the certificate secret that the ingress release makes (with
      // wire-ingress, the ingress reads the federator-ca ConfigMap of this release: Envoy Gateway
      // picks it up once it exists).
      dependsOn: [
        ...(this.nginxIngressServices && this.nginxIngressServices !== this.ingress ? [this.nginxIngressServices.release] : []),
        this.ingress.release,
      ],
    });

    if (config.calling.enabled) {
      // One TURN secret for brig, coturn and sftd: brig's own when the wire-server secrets list it.
      const turnSecret =
        props.turnSecret ??
        wireSecrets.find((s) => s.path === 'brig.secrets.turn.secret')?.value ??
        sensitiveVariable(
          this,
          'calling_turn_secret',
          "TURN secret of coturn (secrets.zrestSecrets) and sftd (multiSFT.secret): the same as brig's secrets.turn.secret (TF_VAR_calling_turn_secret).",
        );
      const coturnKey =
        config.pki.mode === 'provided' && config.calling.coturn?.certificate?.keyFile === undefined
          ? (props.coturnPrivateKey ??
            sensitiveVariable(
              this,
              'coturn_dtls_private_key',
              'PEM private key of the brought coturn DTLS certificate (TF_VAR_coturn_dtls_private_key="$(cat key.pem)").',
            ))
          : undefined;
      this.calling = new FederatedCalling(this, 'Calling', {
        config,
        caBundle: this.trustBundle,
        turnSecret,
        signingCa: config.pki.mode === 'private-ca' ? this.cas.get(config.pki.signingCaGeneration) : undefined,
        issuer: this.issuer ? { issuerName: this.issuer.issuerName, ready: this.issuer.issuer } : undefined,
        providedPrivateKey: coturnKey,
        operatorSecrets: { coturn: operatorSecrets('coturn'), sftd: operatorSecrets('sftd') },
      });
    }

    if (config.remotes.mode === 'api') {
      this.remoteSync = new RemoteSyncJob(this, 'RemoteSync', {
        remotes: desiredRemotes(config),
        namespace,
        brigUrl: config.remotes.brigUrl,
        keepConfigList: config.remotes.keepConfigList,
        image: config.remotes.image,
        dependsOn: [this.wireServer.release],
      });
    }

    if (config.monitoring.enabled) {
      // The exporter presents the certificate the ingress serves: the secret of the PKI mode.
      const secret = this.ingressChart.federatorSecret(pki.source.kind);
      this.monitoring = new FederationMonitoring(this, 'Monitoring', {
        config,
        caBundle: this.publishedCaBundle,
        trustBundle: this.trustBundle,
        clientCertificateSecret: secret.name,
        dependsOn: [this.ingress.release, ...(this.federatorTlsSecret ? [this.federatorTlsSecret.secret] : [])],
      });
    }

    // An adopted backend (config.adoption, read from the adoptionFile): its running releases (Wire's,
    // and cert-manager, the issuer, Envoy Gateway, the GatewayClass) and DNS records are imported,
    // not created, whichever stack this construct is in.
    if (config.adoption) importExisting(new Construct(this, 'Adoption'), adoptableResources(this), config.adoption.imports);

    const annotate = props.annotateWarnings ?? true;
    if (annotate) for (const w of config.warnings) Annotations.of(this).addWarning(`[${w.rule ?? 'config'}] ${w.path}: ${w.message}`);
    this.node.addValidation(new FederationChecks(this, config, { annotateWarnings: annotate }));
    // Before cdktf's own "Found resources without a matching provider construct": say what to add.
    this.node.addValidation({
      validate: () => {
        const missing = missingProviders(this);
        if (missing.length === 0) return [];
        return [
          `[providers] stack ${TerraformStack.of(this).node.id} declares no provider for ${missing.join(', ')}, which the resources of ${this.node.path} need: ` +
            "add `new FederationProviders(this, 'Providers', { config })` (wire-federation-cdktf) to the stack, or declare those providers yourself (docs/own-stack.md)",
        ];
      },
    });
  }
}

/** A sensitive string variable named `name` (also its Terraform name). */
function sensitiveVariable(scope: Construct, name: string, description: string): string {
  const v = new TerraformVariable(scope, name, { type: 'string', sensitive: true, description });
  v.overrideLogicalId(name);
  return v.stringValue;
}

/** The release settings of `key` (`charts.<key>`); the config schema makes sure they exist. */
function releaseConfig(config: WireFederationConfig, key: 'wireServer' | IngressReleaseKey): ReleaseConfig {
  const release = (config.charts as unknown as Record<string, ReleaseConfig | undefined>)[key];
  if (release === undefined) throw new Error(`WireFederation: charts.${key} is required for the ingress chart in use`);
  return release;
}

/** The resources of a {@link WireFederation} that adoption imports into. */
export function adoptableResources(federation: WireFederation): AdoptableResources {
  return {
    releases: {
      wireServer: federation.wireServer.release,
      ...(federation.nginxIngressServices ? { nginxIngressServices: federation.nginxIngressServices.release } : {}),
      ...(federation.ingressChart.chart === 'wire-ingress' ? { wireIngress: federation.ingress.release } : {}),
      ...(federation.calling ? { coturn: federation.calling.coturn.release, sftd: federation.calling.sftd.release } : {}),
    },
    dnsRecords: { srv: federation.dns.srvRecord, a: federation.dns.aRecord, aaaa: federation.dns.aaaaRecord },
    supportReleases: {
      certManager: federation.issuer?.certManager,
      issuer: federation.issuer?.issuer,
      envoyGateway: federation.envoyGateway?.controller,
      gatewayClass: federation.envoyGateway?.gatewayClass,
    },
  };
}
