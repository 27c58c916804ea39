/**
 * Pairs that agree: when environments of one project federate with each other, both sides
 * must want it. A pure function over parsed configs (no cdktf), used by synth and by
 * `wire-federation check-pairs`.
 */
import type { PeerConfig, WireFederationConfig } from '../config';
import { pemFingerprint, splitPemCertificates } from '../core/pem';
import { defineCatalogue } from '../core/catalogue';
import type { Finding } from './finding';
import { ingressChart } from '../ingress/registry';
import { compareStrings as compare } from '../order';
import { CALLING_PAIR_RULES, callingOneWay } from './calling-pairs';

/** The pair rules: id, level and what each finds (docs/reference/checks.md). */
export const PAIR_RULES = defineCatalogue({
  'pair-not-mutual': { level: 'error', description: 'A lists B, but B (allowDynamic) does not list A' },
  'pair-blocked': { level: 'error', description: "A lists B, but B's strategy is allowNone" },
  'pair-untrusted-ca': {
    level: 'error',
    description: "A lists B but trusts no CA of B's; or B (allowAll) does not list A and trusts no CA of A's, so its ingress refuses A",
  },
  'pair-search-policy': { level: 'warning', description: 'A and B list each other with different search policies' },
  'pair-unknown-team': { level: 'error', description: "A allows B's users only from teams (`allowedTeams`) that B does not declare in its `teams`" },
  'pair-teams-undeclared': { level: 'warning', description: 'A restricts B to teams, but B declares no `teams`, so the ids cannot be checked' },
  ...CALLING_PAIR_RULES,
});

/** Ids of the pair rules. */
export type PairRuleId = keyof typeof PAIR_RULES;
/** @deprecated the name of {@link PairRuleId} before the catalogues had one style */
export type PairRule = PairRuleId;

/**
 * A pair finding: it belongs to the environment whose config holds the entry to fix, and names
 * the path of that entry (`peers[1]`, `peers[1].searchPolicy`, `peers[1].allowedTeams[0]`, `teams`).
 */
export interface PairFinding extends Finding<PairRuleId> {
  readonly environment: string;
  readonly path: string;
}

export interface CheckPairsOptions {
  /**
   * Where an environment is written (a file name, usually), named in the fix of each message.
   * @default - `the config of environment <environment>`
   */
  readonly sourceOf?: (config: WireFederationConfig) => string;
}

/**
 * Every one-sided setup between two of `configs`. A pair is checked when at least one of them
 * lists the other's backend domain as a peer:
 * - `pair-not-mutual` (error): A lists B, B does not list A and B's strategy is allowDynamic.
 * - `pair-blocked` (error): A lists B, B's strategy is allowNone.
 * - `pair-untrusted-ca` (error): A lists B but its peer entry trusts no CA of B; or B (allowAll)
 *   does not list A and trusts no CA of A, so B's ingress refuses A's client certificate.
 * - `pair-search-policy` (warning): both list each other with different search policies.
 * - `pair-unknown-team` (error): A lists B with `allowedTeams` (teams OF B whose users may find
 *   A's) naming a team id that B's `teams` does not declare: no user of B is in that team.
 * - `pair-teams-undeclared` (warning, B's finding): A restricts B to teams, but B declares no
 *   `teams`, so the ids cannot be checked.
 *
 * Findings are sorted by environment pair (names in order), then rule, then message.
 */
export function checkPairs(configs: readonly WireFederationConfig[], options: CheckPairsOptions = {}): PairFinding[] {
  const sourceOf = options.sourceOf ?? ((c: WireFederationConfig) => `the config of environment ${c.environment}`);
  const sorted: Array<{ pair: [string, string]; finding: PairFinding }> = [];
  for (let i = 0; i < configs.length; i++) {
    for (let j = i + 1; j < configs.length; j++) {
      const [a, b] = configs[i].environment <= configs[j].environment ? [configs[i], configs[j]] : [configs[j], configs[i]];
      // Same backend domain: a duplicate environment, reported where environments are added.
      if (a.backendDomain === b.backendDomain) continue;
      const findings = [
        ...oneWay(a, b, sourceOf),
        ...oneWay(b, a, sourceOf),
        ...searchPolicies(a, b, sourceOf),
        ...allowedTeams(a, b, sourceOf),
        ...allowedTeams(b, a, sourceOf),
        ...callingOneWay(a, b, sourceOf),
        ...callingOneWay(b, a, sourceOf),
      ];
      for (const finding of findings) sorted.push({ pair: [a.environment, b.environment], finding });
    }
  }
  return sorted
    .sort(
      (x, y) =>
        compare(x.pair[0], y.pair[0]) ||
        compare(x.pair[1], y.pair[1]) ||
        compare(x.finding.rule, y.finding.rule) ||
        compare(x.finding.message, y.finding.message),
    )
    .map((s) => s.finding);
}

