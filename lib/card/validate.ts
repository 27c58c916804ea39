/**
 * Checks of a federation card beyond its schema: the certificates (each parses, is a CA, is
 * valid now, and is the one its fingerprint names), and, for `card add`, the card against the
 * receiving environment (not our own domain, not already a peer, chain depths that fit), and
 * its calling endpoints (offline; the DTLS handshake is verify's).
 * Pure functions: no file, no network.
 */
import { X509Certificate } from 'node:crypto';
import type { WireFederationConfig } from '../config';
import { DEFAULT_CLI } from '../config/command-hint';
import { validToDate } from '../core/x509';
import { peerCaProblems, tooManyCas } from '../pki/peer-ca';
import { parseCertificates } from '../core/pem';
import { unreachableRange } from '../checks/rules/ingress-address';
import { formatVersions, versionOverlap } from '../verify/federation-versions';
import type { CardCa, FederationCard } from './schema';

/** A problem of a card: `error` refuses it, `warning` is printed and does not. */
export interface CardProblem {
  readonly level: 'error' | 'warning';
  /** One line: what is wrong, with the values, and what to do. */
  readonly message: string;
}

/** A CA certificate of the card, parsed and checked. */
export interface CheckedCa {
  readonly entry: CardCa;
  readonly certificate: X509Certificate;
  /** The PEM, normalized. */
  readonly pem: string;
}

/** Result of {@link checkCardCertificates}. */
export interface CardCertificates {
  readonly cas: readonly CheckedCa[];
  readonly problems: readonly CardProblem[];
}

const error = (message: string): CardProblem => ({ level: 'error', message });
const warning = (message: string): CardProblem => ({ level: 'warning', message });

/** Days left before a CA of a card expires under which `card add` warns. */
export const CARD_CA_EXPIRY_WARNING_DAYS = 30;

/** The subject of a certificate as a card writes it: one line, RDNs separated by ", ". */
export function cardSubject(certificate: X509Certificate): string {
  return certificate.subject.replace(/\n/g, ', ');
}

export interface CheckCardCertificatesOptions {
  /**
   * The CLI as the user starts it, for the commands messages name (`<cli> card export`).
   * @default 'npx wire-federation'
   */
  readonly cli?: string;
}

/**
 * Checks each CA certificate of the card: one certificate per entry, it parses, it is a CA
 * (basicConstraints CA:TRUE), it is valid at `now`, and its SHA-256 fingerprint is the one the
 * entry gives (a card whose PEM was replaced but whose fingerprint was kept is refused). The
 * subject and notAfter of the entry are checked against the certificate only when the
 * fingerprint matches.
 */
