/**
 * Federation values of the `wire-ingress` release (Gateway API, Envoy Gateway). Pure: config in,
 * values out.
 *
 * Two layouts by chart version (docs/reference/chart-versions.md): the federator listener on the
 * Gateway (up to 5.34.x), or a section of a ListenerSet named by
 * `gateway.listeners.federator.sectionName` (5.35.0 and later).
 *
 * What differs from nginx-ingress-services: the federator listener verifies client certificates
 * against wire-server's `federator-ca` ConfigMap (`federator.remoteCAContents`), so there is no
 * `secrets.tlsClientCA` and no `tls.verify_depth`; the federator certificate secret is named by
 * `federator.tls.secretName` and, without cert-manager, must exist before the release; an
 * EnvoyPatchPolicy adds the federator host with a trailing dot (SRV targets are absolute names).
 */
import type { WireFederationConfig } from '../../config';
import type { FederatorCertificateSource } from '../../pki/certificate-source';
import type { ReleaseValues, Values } from './types';
import { wireIngressLayout } from '../../core/chart-facts';

/** The secret this project creates for the federator listener (private-ca and provided modes). */
export const FEDERATOR_TLS_SECRET = 'wire-federation-federator-tls';

/** The secret wire-server's federator mounts with `federator.tls.useSharedFederatorSecret`. */
const SHARED_FEDERATOR_SECRET = 'federator-certificate-secret';

export interface WireIngressValuesInput {
  /** The parsed environment config (`ingress.gateway` must be set). */
  readonly config: Pick<WireFederationConfig, 'federatorDomain' | 'ingress' | 'charts'>;
  /** Where the federator certificate comes from. */
  readonly certificate: FederatorCertificateSource;
}

/** The TLS secrets the wire-ingress listeners serve. */
export interface WireIngressSecrets {
  /** `federator.tls.secretName`. */
  readonly federator: string;
  /** The secret of the public HTTPS listener (`tls.secret.nameOverride`), or undefined when the chart's own Certificate makes it. */
  readonly public?: string;
  /** Whether cert-manager Certificates of the chart make them (`tls.useCertManager`, `federator.tls.useCertManager`). */
  readonly certManager: boolean;
}

/**
 * Which secrets wire-ingress serves. With our private CA or a provided certificate: the one TLS
 * secret this project creates, for both listeners (as nginx-ingress-services serves one
 * certificate everywhere). With cert-manager: the chart's Certificates, except while
 * nginx-ingress-services is (or was, in this migration) beside it: the same Certificates exist
 * in nginx-ingress-services under the same names, so wire-ingress serves the secrets they
 * wrote instead of making its own.
 */
export function wireIngressSecrets(input: WireIngressValuesInput): WireIngressSecrets {
  const { config, certificate } = input;
  if (certificate.kind === 'secret') return { federator: FEDERATOR_TLS_SECRET, public: FEDERATOR_TLS_SECRET, certManager: false };
  if (config.ingress.migration === undefined) return { federator: SHARED_FEDERATOR_SECRET, certManager: true };
  return { federator: SHARED_FEDERATOR_SECRET, public: nginxManagedSecretName(config), certManager: false };
}

/**
 * The secret nginx-ingress-services' public Certificate writes: `<release>-<chart or
 * nameOverride>` (63 characters at most) + `-managed-tls-certificate`.
 */
export function nginxManagedSecretName(config: Pick<WireFederationConfig, 'charts'>): string {
  const nginx = config.charts.nginxIngressServices;
  const override = nginx?.operatorValues.nameOverride;
  const name = typeof override === 'string' && override !== '' ? override : 'nginx-ingress-services';
  const fullname = `${nginx?.releaseName ?? 'nginx-ingress-services'}-${name}`.slice(0, 63).replace(/-+$/, '');
  return `${fullname}-managed-tls-certificate`;
}

/**
 * `gateway.listeners.https.hostname`: the configured one, else a wildcard over the zone of
 * `config.dns.https` in the operator's values (what the chart calls the zone), else over the
 * parent of the federator domain. It must not be a catch-all: the federator listener shares the
 * port, and two catch-all TLS listeners make Envoy fall back to HTTP/1.1.
 */
