/**
 * Builds our federation card from an environment's config and our CA certificates, and renders
 * it as YAML. Pure functions: the caller reads the files.
 */
import { Document, isSeq } from 'yaml';
import type { SearchPolicy, WireFederationConfig } from '../config';
import { DEFAULT_CLI } from '../config/command-hint';
import { validToDate } from '../core/x509';
import { normalizePem, parseCertificates, pemFingerprint } from '../core/pem';
import { ourFederationVersions } from '../verify/verify';
import { CARD_API_VERSION, CARD_KIND, FederationCard } from './schema';
import { cardSubject, ownChainDepth } from './validate';
import { coturnIssuerCommonName } from '../calling/endpoints';

/** Terraform output of a stack with our CA certificates (the PEM bundle peers trust). */
export const CA_CERTIFICATE_OUTPUT = 'ca_certificate_pem';

/** Our CA certificates for the card, and where they come from (said in the output of `card export`). */
export interface CardCaSource {
  /** PEM text of the CA certificate(s). */
  readonly pem: string;
  /** Where they come from, for people: e.g. `pki.caFile ca.pem` or `--ca-file red-ca.pem`. */
  readonly origin: string;
}

/**
 * The command that saves the stack output with our CA certificates to a file, for
 * `card export --ca-file` (private-ca and cert-manager modes: the CA is made by Terraform at
 * apply). `cdktf synth` writes the stack of environment `env` to `cdktf.out/stacks/<env>`.
 */
export function caOutputCommand(environment: string): string {
  return `terraform -chdir=cdktf.out/stacks/${environment} output -raw ${CA_CERTIFICATE_OUTPUT} > ${environment}-ca.pem`;
}

/**
 * Our CA certificates in the card: in provided mode the configured `pki.caFile` and
 * `pki.previousCaCertificates`; in private-ca and cert-manager mode the CA is created by
 * Terraform at apply, so it comes from `given` (the stack output saved to a file).
 * @returns the source, or why there is none (one line, with the fix)
 */
export function cardCaSource(config: WireFederationConfig, given: CardCaSource | undefined): CardCaSource | { readonly error: string } {
  const pki = config.pki;
  if (pki.mode === 'provided') {
    if (given !== undefined) {
      return {
        error: `${given.origin}: environment ${config.environment} uses pki.mode provided, whose CA is pki.caFile ${pki.caFile}; leave --ca-file out (or change pki.caFile)`,
      };
    }
    const previous = pki.previousCaCertificates.length > 0 ? ` and pki.previousCaCertificates (${pki.previousCaCertificates.length})` : '';
    return { pem: [pki.caPem, ...pki.previousCaCertificates].join('\n'), origin: `pki.caFile ${pki.caFile}${previous}` };
  }
  if (given === undefined) {
    return {
      error: `environment ${config.environment} uses pki.mode ${pki.mode}: its CA is created by Terraform at apply, so give it with --ca-file <file>, the stack output ${CA_CERTIFICATE_OUTPUT} saved after cdktf deploy: ${caOutputCommand(config.environment)}`,
    };
  }
  return given;
}

export interface BuildCardOptions {
  /** Our CA certificate(s), PEM (see {@link cardCaSource}). */
  readonly caPem: string;
  /** Who the partner calls to check the fingerprints (an email address, a phone number). */
  readonly contact: string;
  /** The day of the card, YYYY-MM-DD. */
  readonly date: string;
  /**
   * Our federation API versions. @default - those of the configured wire-server chart version
   */
  readonly federationApiVersions?: readonly number[];
  /**
   * The search policy we would like the partner to give our users.
   * @default - see {@link defaultCardSearchPolicy}
   */
  readonly searchPolicy?: SearchPolicy;
  /** List our peers' domains in `federatesWith` (the receiver's `card add` checks the mesh with them). @default false */
  readonly withPeers?: boolean;
}

/**
 * The search policy a card asks for when none is given: the one we give our peers when all
 * agree, else `no_search`; with why (for the output of `card export`).
 */