export function checkCardCertificates(card: FederationCard, now: Date, options: CheckCardCertificatesOptions = {}): CardCertificates {
  const problems: CardProblem[] = [];
  const cas: CheckedCa[] = [];
  card.caCertificates.forEach((entry, i) => {
    const at = `caCertificates[${i}]`;
    const parsed = parseCertificates(entry.pem);
    if ('error' in parsed) {
      problems.push(error(`${at}.pem: is not a PEM certificate: it ${parsed.error}; ask the sender for a new card`));
      return;
    }
    if (parsed.pems.length !== 1) {
      problems.push(error(`${at}.pem: holds ${parsed.pems.length} certificates; a card lists each CA certificate in its own entry with its own fingerprint`));
      return;
    }
    const certificate = parsed.certificates[0];
    const fingerprint = certificate.fingerprint256;
    if (fingerprint !== entry.sha256) {
      problems.push(
        error(
          `${at}: the certificate's SHA-256 fingerprint is ${fingerprint}, but the card says ${entry.sha256}: the certificate was replaced or the card edited; do not trust it, ask the sender (${card.contact}) for the fingerprint over the phone and for a new card`,
        ),
      );
      return;
    }
    const notAfter = validToDate(certificate).toISOString();
    if (new Date(entry.notAfter).toISOString() !== notAfter) {
      problems.push(
        error(`${at}.notAfter: is ${entry.notAfter}, but the certificate is valid until ${notAfter}: the card was edited; ask the sender for a new card`),
      );
      return;
    }
    if (entry.subject !== cardSubject(certificate)) {
      problems.push(
        error(
          `${at}.subject: is "${entry.subject}", but the certificate's subject is "${cardSubject(certificate)}": the card was edited; ask the sender for a new card`,
        ),
      );
      return;
    }
    cas.push({ entry, certificate, pem: parsed.pems[0] });
  });
  // The bar every peer CA meets, in cards and configs alike (lib/pki/peer-ca).
  const facts = { federatorDomain: card.federator.domain, chainDepth: card.federator.chainDepth, now };
  const accepted: CheckedCa[] = [];
  for (const ca of cas) {
    const found = peerCaProblems(
      ca.certificate,
      facts,
      cas.map((c) => c.certificate),
    );
    const at = `caCertificates[${card.caCertificates.indexOf(ca.entry)}]`;
    for (const p of found)
      problems.push({
        level: p.level,
        message: `${at}: ${p.message}${p.code === 'not-ca' ? `; a card is made by \`${options.cli ?? DEFAULT_CLI} card export\`` : ''}`,
      });
    if (!found.some((p) => p.level === 'error')) accepted.push(ca);
  }
  const many = tooManyCas(card.caCertificates.length);
  if (many !== undefined) problems.push(error(`caCertificates: ${many.message}; ask the sender for a new card`));
  const fingerprints = card.caCertificates.map((c) => c.sha256);
  const twice = fingerprints.find((f, i) => fingerprints.indexOf(f) !== i);
  if (twice !== undefined) problems.push(error(`caCertificates: lists the certificate ${twice} twice; ask the sender for a new card`));
  problems.push(...checkCardCalling(card, cas));
  return { cas: accepted, problems };
}

/**
 * The card's calling endpoints, offline (the DTLS handshake is verify's): the coturn host is not
 * the federator's, its addresses are reachable from the internet, DTLS is on, and the issuer CN it
 * names is one of the card's CAs (our coturn trusts the peer's coturn certificate through the CAs
 * of its card only, the same bundle as the federator's).
 */
export function checkCardCalling(card: FederationCard, cas: readonly CheckedCa[]): CardProblem[] {
  const coturn = card.calling?.coturn;
  if (coturn === undefined) return [];
  const problems: CardProblem[] = [];
  if (coturn.host === card.federator.domain) {
    problems.push(
      error(
        `calling.coturn.host: is ${coturn.host}, the federator domain of the card: coturn needs a name of its own (its records point at the coturn servers); ask the sender (${card.contact}) for a correct card`,
      ),
    );
  }
  coturn.publicIps.forEach((ip, i) => {
    const range = unreachableRange(ip);
    if (range !== undefined)
      problems.push(
        warning(
          `calling.coturn.publicIps[${i}]: is ${ip}, a ${range} address, which our coturn cannot reach over the internet; ask ${card.contact} for the public address`,
        ),
      );
  });
  if (!coturn.dtls)
    problems.push(
      warning(
        `calling.coturn.dtls: is false: ${card.backendDomain}'s coturn federates without DTLS (no authentication, no encryption of the link); ours must do the same to talk to it. Ask ${card.contact} to turn DTLS on`,
      ),
    );
  const issuer = coturn.issuerCommonName;
  if (issuer !== undefined && cas.length > 0 && !cas.some((c) => commonNameOf(c.certificate) === issuer)) {
    const names = cas.map((c) => commonNameOf(c.certificate) ?? cardSubject(c.certificate));
    problems.push(
      warning(
        `calling.coturn.issuerCommonName: is ${JSON.stringify(issuer)}, but no CA of the card has that common name (${names.map((n) => JSON.stringify(n)).join(', ')}): our coturn trusts ${card.backendDomain}'s coturn certificate through the card's CAs only, so a certificate from that issuer would be refused. Ask ${card.contact} which CA issues their coturn certificate`,
      ),
    );
  }
  return problems;
}

/** The common name (CN) of a certificate's subject, if it has one. */
function commonNameOf(certificate: X509Certificate): string | undefined {
  return /^CN=(.*)$/m.exec(certificate.subject)?.[1];
}

/** The chain depth our federator certificate has below our CA (what a peer's verify depth must allow). */
export function ownChainDepth(config: WireFederationConfig): number {
  return config.pki.mode === 'provided' ? config.pki.chainDepth : 1;
}

