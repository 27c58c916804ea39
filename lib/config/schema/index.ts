/**
 * The schema of one environment's federation config.
 *
 * The same schema validates TypeScript configs (an app's environment objects) and YAML/JSON files
 * (`wire-federation validate`), so every rule lives here once. Messages say what is allowed; the
 * parser (`parse.ts`) adds the field path and the value received.
 */
import { z } from 'zod';
import { backendSchema } from './backend';
import { chartsSchema } from './charts';
import { dnsSchema } from './dns';
import { federationSchema } from './federation';
import { domain, K8S_NAME, nonEmpty } from './fields';
import { ingressSchema } from './ingress';
import { kubernetesSchema } from './kubernetes';
import { monitoringSchema } from './monitoring';
import { peerSchema, searchPolicySchema, teamSchema } from './peers';
import { pkiSchema } from './pki';
import { remotesSchema } from './remotes';
import { callingSchema } from './calling';

// What lib/config/schema.ts exported before it became this folder (one file per section).
export { WIRE_CHART_REPOSITORY } from './charts';
export { domainField, domainProblem, stripTrailingDot } from './fields';
export { caSourceSchema } from './ca-source';
export { ALLOWED_TEAMS_DESCRIPTION, peerSchema, searchPolicySchema, teamSchema } from './peers';
export { DNS_PROVIDERS, TSIG_ALGORITHMS } from './dns';
export * from './calling';

export const wireFederationConfigSchema = z.strictObject({
  /** Environment name: the cdktf stack name (`cdktf deploy <environment>`). */
  environment: z
    .string({ error: 'must be a string: the environment name' })
    .regex(K8S_NAME, { error: 'must be lowercase letters, digits and "-" (it names the cdktf stack)' }),
  /** The backend ("federation") domain: part of every user id, never to change. */
  backendDomain: domain('backend domain'),
  /** The federator's infrastructure domain (SRV target, ingress host). */
  federatorDomain: domain('federator domain'),
  /** The federator ingress: its addresses and the chart that terminates mutual TLS. */
  ingress: ingressSchema,
  /** The federation DNS records and where they live (`provider`); credentials never go here. */
  dns: dnsSchema,
  /** Where the Helm releases go. */
  kubernetes: kubernetesSchema,
  /** The pinned Wire charts and the operator's own values. */
  charts: chartsSchema,
  /** Federation settings of wire-server and the ingress. */
  federation: federationSchema,
  /**
   * Teams of THIS backend (name and id). Peers of this repository that restrict us to teams
   * (`peers[].allowedTeams` in their config) are checked against this list: an id we do not
   * declare is an error. Informational otherwise: nothing is created.
   * @default - none declared
   */
  teams: z
    .array(teamSchema, { error: 'must be a list of {name, id}' })
    .default([])
    .describe('Teams of this backend ({name, id}); peers of this repository may allow only these ids in their peers[].allowedTeams for us'),
  /** The backends this one federates with. */
  peers: z.array(peerSchema, { error: 'must be a list of peers' }).default([]),
  /** How brig learns the peers: its config list, or its internal API (needed for team restrictions). */
  remotes: remotesSchema,
  /**
   * How the federator certificate (server AND client usage) is made: `private-ca`,
   * `cert-manager` (recommended for public backends) or `provided`. `letsencrypt-only` is
   * refused: public CAs stopped issuing client-auth certificates in 2026.
   * @default - `{mode: private-ca}`
   */
  pki: pkiSchema,
  /**
   * Continuous verification: the federation exporter, its ServiceMonitor and alert rules
   * (docs/monitoring.md). Off by default.
   * @default - not deployed
   */
  monitoring: monitoringSchema,
  /**
   * Federated calls: coturn federating over DTLS with the peers, sftd with multiSFT, brig's SFT
   * settings (docs/federate-calls.md). Off by default.
   * @default - calls are not federated
   */
  calling: callingSchema,
  /** Where Terraform keeps the state of this environment. @default - `{type: local}` */
  backend: backendSchema,
  /**
   * JSON file written by `wire-federation adopt`: the running releases and DNS records to import
   * instead of create, the running values (without secrets) and the secret paths.
   * @default - nothing is imported: every resource is created
   */
  adoptionFile: nonEmpty('path of the adoption record written by wire-federation adopt').optional(),
  /**
   * States that this environment is a NEW backend: no wire-server or ingress release runs in its
   * namespace and no federator DNS record exists, so the stacks install and create everything.
   * Answer this once per environment, in review: `greenfield: true`, or adopt the running
   * backend (`wire-federation adopt`, which writes the `adoptionFile`). With neither, validate
   * and synth warn (adoption-undecided); `wire-federation preflight` checks the answer against
   * the cluster and the DNS zone before the first deploy.
   * @default - undecided: a warning
   */
  greenfield: z.boolean({ error: 'must be true or false: true states that no wire-server runs for this environment yet' }).optional(),
});

/** What an operator writes (defaults may be left out). */
export type WireFederationInput = z.input<typeof wireFederationConfigSchema>;
export type SearchPolicy = z.output<typeof searchPolicySchema>;
export type FederationStrategy = z.output<typeof wireFederationConfigSchema>['federation']['strategy'];
export type DnsConfig = z.output<typeof wireFederationConfigSchema>['dns'];
export type DnsProviderName = DnsConfig['provider'];
export type StateBackendConfig = z.output<typeof wireFederationConfigSchema>['backend'];
