/**
 * The `calling` section of the config (federated calls: coturn and SFT) and the calling endpoints
 * of a peer (`peers[].calling`). See docs/federate-calls.md.
 *
 * Calls between users of two backends need, on each side, coturn federating over DTLS (port 9191)
 * with a certificate valid for server AND client authentication, a whitelist entry per peer, the
 * peers' CAs and the peers' coturn addresses in the rate-limit allowlist; and sftd with multiSFT,
 * with brig announcing every SFT server.
 */
import { z } from 'zod';
import { domainField, intIn, nonEmpty } from './fields';

/** The federation (DTLS) port of coturn, Wire's default (`federate.port`). */
export const COTURN_FEDERATION_PORT = 9191;
/** coturn's TURN port (`coturnTurnListenPort`), which sftd reaches as a TURN client. */
export const COTURN_TURN_PORT = 3478;

/** Placeholders the coturn chart resolves at pod start (its `coturn*IP` values). */
export const COTURN_IP_PLACEHOLDERS = ['__COTURN_HOST_IP__', '__COTURN_EXT_IP__', '__COTURN_POD_IP__'] as const;

const publicIps = (whose: string) =>
  z
    .array(z.union([z.ipv4(), z.ipv6()], { error: `must be an IPv4 or IPv6 address: a public address of ${whose}` }), {
      error: `must be a list of IP addresses: the public addresses of ${whose}`,
    })
    .min(1, { error: `must list at least one address: the public addresses of ${whose}` })
    .max(32, { error: `must list at most 32 addresses: the public addresses of ${whose}` });

/**
 * The CA common name that issues a coturn certificate, for a whitelist entry
 * (`federation-remote-whitelist=<host>,<issuer CN>`). One line of printable text: coturn's
 * config file takes it verbatim.
 */
const issuerCommonName = z
  .string({ error: 'must be a string: the common name (CN) of the CA that issues the coturn certificate' })
  .min(1, { error: 'must not be empty: the common name of the issuing CA' })
  .max(64, { error: 'must be at most 64 characters (an X.509 common name)' })
  .regex(/^[\x20-\x7e]+$/, { error: 'must be printable ASCII on one line (it is written into turnserver.conf)' })
  .refine((v) => v.trim() === v, { error: 'must not start or end with a space' })
  .refine((v) => !v.includes(','), { error: 'must not contain "," (coturn splits the whitelist entry at the comma)' });

/** A brought coturn certificate (`pki.mode: provided`): files, checked at synth. */
const coturnCertificateSchema = z.strictObject({
  /** PEM file: the coturn certificate (server AND client usage, the coturn host in its SAN), then intermediates. */
  certificateFile: nonEmpty('path of the coturn certificate chain PEM file'),
  /**
   * PEM file of its private key: read by Terraform at apply (`file()`), never copied into the
   * synthesized JSON. @default - the sensitive variable `coturn_dtls_private_key`
   */
  keyFile: nonEmpty('path of the coturn private key PEM file').optional(),
});

/** Our coturn: where peers reach it for federation. */
export const coturnSchema = z.strictObject({
  /**
   * The host name peers reach our coturn at for federation: the DNS name in its DTLS
   * certificate and in the peers' whitelist entry for us (`federation-remote-whitelist`).
   */
  host: domainField('coturn host'),
  /**
   * The public addresses of our coturn servers: the A/AAAA records of `host`, and what peers
   * put into their rate-limit allowlist.
   */
  publicIps: publicIps('our coturn servers'),
  /** The federation port (`federate.port`; DTLS when `dtls` is on). Peers must reach it over UDP. */
  federationPort: intIn(1, 65535, 'coturn federation port').default(COTURN_FEDERATION_PORT),
  /**
   * Federate over DTLS with mutual authentication (`federate.dtls.enabled`). Off means plain UDP
   * between the coturn servers (`federation-no-dtls=true`): a warning, and every peer must do
   * the same. @default true
   */
  dtls: z.boolean({ error: 'must be true or false' }).default(true),
  /** coturn's TURN port (`coturnTurnListenPort`): sftd's TURN server URI. */
  turnPort: intIn(1, 65535, 'coturn TURN port').default(COTURN_TURN_PORT),
  /**
   * The address the federation listener binds to (`coturnFederationListeningIP`): an address on
   * the node, or a placeholder the chart resolves (`__COTURN_HOST_IP__`, `__COTURN_EXT_IP__`,
   * `__COTURN_POD_IP__`). @default __COTURN_HOST_IP__ (Wire's federation guide)
   */
  federationListeningIp: z
    .union([z.enum(COTURN_IP_PLACEHOLDERS), z.ipv4(), z.ipv6()], { error: `must be an IP address or one of ${COTURN_IP_PLACEHOLDERS.join(', ')}` })
    .default('__COTURN_HOST_IP__'),
  /**
   * Create the A/AAAA records of `host` (its `publicIps`) through `dns.provider`, in the
   * infrastructure zone. Switch off when another system manages that name. @default true
   */
  dnsRecords: z.boolean({ error: 'must be true or false' }).default(true),
  /**
   * The brought DTLS certificate (`pki.mode: provided` only: the other modes issue it from our
   * CA, like the federator's). Signed by `pki.caFile`'s CA, which peers already trust.
   * @default - required with pki.mode provided
   */
  certificate: coturnCertificateSchema.optional(),
});

