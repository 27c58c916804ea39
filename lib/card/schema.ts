/**
 * The federation card: what one Wire operator sends another to federate, as a versioned YAML (or
 * JSON) document. Public material only: domains, the SRV port, the CA certificates that sign
 * the federator certificate (with their SHA-256 fingerprints, for checking over the phone), the
 * ingress and its verify depth, the search policy and teams offered, the federation API
 * versions, the calling endpoints (coturn host, public IPs, DTLS, issuer CN), a contact and the date.
 *
 * Plain zod: no cdktf import (`card check` runs from the verifier).
 */
import { z } from 'zod';
import { domainField, searchPolicySchema, teamSchema } from '../config/schema';
import { INGRESS_CHARTS } from '../ingress/ingress-chart';

/** `apiVersion` of the cards this version writes and reads. */
export const CARD_API_VERSION = 'wire-federation-cdktf/v1';
/** `kind` of a federation card. */
export const CARD_KIND = 'FederationCard';

/** A SHA-256 fingerprint as `openssl x509 -noout -fingerprint -sha256` prints it: 32 colon-separated hex bytes. */
export const FINGERPRINT_PATTERN = /^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/;

const domain = domainField;

const depth = (what: string) =>
  z
    .number({ error: `must be a number: ${what}` })
    .int({ error: `must be a whole number: ${what}` })
    .min(1, { error: `must be between 1 and 10: ${what}` })
    .max(10, { error: `must be between 1 and 10: ${what}` });

/** One CA certificate of the card. */
export const cardCaSchema = z.strictObject({
  /** SHA-256 fingerprint of the certificate (colon hex, uppercase), to read out over the phone. */
  sha256: z
    .string({ error: 'must be a string: the SHA-256 fingerprint of the certificate' })
    .transform((v) => v.trim().toUpperCase())
    .refine((v) => FINGERPRINT_PATTERN.test(v), { error: 'must be a SHA-256 fingerprint as openssl prints it (32 hex bytes separated by ":")' }),
  /** Subject of the certificate, for people. */
  subject: z.string({ error: 'must be a string: the subject of the CA certificate' }),
  /** End of the validity period (ISO 8601). */
  notAfter: z.iso.datetime({ error: 'must be a date and time in ISO 8601 (e.g. 2036-01-31T12:00:00.000Z): the end of the validity of the CA certificate' }),
  /** The certificate, PEM. */
  pem: z.string({ error: 'must be a string: the PEM of the CA certificate' }).min(1, { error: 'must not be empty: the PEM of the CA certificate' }),
});

/**
 * The sender's calling endpoints (federated calls, `calling` in its config): what the receiver
 * puts into `peers[].calling`. Only in cards of backends that federate calls.
 */
export const cardCallingSchema = z.strictObject({
  /** The sender's coturn federation listener. */
  coturn: z.strictObject({
    /** Its host name (in its DTLS certificate): the receiver's whitelist entry. */
    host: domain('coturn host'),
    /** Its public addresses: the receiver's rate-limit allowlist. */
    publicIps: z
      .array(z.union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address: a public address of the coturn servers' }), {
        error: 'must be a list of IP addresses',
      })
      .min(1, { error: 'must list at least one address' })
      .max(32, { error: 'must list at most 32 addresses' }),
    /** The federation port (UDP). */
    port: z
      .number({ error: 'must be a number: the coturn federation port' })
      .int({ error: 'must be a whole number: the coturn federation port' })
      .min(1, { error: 'must be between 1 and 65535: the coturn federation port' })
      .max(65535, { error: 'must be between 1 and 65535: the coturn federation port' }),
    /** Whether the federation link is DTLS with mutual authentication. */
    dtls: z.boolean({ error: 'must be true or false: whether coturn federates over DTLS' }),
    /** The common name of the CA that issues the sender's coturn certificate (the whitelist entry's issuer). @default - not given */
    issuerCommonName: z
      .string({ error: 'must be a string: the common name of the CA that issues the coturn certificate' })
      .min(1, { error: 'must not be empty' })
      .max(64, { error: 'must be at most 64 characters (an X.509 common name)' })
      .regex(/^[\x20-\x7e]+$/, { error: 'must be printable ASCII on one line' })
      .refine((v) => !v.includes(',') && v.trim() === v, { error: 'must not contain "," nor start or end with a space' })
      .optional(),
  }),
});

