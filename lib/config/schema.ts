/**
 * The schema of one environment's federation config.
 *
 * The same schema validates TypeScript configs (an app's environment objects) and YAML/JSON files
 * (`wire-federation validate`), so every rule lives here once. Messages say what is allowed; the
 * parser (`parse.ts`) adds the field path and the value received.
 */
import { z } from 'zod';
import { isIP } from 'node:net';
import { stripTrailingDot } from '../dns/names';
import { domainField, domainProblem, intIn, nonEmpty, normalizedName } from './schema/fields';
import { callingSchema, peerCallingSchema } from './schema/calling';
import { INGRESS_CHARTS } from '../ingress/ingress-chart';
import { INTERVAL_FORMAT, parseIntervalMs } from './duration';

/** Default Helm repository of the stable Wire charts. */
export const WIRE_CHART_REPOSITORY = 'https://s3-eu-west-1.amazonaws.com/public.wire.com/charts';

export { domainField, domainProblem, stripTrailingDot };
export * from './schema/calling';
const domain = domainField;

/** A DNS name that may start with a wildcard label (`*.example.com`), for certificate SANs. */
const sanName = z
  .string({ error: 'must be a string: a DNS name for the certificate' })
  .transform(normalizedName)
  .superRefine((value, ctx) => {
    const problem = domainProblem(value.startsWith('*.') ? value.slice(2) : value);
    if (problem) ctx.addIssue({ code: 'custom', message: `DNS name ${problem}` });
  });

const CLOUDFLARE_ID = /^[0-9a-f]{32}$/;
const zoneId = (which: string) =>
  z
    .string({ error: `must be a string: the Cloudflare zone id of the ${which}` })
    .regex(CLOUDFLARE_ID, {
      error: `must be a Cloudflare zone id (32 lowercase hex characters) of the ${which}`,
    });

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const chartVersion = (chart: string) =>
  z
    .string({ error: `must be a string: the pinned version of the ${chart} chart` })
    .regex(SEMVER, { error: `must be an exact chart version such as 5.32.0 (no ranges) for ${chart}` });

const K8S_NAME = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Where a CA certificate comes from. Exactly one of the keys. */
export const caSourceSchema = z.union(
  [
    z.strictObject({
      /** Path of a PEM file with the CA certificate(s), relative to the config's base directory. */
      file: nonEmpty('path of a PEM file with a CA certificate'),
    }),
    z.strictObject({
      /** The PEM text of the CA certificate(s). */
      pem: nonEmpty('PEM text of a CA certificate'),
    }),
    z.strictObject({
      /** Another environment of this repository: its CA is read from that environment's Terraform state (output `ca_certificate_pem`). */
      environment: z.string().regex(K8S_NAME, {
        error: 'must name another environment of this repository (lowercase letters, digits, "-")',
      }),
    }),
  ],
  { error: 'must be one of {file: <path>}, {pem: <PEM text>} or {environment: <name>}' },
);

export const searchPolicySchema = z.enum(['no_search', 'exact_handle_search', 'full_search'], {
  error: 'must be one of no_search, exact_handle_search, full_search',
});

/** What `peers[].allowedTeams` means, in the schema's description and the docs' words. */
export const ALLOWED_TEAMS_DESCRIPTION =
  "Teams of this peer whose users may find ours (brig restrict_by_team): the PEER's team ids, not ours; needs remotes.mode api";

const teamIds = (description: string) =>
  z
    .array(z.uuid({ error: 'must be a team id (UUID)' }), { error: 'must be a list of team ids' })
    .min(1, { error: 'must list at least one team id of the peer; leave it out to allow all users of the peer' })
    .optional()
    .describe(description);

/** A team of this backend, declared so that peers of this repository can check the teams they allow. */
export const teamSchema = z.strictObject({
  /** A name for people (messages name it). */
  name: nonEmpty('team name'),
  /** The team id (UUID) as brig knows it. */
  id: z.uuid({ error: 'must be a team id (UUID)' }),
});

