/**
 * Federation values of the `wire-server` release. Pure: config in, values out.
 */
import type { WireFederationConfig } from '../../config';
import type { ReleaseValues, SensitiveValue, Values } from './types';
import { compareStrings } from '../../order';
import type { SecretCertificate } from '../../pki/certificate-source';
import { backendDomainPlaces } from '../../core/chart-facts';

/** Services that need RabbitMQ credentials (galley only once federation is on, which it is here). */
export const RABBITMQ_SERVICES = ['background-worker', 'brig', 'cannon', 'galley', 'gundeck'] as const;

export interface WireServerValuesInput {
  /** The parsed environment config. */
  readonly config: Pick<WireFederationConfig, 'backendDomain' | 'federation' | 'peers' | 'remotes'> & {
    readonly charts?: { readonly wireServer?: { readonly version: string } };
    /** With `calling.enabled`, brig announces every SFT server to clients (federated conference calls). @default - calling off */
    readonly calling?: { readonly enabled: boolean };
  };
  /** PEM bundle of the peers' CAs (`federator.remoteCAContents`); empty string when none. */
  readonly trustBundle: string;
  /**
   * The federator's client certificate, when it does not share the ingress's
   * `federator-certificate-secret` (wire-ingress without cert-manager): the certificate goes into
   * `federator.clientCertificateContents`, the key only into `set_sensitive`.
   * @default - shared with the ingress (`federator.tls.useSharedFederatorSecret`)
   */
  readonly federatorClientCertificate?: SecretCertificate;
  /**
   * The wire-server chart version the values are for: `background-worker.config.federationDomain`
   * is written only for versions that read it (the chart-facts table: 5.24.0 – 5.29.x).
   * @default - `config.charts.wireServer.version`, else a current chart (not written)
   */
  readonly chartVersion?: string;
  /** RabbitMQ user name (sensitive input). */
  readonly rabbitmqUsername: string;
  /** RabbitMQ password (sensitive input). */
  readonly rabbitmqPassword: string;
}

/**
 * The federation values of wire-server: the backend domain in all the places the chart version
 * reads it (four before 5.30.0, three from then on), the federator
 * subchart and the four `enableFederation` flags, brig's strategy and remote list, galley's
 * protocols, the federator's client certificate (shared from nginx-ingress-services) and the
 * trust bundle. RabbitMQ credentials only as sensitive entries.
 */
export function wireServerValues(input: WireServerValuesInput): ReleaseValues {
  const { backendDomain, federation, peers, remotes } = input.config;
  const chartVersion = input.chartVersion ?? input.config.charts?.wireServer?.version;
  const backgroundWorker: Values = { enableFederation: true };
  // background-worker reads its own copy only in some versions (the chart-facts table).
  if (chartVersion !== undefined && backendDomainPlaces(chartVersion).some((p) => p.service === 'background-worker'))
    backgroundWorker.federationDomain = backendDomain;
  const galleySettings: Values = { federationDomain: backendDomain };
  if (federation.protocols !== undefined) galleySettings.federationProtocols = [...federation.protocols];

  const client = input.federatorClientCertificate;
  const federator: Values = {
    // The ingress makes federator-certificate-secret (nginx-ingress-services always, wire-ingress
    // with cert-manager); otherwise the federator chart makes federator-secret from these values.
    tls: { useSharedFederatorSecret: client === undefined },
    config: { optSettings: { useSystemCAStore: federation.useSystemCaStore } },
  };
  if (client !== undefined) federator.clientCertificateContents = client.certificatePem;
  if (input.trustBundle !== '') federator.remoteCAContents = input.trustBundle;

  const calling = input.config.calling?.enabled === true;
  const values: Values = {
    tags: { federation: true },
    brig: {
      config: {
        enableFederation: true,
        // Federated calls: is_federating in /calls/config/v2, and sft_servers_all ("required to
        // enable calls between federated instances", Wire's federation guide).
        ...(calling ? { multiSFT: { enabled: true } } : {}),
        optSettings: {
          ...(calling ? { setSftListAllServers: 'enabled' } : {}),
          setFederationDomain: backendDomain,
          setFederationStrategy: federation.strategy,
          // Deprecated list: with remotes.mode api the sync Job writes brig's database instead
          // (domains in this list cannot be changed through the API).
          ...(remotes.mode === 'config' || remotes.keepConfigList
            ? {
                setFederationDomainConfigs: [...peers]
                  .sort((a, b) => compareStrings(a.domain, b.domain))
                  .map((p) => ({ domain: p.domain, search_policy: p.searchPolicy })),
              }
            : {}),
        },
      },
    },
    galley: { config: { enableFederation: true, settings: galleySettings } },
    cargohold: { config: { enableFederation: true, settings: { federationDomain: backendDomain } } },
    'background-worker': { config: backgroundWorker },
    federator,
  };

  const sensitive: SensitiveValue[] = client === undefined ? [] : [{ path: 'federator.clientPrivateKeyContents', value: client.privateKeyPem }];
  sensitive.push(
    ...RABBITMQ_SERVICES.flatMap((svc) => [
      { path: `${svc}.secrets.rabbitmq.username`, value: input.rabbitmqUsername },
      { path: `${svc}.secrets.rabbitmq.password`, value: input.rabbitmqPassword },
    ]),
  );
  return { values, sensitive };
}
