/**
 * The secret inputs of one environment's {@link WireFederation}, built in one place: the RabbitMQ
 * credentials, the provided federator key (`pki.mode: provided` without `keyFile`), and the
 * operator's secret Helm values of each release. Where they come from is the caller's: the
 * stack declares sensitive Terraform variables (`stacks/federation-stack.ts`), the validation
 * pipeline's scratch tree puts stand-ins for them (`lib/validation/pipeline.ts`).
 */
import type { WireFederationConfig } from './config';
import type { WireFederationProps } from './federation';
import { SECRET_VALUES_VARIABLE } from './helm/secret-values-variable';
import type { SensitiveValue } from './helm/values/types';

/** How a stack gets each secret input: the Terraform variable `name` as a string, or a map read per path. */
export interface SecretInputSource {
  /** A sensitive string variable `name` (`TF_VAR_<name>`). */
  string(name: string, description: string): string;
  /** A sensitive map variable `name` (Helm path → value), one value per path; nothing for no paths. */
  map(name: string, paths: readonly string[]): SensitiveValue[];
}

/** The secret inputs of a {@link WireFederation}. */
export type FederationSecretInputs = Pick<WireFederationProps, 'rabbitmqUsername' | 'rabbitmqPassword' | 'providedPrivateKey' | 'operatorSecrets'>;

/** The secret inputs `config` needs, each from `source` (variable names are Terraform addresses: never rename them). */
export function federationSecretInputs(config: WireFederationConfig, source: SecretInputSource): FederationSecretInputs {
  const rabbitmqUsername = source.string(
    'rabbitmq_username',
    'RabbitMQ user of brig, galley, cannon, gundeck and background-worker (TF_VAR_rabbitmq_username).',
  );
  const rabbitmqPassword = source.string('rabbitmq_password', 'RabbitMQ password (TF_VAR_rabbitmq_password).');
  const providedPrivateKey =
    config.pki.mode === 'provided' && config.pki.keyFile === undefined
      ? source.string('federator_private_key', 'PEM private key of the provided federator certificate (TF_VAR_federator_private_key="$(cat key.pem)").')
      : undefined;
  return {
    rabbitmqUsername,
    rabbitmqPassword,
    providedPrivateKey,
    operatorSecrets: {
      wireServer: source.map(SECRET_VALUES_VARIABLE.wireServer, config.charts.wireServer.sensitiveValues),
      nginxIngressServices: source.map(SECRET_VALUES_VARIABLE.nginxIngressServices, config.charts.nginxIngressServices?.sensitiveValues ?? []),
      wireIngress: source.map(SECRET_VALUES_VARIABLE.wireIngress, config.charts.wireIngress?.sensitiveValues ?? []),
    },
  };
}