export const peerSchema = z.strictObject({
  /** The peer's backend domain. */
  domain: domain('peer backend domain'),
  /** How users of the peer may search users here. */
  searchPolicy: searchPolicySchema.default('no_search'),
  /**
   * CA certificates that sign the peer's federator certificate (several while the peer rotates
   * its CA). Empty only when the system CA store is trusted and the peer uses a public CA.
   */
  caCertificates: z.array(caSourceSchema, { error: 'must be a list of CA sources' }).default([]),
  /**
   * Accept a CA of the public trust store (a web CA such as ISRG Root X1) in `caCertificates`.
   * Refused by default: every peer's CA goes into the ONE trust bundle the ingress checks client
   * certificates against, so a public root would let in anyone holding a client certificate it
   * issued. Federation trust is private; set this only when the partner's federator certificate
   * really comes from that public CA and you accept that risk.
   * @default false
   */
  acceptPublicCa: z.boolean({ error: 'must be true or false' }).optional(),
  /**
   * Teams OF THIS PEER whose users may find ours: brig's `restrict_by_team` for the remote
   * (`POST /i/federation/remotes/{domain}/teams`), an allowlist of the peer's team ids. Only
   * users of these teams of the peer can find users of this backend in search and send them
   * connection requests; users of the peer's other teams cannot. List the peer's team ids
   * (ask its operator; with a peer of this repository, the ids its `teams` declares), never
   * your own. Needs `remotes.mode: api`.
   * @default - all users of the peer (`allow_all`)
   */
  allowedTeams: teamIds(ALLOWED_TEAMS_DESCRIPTION),
  /**
   * @deprecated Renamed to `allowedTeams` (same brig setting, same meaning: teams OF THIS PEER
   * whose users may find ours). Older docs of this project wrongly said "our teams". Accepted
   * with a warning until the next minor version.
   */
  restrictToTeams: teamIds(`Deprecated name of allowedTeams: ${ALLOWED_TEAMS_DESCRIPTION}`),
  /**
   * The peer's calling endpoints (coturn host, public addresses, issuer CN), when `calling` is
   * on: ask the peer's operator (its federation card carries them). `false`: the peer does not
   * federate calls. @default - unknown: a warning while calling is on
   */
  calling: peerCallingSchema.optional(),
});

const srvSchema = z
  .strictObject({
    /** Priority of the SRV record. */
    priority: intIn(0, 65535, 'SRV priority').default(0),
    /** Weight of the SRV record: above 0 (RFC 2782 ranks weight 0 last). */
    weight: intIn(1, 65535, 'SRV weight (0 ranks the record last, RFC 2782)').default(10),
    /** Port the federator ingress listens on: peers connect to the port in the SRV record. */
    port: intIn(1, 65535, 'port of the federator ingress').default(443),
  })
  .default({ priority: 0, weight: 10, port: 443 });

/** TTL in seconds; Cloudflare also takes 1 (automatic). */
const ttl = (automatic: boolean) =>
  z
    .number({ error: `must be a number: TTL in seconds${automatic ? ' (1 = automatic)' : ''}` })
    .int({ error: 'must be a whole number of seconds' })
    .refine((v) => (automatic && v === 1) || (v >= 60 && v <= 86400), {
      error: automatic ? 'must be 1 (automatic) or between 60 and 86400 seconds' : 'must be between 60 and 86400 seconds (1, "automatic", exists on Cloudflare only)',
    })
    .default(600);

/** A DNS zone given by its DNS name (providers that address records relative to the zone). */
const zoneName = (which: string) => domain(`DNS name of the ${which} zone`);

/** The DNS providers that can hold the federation records (`dns.provider`). */
export const DNS_PROVIDERS = ['cloudflare', 'route53', 'google', 'azure', 'rfc2136'] as const;

/** Cloudflare (the default: `provider` may be left out). Token: TF_VAR_cloudflare_api_token or CLOUDFLARE_API_TOKEN. */
const cloudflareDnsSchema = z.strictObject({
  provider: z.literal('cloudflare').default('cloudflare'),
  /** Cloudflare zone of the backend domain (gets the SRV record). */
  backendZoneId: zoneId('backend domain zone'),
  /** Cloudflare zone of the federator infrastructure domain (gets the A/AAAA records). */
  infrastructureZoneId: zoneId('infrastructure domain zone'),
  /** TTL of the records in seconds: 60 to 86400, or 1 (Cloudflare's "automatic"). */
  ttl: ttl(true),
  /** The SRV record `_wire-server-federator._tcp.<backend domain>`. */
  srv: srvSchema,
});

const ROUTE53_ZONE_ID = /^Z[0-9A-Z]{1,31}$/;
const route53ZoneId = (which: string) =>
  z
    .string({ error: `must be a string: the Route 53 hosted zone id of the ${which}` })
    .regex(ROUTE53_ZONE_ID, { error: `must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (Z and uppercase letters or digits) of the ${which}` });

/** Amazon Route 53. Credentials: the AWS provider's environment (AWS_PROFILE, AWS_ACCESS_KEY_ID, …). */
const route53DnsSchema = z.strictObject({
  provider: z.literal('route53'),
  /** Hosted zone of the backend domain (gets the SRV record). */
  backendZoneId: route53ZoneId('backend domain zone'),
  /** Hosted zone of the federator domain (gets the A/AAAA records). @default - the backend zone */
  infrastructureZoneId: route53ZoneId('infrastructure domain zone').optional(),
  /** Region of the AWS provider (Route 53 itself is global). */
  region: z.string({ error: 'must be a string: an AWS region such as us-east-1' }).regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'must be an AWS region such as us-east-1' }).default('us-east-1'),
  /** TTL of the records in seconds: 60 to 86400. */
  ttl: ttl(false),
  /** The SRV record `_wire-server-federator._tcp.<backend domain>`. */
  srv: srvSchema,
});

