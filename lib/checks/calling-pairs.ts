/**
 * Pairs that agree on federated calls: when two environments of one project federate calls, the
 * calling endpoints each lists for the other (coturn host, public IPs, port, DTLS, issuer CN) are
 * the other's own, and both sides whitelist each other. Pure (no cdktf); part of `checkPairs`.
 * The CAs are the federator's (coturn's CA bundle is the same trust bundle), so
 * `pair-untrusted-ca` covers them.
 */
import type { PeerConfig, WireFederationConfig } from '../config';
import { ownCoturnIssuerCommonName } from '../calling/endpoints';
import { defineCatalogue } from '../core/catalogue';
import type { Finding } from './finding';
import { compareStrings } from '../order';

/** The calling pair rules (docs/reference/checks.md). */
export const CALLING_PAIR_RULES = defineCatalogue({
  'pair-calling-endpoints': {
    level: 'error',
    description:
      "A lists calling endpoints for B (peers[].calling) that are not B's own: coturn host, public IPs, federation port or DTLS differ from B's calling.coturn",
  },
  'pair-calling-issuer': {
    level: 'error',
    description: "A whitelists B's coturn with an issuer CN (peers[].calling.issuerCommonName) that is not the CA that issues B's coturn certificate",
  },
  'pair-calling-off': {
    level: 'error',
    description:
      "A lists calling endpoints for B, but B does not federate calls (calling off), or B says calling: false for A / lists no endpoints for A, so B refuses A's coturn",
  },
});

type CallingPairRule = keyof typeof CALLING_PAIR_RULES;
type SourceOf = (config: WireFederationConfig) => string;

const name = (c: WireFederationConfig): string => `${c.environment} (${c.backendDomain})`;
/** A pair finding of a calling rule (the shape of `PairFinding`: environment and path as data). */
type CallingPairFinding = Finding<CallingPairRule> & { readonly environment: string; readonly path: string };
const error = (rule: CallingPairRule, environment: string, path: string, message: string): CallingPairFinding => ({
  level: 'error',
  rule,
  environment,
  path,
  message,
});
const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  JSON.stringify([...new Set(a)].sort(compareStrings)) === JSON.stringify([...new Set(b)].sort(compareStrings));

function entryFor(from: WireFederationConfig, to: WireFederationConfig): { peer: PeerConfig; index: number } | undefined {
  const index = from.peers.findIndex((p) => p.domain === to.backendDomain);
  return index < 0 ? undefined : { peer: from.peers[index], index };
}

/** What `x` says about `y`'s calling endpoints, against `y`'s own config. */
export function callingOneWay(x: WireFederationConfig, y: WireFederationConfig, sourceOf: SourceOf): CallingPairFinding[] {
  const entry = entryFor(x, y);
  const calling = entry?.peer.calling;
  if (entry === undefined || !x.calling.enabled || calling === undefined || calling === false) return [];
  const where = `peers[${entry.index}].calling`;
  const ours = y.calling.coturn;
  if (!y.calling.enabled || ours === undefined) {
    return [
      error(
        'pair-calling-off',
        x.environment,
        where,
        `${name(x)} lists calling endpoints for ${name(y)} (${where} in ${sourceOf(x)}), but ${y.environment} does not federate calls (calling.enabled is not true in ${sourceOf(y)}): calls between them fail. Turn calling on in ${sourceOf(y)}, or set ${where}: false.`,
      ),
    ];
  }
  const findings: CallingPairFinding[] = [];
  const differences: string[] = [];
  if (calling.coturnHost !== ours.host) differences.push(`coturnHost is ${calling.coturnHost}, ${y.environment}'s coturn host is ${ours.host}`);
  if (!sameSet(calling.publicIps, ours.publicIps))
    differences.push(`publicIps are [${calling.publicIps.join(', ')}], ${y.environment}'s coturn public IPs are [${ours.publicIps.join(', ')}]`);
  if (calling.federationPort !== ours.federationPort)
    differences.push(`federationPort is ${calling.federationPort}, ${y.environment}'s is ${ours.federationPort}`);
  if (calling.dtls !== ours.dtls) differences.push(`dtls is ${calling.dtls}, ${y.environment}'s is ${ours.dtls}`);
  if (differences.length > 0) {
    findings.push(
      error(
        'pair-calling-endpoints',
        x.environment,
        where,
        `${name(x)} lists calling endpoints for ${name(y)} that are not ${y.environment}'s own (${where} in ${sourceOf(x)}): ${differences.join('; ')}. ` +
          `Set ${where} to {coturnHost: '${ours.host}', publicIps: [${ours.publicIps.map((ip) => `'${ip}'`).join(', ')}]${ours.federationPort !== 9191 ? `, federationPort: ${ours.federationPort}` : ''}${ours.dtls ? '' : ', dtls: false'}${calling.issuerCommonName !== undefined ? `, issuerCommonName: …` : ''}}.`,
      ),
    );
  }
  const issuer = ownCoturnIssuerCommonName(y);
  if (calling.issuerCommonName !== undefined && issuer !== undefined && calling.issuerCommonName !== issuer) {
    findings.push(
      error(
        'pair-calling-issuer',
        x.environment,
        `${where}.issuerCommonName`,
        `${name(x)} whitelists ${y.environment}'s coturn with issuer ${JSON.stringify(calling.issuerCommonName)} (${where}.issuerCommonName in ${sourceOf(x)}), but ${y.environment}'s coturn certificate is issued by ${JSON.stringify(issuer)} (its signing CA, pki.mode ${y.pki.mode}): ${x.environment}'s coturn refuses it. Set it to ${JSON.stringify(issuer)}, or leave it out.`,
      ),
    );
  }
  const back = entryFor(y, x);
  if (back !== undefined && (back.peer.calling === false || back.peer.calling === undefined)) {
    const backWhere = `peers[${back.index}].calling`;
    findings.push(
      error(
        'pair-calling-off',
        y.environment,
        backWhere,
        `${name(x)} federates calls with ${name(y)} (${where} in ${sourceOf(x)}), but ${y.environment} ${back.peer.calling === false ? `says ${backWhere}: false` : `lists no calling endpoints for ${x.environment} (${backWhere})`}, so ${y.environment}'s coturn does not whitelist ${x.environment}'s. ` +
          (x.calling.coturn !== undefined
            ? `Set ${backWhere} in ${sourceOf(y)} to {coturnHost: '${x.calling.coturn.host}', publicIps: [${x.calling.coturn.publicIps.map((ip) => `'${ip}'`).join(', ')}]${ownCoturnIssuerCommonName(x) !== undefined ? `, issuerCommonName: '${ownCoturnIssuerCommonName(x)}'` : ''}}.`
            : `Give ${x.environment} a calling.coturn first.`),
      ),
    );
  }
  return findings;
}