/**
 * The card against the environment that adds it: not its own backend or federator domain, not
 * already a peer, the sender's chain within our verify depth (nginx-ingress-services), and
 * warnings for what only the sender can change (their verify depth against our chain, no common
 * federation API version).
 * @param ourVersions - our federation API versions
 */
export function checkCardForEnvironment(card: FederationCard, config: WireFederationConfig, ourVersions: readonly number[]): CardProblem[] {
  const problems: CardProblem[] = [];
  const d = card.backendDomain;
  if (d === config.backendDomain) {
    problems.push(
      error(
        `backendDomain: is ${d}, the backend domain of environment ${config.environment} itself: this is our own card (or an edited one); add the card the partner sent`,
      ),
    );
    return problems;
  }
  if (card.federator.domain === config.federatorDomain) {
    problems.push(
      error(
        `federator.domain: is ${card.federator.domain}, the federator domain of environment ${config.environment} itself: two backends cannot share a federator; ask the sender for a correct card`,
      ),
    );
  }
  const existing = config.peers.findIndex((p) => p.domain === d);
  if (existing >= 0) {
    problems.push(
      error(
        `backendDomain: ${d} is already a peer of environment ${config.environment} (peers[${existing}]): edit that entry to change it (e.g. a new CA), or remove it first`,
      ),
    );
  }
  if (config.ingress.chart === 'nginx-ingress-services' && card.federator.chainDepth > config.federation.verifyDepth) {
    problems.push(
      error(
        `federator.chainDepth: ${d}'s federator certificate is ${card.federator.chainDepth} certificates below its CA, but our ingress accepts client certificate chains up to federation.verifyDepth ${config.federation.verifyDepth} (nginx tls.verify_depth): set federation.verifyDepth to ${card.federator.chainDepth} in the config of ${config.environment} first`,
      ),
    );
  }
  const ours = ownChainDepth(config);
  if (card.ingress.verifyDepth !== undefined && ours > card.ingress.verifyDepth) {
    problems.push(
      warning(
        `ingress.verifyDepth: ${d}'s ingress accepts client certificate chains up to depth ${card.ingress.verifyDepth}, but our federator certificate is ${ours} below our CA: ask ${d} (${card.contact}) to set federation.verifyDepth (tls.verify_depth) to ${ours}, or it refuses our calls`,
      ),
    );
  }
  problems.push(...callingForEnvironment(card, config));
  const overlap = versionOverlap(ourVersions, card.federationApiVersions);
  if (overlap.kind === 'none') {
    problems.push(
      warning(
        `federationApiVersions: ${d} speaks federation API versions ${formatVersions(card.federationApiVersions)}, we speak ${formatVersions(ourVersions)}: no common version, the backends cannot talk until ${overlap.older === 'ours' ? 'we upgrade wire-server' : `${d} upgrades wire-server`}`,
      ),
    );
  }
  return problems;
}

/** The card's calling endpoints against the environment that adds it. */
function callingForEnvironment(card: FederationCard, config: WireFederationConfig): CardProblem[] {
  const d = card.backendDomain;
  const ours = config.calling.coturn;
  const theirs = card.calling?.coturn;
  if (!config.calling.enabled || ours === undefined) return [];
  if (theirs === undefined) {
    return [
      warning(
        `calling: the card carries no calling endpoints, but environment ${config.environment} federates calls: ask ${d} (${card.contact}) whether it federates calls, and for its coturn host, the public IPs of its coturn servers and the common name of the CA that issues its coturn certificate (a card exported with calling on carries them); then set peers[].calling, or calling: false`,
      ),
    ];
  }
  const problems: CardProblem[] = [];
  if (theirs.host === ours.host)
    problems.push(
      error(
        `calling.coturn.host: is ${theirs.host}, the coturn host of environment ${config.environment} itself: ask ${d} (${card.contact}) for a correct card`,
      ),
    );
  if (theirs.dtls !== ours.dtls)
    problems.push(
      error(
        `calling.coturn.dtls: ${d}'s coturn federates ${theirs.dtls ? 'over DTLS' : 'without DTLS'}, ours ${ours.dtls ? 'over DTLS' : 'without'} (calling.coturn.dtls of ${config.environment}): the two cannot talk; agree on DTLS with ${card.contact}`,
      ),
    );
  return problems;
}