const GOOGLE_ZONE = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const googleZone = (which: string) =>
  z
    .string({ error: `must be a string: the Cloud DNS managed zone name (not its DNS name) of the ${which}` })
    .regex(GOOGLE_ZONE, { error: `must be a Cloud DNS managed zone name (lowercase letters, digits and "-", e.g. example-com) of the ${which}` });

/** Google Cloud DNS. Credentials: GOOGLE_CREDENTIALS or GOOGLE_APPLICATION_CREDENTIALS. */
const googleDnsSchema = z.strictObject({
  provider: z.literal('google'),
  /** Google Cloud project of the managed zones. */
  project: z.string({ error: 'must be a string: the Google Cloud project id' }).regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, { error: 'must be a Google Cloud project id (6-30 lowercase letters, digits and "-")' }),
  /** Managed zone of the backend domain (gets the SRV record). */
  backendZone: googleZone('backend domain zone'),
  /** Managed zone of the federator domain (gets the A/AAAA records). @default - the backend zone */
  infrastructureZone: googleZone('infrastructure domain zone').optional(),
  /** TTL of the records in seconds: 60 to 86400. */
  ttl: ttl(false),
  /** The SRV record `_wire-server-federator._tcp.<backend domain>`. */
  srv: srvSchema,
});

const azureZone = (which: string) =>
  z.strictObject({
    /** DNS name of the zone, e.g. example.com. */
    name: zoneName(which),
    /** Resource group that holds the zone. */
    resourceGroup: z
      .string({ error: `must be a string: the resource group of the ${which} zone` })
      .regex(/^[-\w.()]{1,89}[-\w()]$/, { error: `must be an Azure resource group name (letters, digits, "-", "_", ".", "(", ")") of the ${which} zone` }),
  });

/** Azure DNS. Credentials: ARM_CLIENT_ID, ARM_CLIENT_SECRET, ARM_TENANT_ID (or az login / managed identity). */
const azureDnsSchema = z.strictObject({
  provider: z.literal('azure'),
  /** Subscription of the zones. @default - ARM_SUBSCRIPTION_ID */
  subscriptionId: z.uuid({ error: 'must be an Azure subscription id (UUID)' }).optional(),
  /** Zone of the backend domain (gets the SRV record). */
  backendZone: azureZone('backend domain'),
  /** Zone of the federator domain (gets the A/AAAA records). @default - the backend zone */
  infrastructureZone: azureZone('infrastructure domain').optional(),
  /** TTL of the records in seconds: 60 to 86400. */
  ttl: ttl(false),
  /** The SRV record `_wire-server-federator._tcp.<backend domain>`. */
  srv: srvSchema,
});

/** TSIG algorithms the RFC 2136 provider (hashicorp/dns) accepts. */
export const TSIG_ALGORITHMS = ['hmac-md5', 'hmac-sha1', 'hmac-sha256', 'hmac-sha512'] as const;

/**
 * RFC 2136 dynamic updates (BIND, PowerDNS, Knot, …) through the hashicorp/dns provider. TSIG
 * secret: TF_VAR_dns_update_key_secret or DNS_UPDATE_KEYSECRET.
 */
const rfc2136DnsSchema = z.strictObject({
  provider: z.literal('rfc2136'),
  /** Host name or IP address of the primary server that takes the updates. */
  server: z
    .string({ error: 'must be a string: the host name or IP address of the DNS server that takes the updates' })
    .refine((v) => isIP(v) !== 0 || domainProblem(stripTrailingDot(v).toLowerCase()) === undefined, { error: 'must be a host name or an IP address of the DNS server that takes the updates' })
    .transform((v) => (isIP(v) !== 0 ? v : normalizedName(v))),
  /** Port of the DNS server. */
  port: intIn(1, 65535, 'port of the DNS server').default(53),
  /** DNS name of the backend domain's zone (gets the SRV record). */
  backendZone: zoneName('backend domain'),
  /** DNS name of the federator domain's zone (gets the A/AAAA records). @default - the backend zone */
  infrastructureZone: zoneName('infrastructure domain').optional(),
  /** TSIG key name as the server knows it. @default - unsigned updates (only for servers that allow them by address) */
  keyName: z
    .string({ error: 'must be a string: the TSIG key name, e.g. federation-update' })
    .transform((v) => stripTrailingDot(v).toLowerCase())
    .refine((v) => /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(v), { error: 'must be a TSIG key name (letters, digits, "-", "_", dots), e.g. federation-update' })
    .optional(),
  /** TSIG HMAC algorithm. */
  keyAlgorithm: z.enum(TSIG_ALGORITHMS, { error: `must be one of ${TSIG_ALGORITHMS.join(', ')}` }).default('hmac-sha256'),
  /** TTL of the records in seconds: 60 to 86400. */
  ttl: ttl(false),
  /** The SRV record `_wire-server-federator._tcp.<backend domain>`. */
  srv: srvSchema,
});

