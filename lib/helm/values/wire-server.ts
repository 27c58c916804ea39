/**
 * Federation values of the `wire-server` release. Pure: config in, values out.
 */
import type { WireFederationConfig } from '../../config';
import type { ReleaseValues, SensitiveValue, Values } from './types';
import { compareStrings } from '../../order';

/** Services that need RabbitMQ credentials (galley only once federation is on, which it is here). */
export const RABBITMQ_SERVICES = ['background-worker', 'brig', 'cannon', 'galley', 'gundeck'] as const;

export interface WireServerValuesInput {
  /** The parsed environment config. */
  readonly config: Pick<WireFederationConfig, 'backendDomain' | 'federation' | 'peers' | 'remotes'>;
  /** PEM bundle of the peers' CAs (`federator.remoteCAContents`); empty string when none. */
  readonly trustBundle: string;
  /** RabbitMQ user name (sensitive input). */
  readonly rabbitmqUsername: string;
  /** RabbitMQ password (sensitive input). */
  readonly rabbitmqPassword: string;
}

/**
 * The federation values of wire-server: the backend domain in all four places, the federator
 * subchart and the four `enableFederation` flags, brig's strategy and remote list, galley's
 * protocols, the federator's client certificate (shared from nginx-ingress-services) and the
 * trust bundle. RabbitMQ credentials only as sensitive entries.
 */
export function wireServerValues(input: WireServerValuesInput): ReleaseValues {
  const { backendDomain, federation, peers, remotes } = input.config;
  const galleySettings: Values = { federationDomain: backendDomain };
  if (federation.protocols !== undefined) galleySettings.federationProtocols = [...federation.protocols];

  const federator: Values = {
    // nginx-ingress-services copies the federator certificate into federator-certificate-secret.
    tls: { useSharedFederatorSecret: true },
    config: { optSettings: { useSystemCAStore: federation.useSystemCaStore } },
  };
  if (input.trustBundle !== '') federator.remoteCAContents = input.trustBundle;

  const values: Values = {
    tags: { federation: true },
    brig: {
      config: {
        enableFederation: true,
        optSettings: {
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
    'background-worker': { config: { enableFederation: true, federationDomain: backendDomain } },
    federator,
  };

  const sensitive: SensitiveValue[] = RABBITMQ_SERVICES.flatMap((svc) => [
    { path: `${svc}.secrets.rabbitmq.username`, value: input.rabbitmqUsername },
    { path: `${svc}.secrets.rabbitmq.password`, value: input.rabbitmqPassword },
  ]);
  return { values, sensitive };
}
