/** `dns`: the federation records and the provider that holds them. */
import { z } from 'zod';
import { isIP } from 'node:net';
import { domain, domainProblem, intIn, normalizedName, stripTrailingDot } from './fields';

const CLOUDFLARE_ID = /^[0-9a-f]{32}$/;
const zoneId = (which: string) =>
  z.string({ error: `must be a string: the Cloudflare zone id of the ${which}` }).regex(CLOUDFLARE_ID, {
    error: `must be a Cloudflare zone id (32 lowercase hex characters) of the ${which}`,
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
      error: automatic
        ? 'must be 1 (automatic) or between 60 and 86400 seconds'
        : 'must be between 60 and 86400 seconds (1, "automatic", exists on Cloudflare only)',
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
  region: z
    .string({ error: 'must be a string: an AWS region such as us-east-1' })
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'must be an AWS region such as us-east-1' })
    .default('us-east-1'),
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
  project: z
    .string({ error: 'must be a string: the Google Cloud project id' })
    .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, { error: 'must be a Google Cloud project id (6-30 lowercase letters, digits and "-")' }),
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
    .refine((v) => isIP(v) !== 0 || domainProblem(stripTrailingDot(v).toLowerCase()) === undefined, {
      error: 'must be a host name or an IP address of the DNS server that takes the updates',
    })
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
export const dnsSchema = z.discriminatedUnion('provider', [cloudflareDnsSchema, route53DnsSchema, googleDnsSchema, azureDnsSchema, rfc2136DnsSchema], {
  error: (issue) =>
    typeof issue.input === 'object' && issue.input !== null && !Array.isArray(issue.input)
      ? `provider must be one of ${DNS_PROVIDERS.join(', ')} (default cloudflare)`
      : undefined,
});