/**
 * `dns`: where the federation records live, tagged by `provider` (default `cloudflare`, so
 * configs written before the other providers keep working unchanged). Secrets never appear here.
 */
const dnsSchema = z.discriminatedUnion('provider', [cloudflareDnsSchema, route53DnsSchema, googleDnsSchema, azureDnsSchema, rfc2136DnsSchema], {
  error: (issue) =>
    typeof issue.input === 'object' && issue.input !== null && !Array.isArray(issue.input)
      ? `provider must be one of ${DNS_PROVIDERS.join(', ')} (default cloudflare)`
      : undefined,
});

/** wire-ingress (Gateway API, Envoy Gateway): what federation needs of the Gateway. */
const gatewaySchema = z.strictObject({
  /** `gateway.className`: the GatewayClass of Envoy Gateway (the chart requires it). */
  className: z.string({ error: 'must be a string: the name of the GatewayClass of Envoy Gateway, e.g. envoy' }).regex(K8S_NAME, { error: 'must be a GatewayClass name (lowercase letters, digits, "-"), e.g. envoy' }),
  /**
   * `gateway.listeners.https.hostname`: the public (non-federator) listener. @default - `*.` and
   * the zone of `config.dns.https` in your wire-ingress values, else of the federator domain
   */
  httpsHostname: sanName.optional(),
  /**
   * The name of the federator listener: `gateway.listeners.federator.sectionName` of wire-ingress
   * in its ListenerSet layout (5.35.0 and later, docs/reference/chart-versions.md). Earlier
   * versions name the Gateway listener `federator` and read no setting.
   * @default federator
   */
  federatorSectionName: z.string({ error: 'must be a string: the listener section name of the federator' }).regex(K8S_NAME, { error: 'must be a listener name (lowercase letters, digits, "-"), e.g. federator' }).default('federator'),
  /** PROXY protocol from the load balancer: off, required, or optional (also accept direct connections). */
  proxyProtocol: z.enum(['off', 'required', 'optional'], { error: 'must be off, required or optional' }).default('off'),
  /**
   * What the EnvoyPatchPolicy for the federator host (trailing-dot SRV targets) targets:
   * `Gateway`, or `GatewayClass` when the EnvoyProxy merges Gateways (`mergeGateways: true`).
   */
  patchPolicyTarget: z.enum(['Gateway', 'GatewayClass'], { error: 'must be Gateway or GatewayClass' }).default('Gateway'),
  /**
   * Install Envoy Gateway (its Helm chart, CRDs included, EnvoyPatchPolicy enabled) at this exact
   * version first. @default - Envoy Gateway is already installed
   */
  installEnvoyGatewayVersion: z.string().regex(/^v\d+\.\d+\.\d+$/, { error: 'must be an exact Envoy Gateway chart version such as v1.5.4' }).optional(),
  /** Namespace of the Envoy Gateway controller. */
  envoyGatewayNamespace: z.string().regex(K8S_NAME, { error: 'must be a Kubernetes namespace name' }).default('envoy-gateway-system'),
  /** Create the GatewayClass `className` (controller gateway.envoyproxy.io/gatewayclass-controller). */
  createGatewayClass: z.boolean({ error: 'must be true or false' }).default(false),
});

/** Moving from nginx-ingress-services to wire-ingress (docs/ingress-charts.md, "Migrating to wire-ingress"). */
const ingressMigrationSchema = z.strictObject({
  /** The chart being replaced. */
  from: z.literal('nginx-ingress-services', { error: 'must be nginx-ingress-services' }),
  /**
   * `side-by-side`: both releases run (the old one keeps serving until the A/AAAA records move);
   * `old-removed`: the old release is gone, wire-ingress still serves its certificate secrets.
   */
  phase: z.enum(['side-by-side', 'old-removed'], { error: 'must be side-by-side or old-removed' }),
});