export function defaultCardSearchPolicy(config: WireFederationConfig): { readonly policy: SearchPolicy; readonly reason: string } {
  const policies = [...new Set(config.peers.map((p) => p.searchPolicy))];
  if (policies.length === 1) return { policy: policies[0], reason: `the one we give our ${config.peers.length === 1 ? 'peer' : 'peers'}` };
  return { policy: 'no_search', reason: policies.length === 0 ? 'we have no peers yet' : `our peers get different ones (${policies.join(', ')})` };
}

/**
 * The card of `config`: CA certificates ordered by fingerprint and deduplicated (as in the trust
 * bundle), the search policy we would like (given, else {@link defaultCardSearchPolicy}), our
 * declared teams.
 * @throws Error when `caPem` holds no certificate (callers check with `parseCertificates` first)
 */
export function buildCard(config: WireFederationConfig, options: BuildCardOptions): FederationCard {
  const parsed = parseCertificates(options.caPem);
  if ('error' in parsed) throw new Error(`the CA certificates ${parsed.error}`);
  const byFingerprint = new Map<string, string>();
  for (const pem of parsed.pems) byFingerprint.set(pemFingerprint(pem), normalizePem(pem));
  const cas = [...byFingerprint.keys()].sort().map((fp) => {
    const pem = byFingerprint.get(fp)!;
    const certificate = parsed.certificates[parsed.pems.indexOf(pem)];
    return { sha256: certificate.fingerprint256, subject: cardSubject(certificate), notAfter: validToDate(certificate).toISOString(), pem: `${pem}\n` };
  });
  const chart = config.ingress.chart;
  return {
    apiVersion: CARD_API_VERSION,
    kind: CARD_KIND,
    backendDomain: config.backendDomain,
    federator: { domain: config.federatorDomain, port: config.dns.srv.port, chainDepth: ownChainDepth(config) },
    ingress: chart === 'nginx-ingress-services' ? { chart, verifyDepth: config.federation.verifyDepth } : { chart },
    searchPolicy: options.searchPolicy ?? defaultCardSearchPolicy(config).policy,
    teams: config.teams.map((t) => ({ name: t.name, id: t.id })),
    federationApiVersions: [...ourFederationVersions(config, options.federationApiVersions).list],
    caCertificates: cas,
    ...cardCalling(config),
    ...(options.withPeers ? { federatesWith: config.peers.map((p) => p.domain).sort() } : {}),
    contact: options.contact,
    date: options.date,
  };
}

/** Our calling endpoints for the card (`calling`), when we federate calls. */
function cardCalling(config: WireFederationConfig): Pick<FederationCard, 'calling'> {
  const coturn = config.calling.coturn;
  if (!config.calling.enabled || coturn === undefined) return {};
  const issuer = coturnIssuerCommonName(config);
  return {
    calling: {
      coturn: {
        host: coturn.host,
        publicIps: [...coturn.publicIps],
        port: coturn.federationPort,
        dtls: coturn.dtls,
        ...(issuer !== undefined ? { issuerCommonName: issuer } : {}),
      },
    },
  };
}

export interface RenderCardOptions {
  /**
   * The CLI the receiver starts, in the comment that says how to add the card (the receiver's
   * project is unknown: the library's CLI through npx by default).
   * @default 'npx wire-federation'
   */
  readonly cli?: string;
}

/** The card as YAML, with a comment that says what it is and how to check it. */
export function renderCard(card: FederationCard, options: RenderCardOptions = {}): string {
  const doc = new Document(card);
  const versions = doc.get('federationApiVersions', true);
  if (isSeq(versions)) versions.flow = true;
  doc.commentBefore = [
    ` Federation card of ${card.backendDomain} (${card.date}): public material only, safe to send by email.`,
    ' Before trusting it, check each caCertificates[].sha256 with the sender over the phone',
    ` (${card.contact}); openssl x509 -noout -fingerprint -sha256 prints the same form.`,
    ` Add it with: ${options.cli ?? DEFAULT_CLI} card add <environment or config file> <this file>`,
  ].join('\n');
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