/** The federation card (strict: an unknown field is refused). */
export const federationCardSchema = z.strictObject({
  apiVersion: z.literal(CARD_API_VERSION, { error: `must be ${CARD_API_VERSION} (a card of another tool or version)` }),
  kind: z.literal(CARD_KIND, { error: `must be ${CARD_KIND}` }),
  /** The backend ("federation") domain of the sender: the peer's `domain`. */
  backendDomain: domain('backend domain'),
  /** Where the sender's federator is reached. */
  federator: z.strictObject({
    /** The federator's infrastructure domain: the target of the SRV record `_wire-server-federator._tcp.<backendDomain>`. */
    domain: domain('federator domain'),
    /** The port of the SRV record. */
    port: z
      .number({ error: 'must be a number: the SRV port' })
      .int({ error: 'must be a whole number: the SRV port' })
      .min(1, { error: 'must be between 1 and 65535: the SRV port' })
      .max(65535, { error: 'must be between 1 and 65535: the SRV port' }),
    /** Certificates from the federator certificate up to the CA (1: signed by the CA directly): what the receiver's `federation.verifyDepth` must allow. */
    chainDepth: depth('depth of the federator certificate below the CA'),
  }),
  /** The sender's ingress, which checks the receiver's client certificate. */
  ingress: z.strictObject({
    chart: z.enum(INGRESS_CHARTS, { error: `must be one of ${INGRESS_CHARTS.join(', ')}` }),
    /** nginx `tls.verify_depth` (nginx-ingress-services only): the deepest client certificate chain it accepts. */
    verifyDepth: depth('nginx tls.verify_depth').optional(),
  }),
  /** The search policy the sender would like the receiver to give the sender's users. */
  searchPolicy: searchPolicySchema,
  /** Teams of the sender (the receiver may allow only some of them: `peers[].allowedTeams`). */
  teams: z.array(teamSchema, { error: 'must be a list of {name, id}' }).default([]),
  /** The federation API versions the sender's wire-server speaks. */
  federationApiVersions: z
    .array(z.number().int().min(0).max(999), { error: 'must be a list of federation API version numbers' })
    .min(1, { error: 'must list at least one federation API version' }),
  /** The CA certificates that sign the sender's federator certificate (several during a CA rotation). */
  caCertificates: z.array(cardCaSchema, { error: 'must be a list of CA certificates' }).min(1, { error: 'must list at least one CA certificate' }),
  /** The sender's calling endpoints, when it federates calls. @default - the sender does not federate calls */
  calling: cardCallingSchema.optional(),
  /**
   * The backend domains the sender federates with (its peers), when it chose to share them
   * (`card export --with-peers`): `card add` then tells which of the receiver's peers the
   * sender does not federate with (Wire needs a full mesh for conversations across backends).
   */
  federatesWith: z
    .array(domain('backend domain of a peer of the sender'), { error: 'must be a list of backend domains' })
    .max(1000, { error: 'must list at most 1000 backend domains' })
    .optional(),
  /** Who to call or write to check the fingerprints. */
  contact: z
    .string({ error: 'must be a string: who to contact' })
    .min(1, { error: 'must not be empty: who to contact' })
    .max(300, { error: 'must be at most 300 characters' }),
  /** The day the card was made (YYYY-MM-DD). */
  date: z.iso.date({ error: 'must be a day as YYYY-MM-DD: when the card was made' }),
});

/** A validated federation card (domains normalized). */
export type FederationCard = z.output<typeof federationCardSchema>;
/** One CA certificate of a card. */
export type CardCa = z.output<typeof cardCaSchema>;
/** The calling endpoints of a card. */
export type CardCalling = z.output<typeof cardCallingSchema>;