const ingressSchema = z.strictObject({
  /** Where the federator A record points: the address of the federator ingress (load balancer). */
  ipv4: z.ipv4({ error: 'must be an IPv4 address (e.g. 203.0.113.10)' }),
  /** Where the federator AAAA record points. @default - no AAAA record */
  ipv6: z.ipv6({ error: 'must be an IPv6 address (e.g. 2001:db8::10)' }).optional(),
  /** The chart that terminates federator mutual TLS. */
  chart: z.enum(INGRESS_CHARTS, { error: `must be one of ${INGRESS_CHARTS.join(', ')}` }).default('nginx-ingress-services'),
  /** Gateway settings, required with chart wire-ingress. */
  gateway: gatewaySchema.optional(),
  /** A migration between ingress charts in progress. @default - none */
  migration: ingressMigrationSchema.optional(),
});

const releaseSchema = (chart: string) =>
  z.strictObject({
    /** The exact chart version (no ranges). */
    version: chartVersion(chart),
    /** Helm release name (of the running release, when adopting). */
    releaseName: z
      .string()
      .regex(K8S_NAME, { error: 'must be a release name (lowercase letters, digits, "-")' })
      .default(chart),
    /**
     * States that `version` is meant to DOWNGRADE the running chart: the running version the
     * adoption record names (e.g. `'5.32.0'`). Without it, a version below the running one is an
     * error (adoption-downgrade). @default - no downgrade intended
     */
    downgradeFrom: chartVersion(chart).optional(),
    /**
     * The operator's own values files (non-federation settings), applied in order, under the
     * federation values.
     */
    valuesFiles: z.array(nonEmpty('path of a Helm values file'), { error: 'must be a list of paths' }).default([]),
    /**
     * Helm paths of the operator's own secrets (e.g. `brig.secrets.smtpPassword`). Their values
     * come from the sensitive map variable `<release>_secret_values` and reach Helm only through
     * `set_sensitive`.
     */
    sensitiveValues: z
      .array(z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/, { error: 'must be a dotted Helm path such as brig.secrets.smtpPassword' }), {
        error: 'must be a list of Helm paths',
      })
      .default([]),
  });

const kubernetesSchema = z
  .strictObject({
    /** The kubeconfig the Helm and Kubernetes providers use. */
    kubeconfigPath: nonEmpty('path of the kubeconfig').default('~/.kube/config'),
    /** The kubeconfig context. @default - the kubeconfig's current context */
    context: nonEmpty('kubeconfig context').optional(),
    /** Namespace of the Wire releases. */
    namespace: z
      .string()
      .regex(K8S_NAME, { error: 'must be a Kubernetes namespace name (lowercase letters, digits, "-")' })
      .default('wire'),
  })
  .default({ kubeconfigPath: '~/.kube/config', namespace: 'wire' });

const chartsSchema = z.strictObject({
  /**
   * Helm repository of the Wire charts: a classic repository (`https://…`) or an OCI registry
   * (`oci://quay.io/wire/charts/<channel>`; the chart is then `oci://…/<chart>`).
   */
  repository: z.url({ error: 'must be the URL of a Helm repository (https://…) or an OCI registry (oci://host/path)' }).default(WIRE_CHART_REPOSITORY),
  /** The wire-server release. */
  wireServer: releaseSchema('wire-server'),
  /** Required with ingress.chart nginx-ingress-services (the default) and during a migration from it. */
  nginxIngressServices: releaseSchema('nginx-ingress-services').optional(),
  /** Required with ingress.chart wire-ingress. */
  wireIngress: releaseSchema('wire-ingress').optional(),
  /** Wire's coturn chart: required with calling.enabled (install, or adopt the running release). */
  coturn: releaseSchema('coturn').optional(),
  /** The sftd chart: required with calling.enabled (install, or adopt the running release). */
  sftd: releaseSchema('sftd').optional(),
});

const federationSchema = z
  .strictObject({
    /**
     * brig's `setFederationStrategy`: `allowNone` (no federation), `allowDynamic` (only the
     * remotes brig knows: the peers), `allowAll` (any backend).
     */
    strategy: z
      .enum(['allowNone', 'allowDynamic', 'allowAll'], {
        error: 'must be one of allowNone, allowDynamic, allowAll',
      })
      .default('allowDynamic'),
    /** Galley `federationProtocols`; the chart renders a single element only. */
    protocols: z
      .array(z.enum(['proteus', 'mls'], { error: 'must be proteus or mls' }))
      .max(1, { error: 'must have at most one element: the chart renders longer lists wrongly' })
      .optional(),
    /**
     * nginx `tls.verify_depth`: how deep the PEERS' client certificate chains may be below the
     * CAs we trust (CA → leaf is 1, one intermediate is 2). wire-ingress has none (a warning if
     * set).
     */
    verifyDepth: intIn(1, 10, 'depth between a peer client certificate and its trusted CA').default(1),
    /**
     * The federator also trusts the OS CA store for its OUTGOING calls (peers' server
     * certificates). Incoming client certificates are checked by the ingress against the peers'
     * `caCertificates` only, so every peer needs its CA listed either way.
     * @default true
     */
    useSystemCaStore: z.boolean({ error: 'must be true or false' }).default(true),
  })
  .default({ strategy: 'allowDynamic', verifyDepth: 1, useSystemCaStore: true });