type SourceOf = (config: WireFederationConfig) => string;

const name = (c: WireFederationConfig): string => `${c.environment} (${c.backendDomain})`;
const error = (rule: PairRuleId, at: WireFederationConfig, path: string, message: string): PairFinding => ({
  level: 'error',
  rule,
  environment: at.environment,
  path,
  message,
});

/** The first peer entry of `from` for `to`, with its index; undefined when `from` does not list `to`. */
function entryFor(from: WireFederationConfig, to: WireFederationConfig): { peer: PeerConfig; index: number } | undefined {
  const index = from.peers.findIndex((p) => p.domain === to.backendDomain);
  return index < 0 ? undefined : { peer: from.peers[index], index };
}

/** What `x` needs from `y` when `x` lists `y`; also the allowAll case where `y` does not list `x`. */
function oneWay(x: WireFederationConfig, y: WireFederationConfig, sourceOf: SourceOf): PairFinding[] {
  const entry = entryFor(x, y);
  if (entry === undefined) return [];
  const findings: PairFinding[] = [];
  const path = `peers[${entry.index}]`;
  const where = `${path} in ${sourceOf(x)}`;
  const back = entryFor(y, x);
  const addX = `add {domain: '${x.backendDomain}', caCertificates: [{environment: '${x.environment}'}]} to peers in ${sourceOf(y)}`;
  const strategy = y.federation.strategy;
  if (strategy === 'allowNone') {
    findings.push(
      error(
        'pair-blocked',
        x,
        path,
        `${name(x)} lists ${name(y)} as a peer (${where}), but ${y.environment} has federation.strategy allowNone: federation is off there, so ${y.environment} refuses ${x.environment}. ` +
          `Set federation.strategy to allowDynamic in ${sourceOf(y)}${back ? '' : ` and ${addX}`}, or remove ${where}.`,
      ),
    );
  } else if (back === undefined && strategy === 'allowDynamic') {
    findings.push(
      error(
        'pair-not-mutual',
        x,
        path,
        `${name(x)} lists ${name(y)} as a peer (${where}), but ${y.environment} does not list ${x.backendDomain} and its federation.strategy is allowDynamic, so ${y.environment} refuses ${x.environment}. ` +
          `To federate, ${addX}; otherwise remove ${where}.`,
      ),
    );
  } else if (back === undefined && strategy === 'allowAll' && !trustsAny(y, x)) {
    findings.push(
      error(
        'pair-untrusted-ca',
        x,
        path,
        `${name(x)} lists ${name(y)} as a peer (${where}); ${y.environment} allows all backends (federation.strategy allowAll) but does not list ${x.backendDomain} and trusts no CA of ${x.environment}, ` +
          `so its ingress (${ingressChart(y.ingress.chart).clientCaSource}: its own CA and its peers' CAs) refuses ${x.environment}'s client certificate. To federate, ${addX}.`,
      ),
    );
  }
  if (!entryTrusts(entry.peer, y)) {
    findings.push(
      error(
        'pair-untrusted-ca',
        x,
        path,
        `${name(x)} lists ${name(y)} as a peer (${where}) but trusts no CA of ${y.environment}: ${describeEntry(entry)}, and ${describePublished(y)}.${systemStoreNote(x)} ` +
          `Add {environment: '${y.environment}'}${y.pki.mode === 'provided' ? ` (or {file: …} with the CA certificate of ${y.environment}'s pki.caFile ${y.pki.caFile})` : ''} to peers[${entry.index}].caCertificates in ${sourceOf(x)}.`,
      ),
    );
  }
  return findings;
}

/** Fingerprints of the CA certificates `c` publishes that are known at synth (provided CA, previous CAs). */
function publishedFingerprints(c: WireFederationConfig): Set<string> {
  const pems = [...(c.pki.mode === 'provided' ? splitPemCertificates(c.pki.caPem) : []), ...c.pki.previousCaCertificates.flatMap(splitPemCertificates)];
  return new Set(pems.map(pemFingerprint));
}

/** Whether one peer entry names a CA that `y` publishes. */
function entryTrusts(peer: PeerConfig, y: WireFederationConfig): boolean {
  const published = publishedFingerprints(y);
  return peer.caCertificates.some((ca) => (ca.kind === 'environment' ? ca.environment === y.environment : published.has(pemFingerprint(ca.pem))));
}

/** Whether the whole trust bundle of `y` (its own CAs and every peer's CAs) holds a CA of `x`. */
function trustsAny(y: WireFederationConfig, x: WireFederationConfig): boolean {
  const published = publishedFingerprints(x);
  if ([...publishedFingerprints(y)].some((fp) => published.has(fp))) return true;
  return y.peers.some((p) => entryTrusts(p, x));
}

function describeEntry({ peer, index }: { peer: PeerConfig; index: number }): string {
  if (peer.caCertificates.length === 0) return `peers[${index}].caCertificates is empty`;
  const items = peer.caCertificates.map((ca) =>
    ca.kind === 'environment'
      ? `{environment: '${ca.environment}'}`
      : `a PEM (${ca.origin === 'inline' ? 'inline' : `from ${ca.origin}`}, SHA-256 ${pemFingerprint(ca.pem).slice(0, 16)}…)`,
  );
  return `peers[${index}].caCertificates holds ${items.join(', ')}`;
}

function describePublished(y: WireFederationConfig): string {
  const previous = y.pki.previousCaCertificates.length;
  const andPrevious = previous > 0 ? ` and ${previous} previous CA certificate${previous === 1 ? '' : 's'} (pki.previousCaCertificates)` : '';
  if (y.pki.mode === 'provided') {
    const fps = [...publishedFingerprints(y)].map((fp) => `${fp.slice(0, 16)}…`).join(', ');
    return `${y.environment} publishes the CA of pki.caFile ${y.pki.caFile}${andPrevious} (SHA-256 ${fps})`;
  }
  return `${y.environment} generates its CA at apply time (pki.mode ${y.pki.mode}), so only {environment: '${y.environment}'}${previous > 0 ? ` or one of its ${previous} pki.previousCaCertificates` : ''} names it`;
}

function systemStoreNote(x: WireFederationConfig): string {
  return x.federation.useSystemCaStore
    ? ` federation.useSystemCaStore of ${x.environment} does not help: a private CA is not in the system CA store, and the ingress checks client certificates against ${ingressChart(x.ingress.chart).clientCaSource} only.`
    : '';
}

/** Both list each other: the search policies should match (warning). */
function searchPolicies(a: WireFederationConfig, b: WireFederationConfig, sourceOf: SourceOf): PairFinding[] {
  const ab = entryFor(a, b);
  const ba = entryFor(b, a);
  if (ab === undefined || ba === undefined || ab.peer.searchPolicy === ba.peer.searchPolicy) return [];
  return [
    {
      level: 'warning',
      rule: 'pair-search-policy',
      environment: a.environment,
      path: `peers[${ab.index}].searchPolicy`,
      message:
        `${name(a)} lets users of ${b.environment} search with ${ab.peer.searchPolicy} (peers[${ab.index}].searchPolicy in ${sourceOf(a)}), but ${name(b)} lets users of ${a.environment} search with ${ba.peer.searchPolicy} (peers[${ba.index}].searchPolicy in ${sourceOf(b)}). ` +
        `Set both to the same policy unless the difference is intended.`,
    },
  ];
}

/**
 * `x` lists `y` with `allowedTeams`: those must be teams OF `y` (whose users may find x's), so
 * each must be declared in y's `teams`; when `y` declares none, a warning for `y`.
 */
function allowedTeams(x: WireFederationConfig, y: WireFederationConfig, sourceOf: SourceOf): PairFinding[] {
  const entry = entryFor(x, y);
  const teams = entry?.peer.allowedTeams;
  if (entry === undefined || teams === undefined || teams.length === 0) return [];
  const where = `peers[${entry.index}].allowedTeams`;
  if (y.teams.length === 0) {
    return [
      {
        level: 'warning',
        rule: 'pair-teams-undeclared',
        environment: y.environment,
        path: 'teams',
        message:
          `${name(y)} is restricted by ${name(x)} to teams [${teams.join(', ')}] (${where} in ${sourceOf(x)}: only users of these teams of ${y.environment} may find users of ${x.environment}), ` +
          `but ${y.environment} declares no teams, so the ids cannot be checked. Declare ${y.environment}'s teams as teams: [{name, id}] in ${sourceOf(y)}.`,
      },
    ];
  }
  const declared = new Map(y.teams.map((t) => [t.id.toLowerCase(), t.name]));
  const findings: PairFinding[] = [];
  teams.forEach((team, j) => {
    if (declared.has(team.toLowerCase())) return;
    findings.push({
      level: 'error',
      rule: 'pair-unknown-team',
      environment: x.environment,
      path: `${where}[${j}]`,
      message:
        `${name(x)} allows team ${team} of ${y.environment} (${where}[${j}] in ${sourceOf(x)}: only users of these teams of ${y.environment} may find users of ${x.environment}), ` +
        `but ${y.environment} declares no such team (its teams: ${[...declared].map(([id, n]) => `${n} ${id}`).join(', ')}). ` +
        `List team ids of ${y.environment} there (not ${x.environment}'s own), or declare the team in teams of ${sourceOf(y)}.`,
    });
  });
  return findings;
}