export function wireIngressHttpsHostname(config: Pick<WireFederationConfig, 'federatorDomain' | 'ingress' | 'charts'>): string {
  const configured = config.ingress.gateway?.httpsHostname;
  if (configured !== undefined) return configured;
  const dns = (config.charts.wireIngress?.operatorValues.config as Values | undefined)?.dns as Values | undefined;
  const https = typeof dns?.https === 'string' && dns.https.split('.').length > 2 ? dns.https : config.federatorDomain;
  const zone = https.split('.').slice(1);
  return `*.${(zone.length >= 2 ? zone : https.split('.')).join('.')}`;
}

/**
 * The federation values of wire-ingress: the federator listener and route, its certificate (the
 * chart's Certificate from our CA ClusterIssuer, or a secret this project makes), the Gateway
 * settings federation depends on, and the patch policy for trailing-dot federator hosts. No
 * sensitive values: private keys reach the cluster only through the Terraform-made secret.
 */
export function wireIngressValues(input: WireIngressValuesInput): ReleaseValues {
  const { config, certificate } = input;
  const gateway = config.ingress.gateway;
  if (gateway === undefined) throw new Error('wireIngressValues: ingress.gateway is required with wire-ingress');
  const secrets = wireIngressSecrets(input);
  const operatorValues = config.charts.wireIngress?.operatorValues ?? {};
  const federatorTls: Values = { useCertManager: secrets.certManager, secretName: secrets.federator };
  const values: Values = {
    federator: { enabled: true, tls: federatorTls },
    config: { dns: { federator: config.federatorDomain } },
    gateway: {
      className: gateway.className,
      listeners: { https: { hostname: wireIngressHttpsHostname(config) } },
      proxyProtocol: { enabled: gateway.proxyProtocol !== 'off', optional: gateway.proxyProtocol === 'optional' },
      patchPolicies: { enabled: true, targetGatewayClass: gateway.patchPolicyTarget === 'GatewayClass' },
    },
    tls:
      secrets.public === undefined
        ? { useCertManager: secrets.certManager }
        : { useCertManager: false, secret: { create: false, nameOverride: secrets.public } },
  };
  // The ListenerSet layout (chart-facts table) names the federator listener section; the
  // Gateway-listener layout has a fixed name and reads no such value.
  const version = config.charts.wireIngress?.version;
  if (version !== undefined && wireIngressLayout(version) === 'listener-set') {
    ((values.gateway as Values).listeners as Values).federator = { sectionName: gateway.federatorSectionName };
  }
  if (config.ingress.migration !== undefined) {
    // nginx-ingress-services renders the same Services (webapp-http, team-settings-http,
    // account-pages-http): Helm refuses a resource another release owns, so wire-ingress routes
    // these hosts only once the migration is done (docs/ingress-charts.md, "Migrating to wire-ingress").
    for (const host of ['webapp', 'teamSettings', 'accountPages']) values[host] = { enabled: false };
  }
  if (secrets.certManager && certificate.kind === 'cert-manager') {
    values.certManager = { certmasterEmail: certificate.certmasterEmail, inTestMode: certificate.inTestMode };
    Object.assign(federatorTls, {
      issuer: { name: certificate.issuerName, kind: 'ClusterIssuer', group: 'cert-manager.io' },
      duration: certificate.duration,
      renewBefore: certificate.renewBefore,
      privateKey: { rotationPolicy: certificate.rotationPolicy },
    });
    // The chart's Let's Encrypt issuer solves HTTP-01 through the Gateway's HTTP listener,
    // unless the operator's values bring their own (DNS-01) solvers.
    const certManager = operatorValues.certManager as Values | undefined;
    if (certManager?.customSolvers === undefined || certManager.customSolvers === null) {
      ((values.gateway as Values).listeners as Values).http = { enabled: true };
    }
  }
  return { values, sensitive: [] };
}