const remotesSchema = z
  .strictObject({
    /**
     * `config`: brig's deprecated `setFederationDomainConfigs` list. `api`: a Kubernetes Job
     * writes the peers through brig's internal API (needed for team restrictions).
     */
    mode: z.enum(['config', 'api'], { error: 'must be config or api' }).default('config'),
    /** Image of the sync Job (runs a generated Node.js script). */
    image: nonEmpty('container image of the remote sync Job').default('node:20-alpine'),
    /** brig's internal URL, reachable inside the cluster. */
    brigUrl: z.url({ error: 'must be the URL of brig\'s internal API, e.g. http://brig:8080' }).default('http://brig:8080'),
    /**
     * Peers removed from `peers` on purpose. brig cannot forget a remote: see
     * docs/remote-backends.md ("Removing a peer") for the manual procedure. Listing a domain here
     * acknowledges that.
     */
    removedPeers: z.array(domain('removed peer domain'), { error: 'must be a list of domains' }).default([]),
    /**
     * With mode api, keep brig's `setFederationDomainConfigs` list as well: the middle step of the
     * zero-downtime migration (docs/remote-backends.md, "Migrating to API-managed remotes").
     */
    keepConfigList: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .default({ mode: 'config', image: 'node:20-alpine', brigUrl: 'http://brig:8080', removedPeers: [], keepConfigList: false });

const labelMap = (what: string) =>
  z
    .record(
      z.string().regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, { error: `must be Kubernetes label names: ${what}` }),
      z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, { error: `must be Kubernetes label values (at most 63 letters, digits, "-", "_", "."): ${what}` }),
      { error: `must be a map of Kubernetes labels: ${what}` },
    )
    .default({});

const monitoringSchema = z
  .strictObject({
    /**
     * Deploy the federation exporter (`wire-federation verify --serve`) in the wire namespace:
     * a Deployment that presents our federator certificate (from the secret of the PKI mode),
     * a Service, and (with the Prometheus Operator) a ServiceMonitor and the alert rules as a
     * PrometheusRule. See docs/monitoring.md.
     * @default false
     */
    enabled: z.boolean({ error: 'must be true or false' }).default(false),
    /**
     * Container image of the exporter (mirror it for offline clusters).
     * @default - ghcr.io/wireapp/wire-federation-cdktf at the version of this package
     */
    image: nonEmpty('container image of the federation exporter').optional(),
    /** Time between two rounds of checks, a duration between 1s and 24h such as 60s, 5m or 1h (the same rule as `--interval`). @default 60s */
    interval: z
      .string({ error: `must be ${INTERVAL_FORMAT}` })
      .refine((v) => parseIntervalMs(v) !== undefined, { error: `must be ${INTERVAL_FORMAT} (the exporter refuses anything else and its pod would crash-loop)` })
      .default('60s'),
    /** Timeout of each check (DNS lookup, TLS connection, federation call) in milliseconds (`--timeout`). @default 5000 */
    timeoutMs: intIn(100, 600_000, 'timeout of each check in milliseconds').default(5000),
    /** Also check every peer (`--peers`): SRV record, certificate, whether it accepts us, the federation call. @default true */
    peers: z.boolean({ error: 'must be true or false' }).default(true),
    /** DNS server of every lookup (`--dns-server`, `ip[:port]`). @default - the cluster's resolver */
    dnsServer: z
      .string({ error: 'must be a string: an IP address with an optional port' })
      .regex(/^(\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?|\[[0-9a-fA-F:]+\](:\d{1,5})?|[0-9a-fA-F:]+)$/, { error: 'must be an IP address with an optional port, e.g. 1.1.1.1 or 10.0.0.10:53' })
      .optional(),
    /** A ServiceMonitor for the Prometheus Operator (needs its CRDs). */
    serviceMonitor: z
      .strictObject({
        /** Deploy the ServiceMonitor (switch off when your Prometheus scrapes Services by annotation). @default true */
        enabled: z.boolean({ error: 'must be true or false' }).default(true),
        /** Labels your Prometheus selects ServiceMonitors by (its serviceMonitorSelector), e.g. `{release: kube-prometheus-stack}`. @default - none */
        labels: labelMap('labels of the ServiceMonitor'),
        /** Scrape interval. @default 30s */
        interval: z.string().regex(/^\d+(s|m)$/, { error: 'must be a duration such as 30s or 1m' }).default('30s'),
      })
      .default({ enabled: true, labels: {}, interval: '30s' }),
    /** The alert rules (monitoring/alerts.yaml) as a PrometheusRule (needs the Prometheus Operator's CRDs). */
    prometheusRule: z
      .strictObject({
        /** Deploy the PrometheusRule (switch off to load monitoring/alerts.yaml into Prometheus yourself). @default true */
        enabled: z.boolean({ error: 'must be true or false' }).default(true),
        /** Labels your Prometheus selects rules by (its ruleSelector), e.g. `{release: kube-prometheus-stack}`. @default - none */
        labels: labelMap('labels of the PrometheusRule'),
        /** How long a peer's federation call must fail before WireFederationPeerCallFailing fires. @default 10m */
        peerFailingFor: z.string().regex(/^\d+(s|m|h)$/, { error: 'must be a duration such as 10m' }).default('10m'),
      })
      .default({ enabled: true, labels: {}, peerFailingFor: '10m' }),
  })
  .default({ enabled: false, interval: '60s', timeoutMs: 5000, peers: true, serviceMonitor: { enabled: true, labels: {}, interval: '30s' }, prometheusRule: { enabled: true, labels: {}, peerFailingFor: '10m' } });