/** Our SFT servers. */
export const sftdSchema = z.strictObject({
  /**
   * The public addresses of our SFT servers: they go into coturn's rate-limit allowlist (our SFT
   * servers authenticate to coturn as TURN clients). @default - none (a warning)
   */
  publicIps: publicIps('our SFT servers').optional(),
  /**
   * The TURN server sftd uses for calls with remote SFT servers (`multiSFT.turnServerURI`).
   * @default - turn:<calling.coturn.host>:<calling.coturn.turnPort>
   */
  turnServerUri: z
    .string({ error: 'must be a string: a TURN URI such as turn:coturn.example.com:3478' })
    .regex(/^turns?:[^\s]+$/, { error: 'must be a TURN URI such as turn:coturn.example.com:3478 or turn:203.0.113.5:3478?transport=udp' })
    .optional(),
});

/**
 * `calling`: federated calls (coturn federation over DTLS, sftd with multiSFT, brig's SFT
 * settings). Off by default. Needs `charts.coturn` and `charts.sftd` (install, or adopt the
 * running releases) and the calling endpoints of every peer (`peers[].calling`).
 */
export const callingSchema = z
  .strictObject({
    /** Federate calls. @default false */
    enabled: z.boolean({ error: 'must be true or false' }).default(false),
    /** Our coturn. @default - required when enabled */
    coturn: coturnSchema.optional(),
    /** Our SFT servers. */
    sftd: sftdSchema.default({}),
  })
  .superRefine((calling, ctx) => {
    if (calling.enabled && calling.coturn === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['coturn'],
        message: 'is required when calling.enabled is true: {host: <coturn host peers reach>, publicIps: [<its public addresses>]}',
      });
    }
  })
  .default({ enabled: false, sftd: {} });

/**
 * The calling endpoints of a peer: what its operator tells us (its federation card carries
 * them). `false`: this peer does not federate calls with us (no finding).
 */
export const peerCallingSchema = z.union(
  [
    z.strictObject({
      /** The peer's coturn host (its DTLS certificate's name): our whitelist entry for it. */
      coturnHost: domainField('peer coturn host'),
      /** The public addresses of the peer's coturn servers: our rate-limit allowlist. */
      publicIps: publicIps("the peer's coturn servers"),
      /** The peer's coturn federation port. */
      federationPort: intIn(1, 65535, "the peer's coturn federation port").default(COTURN_FEDERATION_PORT),
      /**
       * The common name of the CA that issues the peer's coturn certificate: our whitelist entry
       * then accepts only that issuer (`<host>,<issuer CN>`).
       * @default - any issuer our CA bundle trusts (the entry is the host alone)
       */
      issuerCommonName: issuerCommonName.optional(),
      /** Whether the peer's coturn federates over DTLS; both sides must agree. @default true */
      dtls: z.boolean({ error: 'must be true or false' }).default(true),
    }),
    z.literal(false),
  ],
  { error: 'must be {coturnHost, publicIps, federationPort?, issuerCommonName?, dtls?}, or false when the peer does not federate calls' },
);

export type CallingConfig = z.output<typeof callingSchema>;
export type CoturnConfig = z.output<typeof coturnSchema>;
export type SftdConfig = z.output<typeof sftdSchema>;
/** A peer's calling endpoints, or false (the peer does not federate calls). */
export type PeerCallingConfig = z.output<typeof peerCallingSchema>;
/** A peer's calling endpoints when it federates calls. */
export type PeerCallingEndpoints = Exclude<PeerCallingConfig, false>;