const hours = (what: string) =>
  z.number({ error: `must be a number: ${what}` }).int({ error: `must be a whole number: ${what}` }).positive({ error: `must be positive: ${what}` });

/** CA generations for zero-downtime rotation (see docs/certificates.md, "Rotating our CA"). */
const caRotationFields = {
  /**
   * Generations of our private CA that exist and are published to peers. Add the next one,
   * let peers pick it up, switch `signingCaGeneration`, then drop the old one.
   */
  caGenerations: z
    .array(intIn(1, 99, 'CA generation'), { error: 'must be a list of CA generation numbers' })
    .min(1, { error: 'must list at least one CA generation' })
    .default([1]),
  /** The generation that signs the federator certificate. @default - the first of caGenerations */
  signingCaGeneration: intIn(1, 99, 'CA generation').optional(),
  /** Subject organization of the CA and certificate. @default - the backend domain */
  organization: nonEmpty('certificate organization').optional(),
  /** Lifetime of our CA certificate in hours (10 years). */
  caValidityHours: hours('CA validity in hours').default(87600),
};

/**
 * Our CA certificates from before a rotation, kept in the bundle we publish (output
 * `ca_certificate_pem`) until every peer trusts the new one.
 */
const previousCaCertificates = z.array(caSourceSchema, { error: 'must be a list of CA sources' }).default([]);

const privateCaSchema = z.strictObject({
  mode: z.literal('private-ca'),
  ...caRotationFields,
  /** Lifetime of the federator certificate in hours; Terraform re-issues it. */
  certificateValidityHours: hours('certificate validity in hours').default(8760),
  /** Re-issue the federator certificate this many hours before it expires (at the next deploy). */
  earlyRenewalHours: hours('hours before expiry when the certificate is renewed').default(720),
  /**
   * Extra SANs of the one certificate nginx-ingress-services serves on every ingress (public
   * hosts such as nginz-https.example.com or a wildcard). The federator domain is always in it.
   */
  extraSans: z.array(sanName, { error: 'must be a list of DNS names' }).default([]),
  /** Our CA certificates from before a rotation, published to peers until every peer trusts the new CA. */
  previousCaCertificates,
});

const GO_DURATION = /^(\d+h)?(\d+m)?(\d+s)?$/;
const goDuration = (what: string) =>
  z.string({ error: `must be a duration such as 2160h: ${what}` }).regex(GO_DURATION, { error: `must be a duration such as 2160h or 90m: ${what}` }).refine((v) => v !== '', { error: `must not be empty: ${what}` });

const certManagerSchema = z.strictObject({
  mode: z.literal('cert-manager'),
  ...caRotationFields,
  /** Email for the Let's Encrypt account of the public hosts (chart's issuer). */
  certmasterEmail: z.email({ error: 'must be an email address for the Let\'s Encrypt account' }),
  /** Let's Encrypt staging (untrusted certificates) for the public hosts. */
  inTestMode: z.boolean({ error: 'must be true or false' }).default(false),
  /** Name of the cert-manager CA ClusterIssuer that signs the federator certificate. */
  issuerName: z.string().regex(K8S_NAME, { error: 'must be a Kubernetes name' }).default('wire-federation-ca'),
  /** cert-manager's cluster resource namespace: where the ClusterIssuer reads the CA secret. */
  certManagerNamespace: z.string().regex(K8S_NAME, { error: 'must be a Kubernetes namespace name' }).default('cert-manager'),
  /** Install cert-manager (jetstack chart, CRDs included) at this exact version. @default - already installed */
  installCertManagerVersion: z.string().regex(/^v\d+\.\d+\.\d+$/, { error: 'must be an exact cert-manager chart version such as v1.19.1' }).optional(),
  /** Federator certificate lifetime (`federator.tls.duration`). */
  duration: goDuration('federator certificate lifetime').default('2160h'),
  /** Renew this long before expiry (`federator.tls.renewBefore`). */
  renewBefore: goDuration('renewal before expiry').default('360h'),
  /** `federator.tls.privateKey.rotationPolicy`. */
  rotationPolicy: z.enum(['Always', 'Never'], { error: 'must be Always or Never' }).default('Always'),
  /** Our CA certificates from before a rotation, published to peers until every peer trusts the new CA. */
  previousCaCertificates,
});

const providedSchema = z.strictObject({
  mode: z.literal('provided'),
  /** PEM file: the federator certificate, then intermediates. Checked at synth. */
  certificateFile: nonEmpty('path of the certificate chain PEM file'),
  /**
   * PEM file of the private key: checked at synth, read by Terraform at apply (`file()`), never
   * copied into the synthesized JSON. @default - the sensitive variable `federator_private_key`
   */
  keyFile: nonEmpty('path of the private key PEM file').optional(),
  /** PEM file of the CA that signed the chain (published to peers). */
  caFile: nonEmpty('path of the CA certificate PEM file'),
  /** Our CA certificates from before a rotation, published to peers until every peer trusts the new CA. */
  previousCaCertificates,
});

const letsEncryptOnlySchema = z.strictObject({
  mode: z.literal('letsencrypt-only'),
}).passthrough();

const pkiSchema = z
  .discriminatedUnion('mode', [privateCaSchema, certManagerSchema, providedSchema, letsEncryptOnlySchema], {
    error: 'mode must be one of private-ca, cert-manager, provided',
  })
  .superRefine((pki, ctx) => {
    if (pki.mode === 'letsencrypt-only') {
      ctx.addIssue({
        code: 'custom',
        path: ['mode'],
        message:
          'letsencrypt-only cannot federate: Let\'s Encrypt (like most public CAs) stopped issuing certificates with the TLS client authentication usage in 2026, and the federator presents its certificate as client certificate too. Use mode cert-manager (Let\'s Encrypt for public hosts, a private CA for the federator) or private-ca',
      });
      return;
    }
    if ('caGenerations' in pki) {
      if (new Set(pki.caGenerations).size !== pki.caGenerations.length) {
        ctx.addIssue({ code: 'custom', path: ['caGenerations'], message: 'must not list a generation twice' });
      }
      if (pki.signingCaGeneration !== undefined && !pki.caGenerations.includes(pki.signingCaGeneration)) {
        ctx.addIssue({ code: 'custom', path: ['signingCaGeneration'], message: `must be one of caGenerations (${pki.caGenerations.join(', ')})` });
      }
    }
  })
  .default({
    mode: 'private-ca',
    caGenerations: [1],
    caValidityHours: 87600,
    certificateValidityHours: 8760,
    earlyRenewalHours: 720,
    extraSans: [],
    previousCaCertificates: [],
  });

const backendSchema = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({
        type: z.literal('local'),
        /** Path of the local state file. @default terraform.<environment>.tfstate */
        path: nonEmpty('state file path').optional(),
      }),
      z.strictObject({
        type: z.literal('s3'),
        /** S3 bucket of the state. */
        bucket: nonEmpty('S3 bucket'),
        /** Object key of the state file. */
        key: nonEmpty('S3 object key'),
        /** AWS region of the bucket. */
        region: nonEmpty('AWS region'),
        /** DynamoDB table for state locking. @default - no locking table */
        dynamodbTable: nonEmpty('DynamoDB lock table').optional(),
      }),
      z.strictObject({
        type: z.literal('gcs'),
        /** GCS bucket of the state. */
        bucket: nonEmpty('GCS bucket'),
        /** Prefix of the state objects. @default - none */
        prefix: nonEmpty('GCS prefix').optional(),
      }),
      z.strictObject({
        type: z.literal('cloud'),
        /** Terraform Cloud organization. */
        organization: nonEmpty('Terraform Cloud organization'),
        /** Terraform Cloud workspace. */
        workspace: nonEmpty('Terraform Cloud workspace'),
        /** Host of Terraform Enterprise. @default - app.terraform.io */
        hostname: nonEmpty('Terraform Cloud hostname').optional(),
      }),
    ],
    { error: 'type must be one of local, s3, gcs, cloud' },
  )
  .default({ type: 'local' });

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
    .describe("Teams of this backend ({name, id}); peers of this repository may allow only these ids in their peers[].allowedTeams for us"),
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
