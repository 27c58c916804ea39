/**
 * What `card add` writes: the peer entry for a partner's card, the edited YAML/JSON config text
 * (comments and order kept), the entry to paste into a TypeScript config, and the steps left on
 * both sides. Pure functions: the caller reads and writes the files.
 */
import { isMap, isSeq, parseDocument } from 'yaml';
import type { SearchPolicy } from '../config';
import type { FederationCard } from './schema';

/** The `peers[]` entry `card add` writes (the config's input form). */
export interface CardPeerEntry {
  readonly domain: string;
  readonly searchPolicy: SearchPolicy;
  readonly caCertificates: ReadonlyArray<{ readonly file: string } | { readonly pem: string }>;
  readonly allowedTeams?: readonly string[];
}

export interface PeerEntryOptions {
  /** The CA bundle as the config names it: a path (relative to the config's base directory). */
  readonly caFile: string;
  /** @default - the search policy the card asks for */
  readonly searchPolicy?: SearchPolicy;
  /** Team ids of the partner whose users may find ours. @default - all users of the partner */
  readonly allowedTeams?: readonly string[];
}

/** The peer entry for `card`. */
export function peerEntry(card: FederationCard, options: PeerEntryOptions): CardPeerEntry {
  return {
    domain: card.backendDomain,
    searchPolicy: options.searchPolicy ?? card.searchPolicy,
    caCertificates: [{ file: options.caFile }],
    ...(options.allowedTeams !== undefined && options.allowedTeams.length > 0 ? { allowedTeams: [...options.allowedTeams] } : {}),
  };
}

/**
 * Resolves `--allowed-teams` values (team ids or names of the card's teams) to ids.
 * @returns the ids, or one line per value that is neither (a card without teams accepts any UUID)
 */
export function resolveAllowedTeams(card: FederationCard, values: readonly string[]): { ids: string[] } | { problems: string[] } {
  const ids: string[] = [];
  const problems: string[] = [];
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  for (const value of values) {
    const team = card.teams.find((t) => t.id.toLowerCase() === value.toLowerCase() || t.name === value);
    if (team !== undefined) ids.push(team.id);
    else if (card.teams.length === 0 && uuid.test(value)) ids.push(value.toLowerCase());
    else {
      const offered = card.teams.length === 0 ? `the card offers no teams, so give team ids (UUIDs) of ${card.backendDomain}` : `the card offers ${card.teams.map((t) => `${t.name} (${t.id})`).join(', ')}`;
      problems.push(`--allowed-teams: ${JSON.stringify(value)} is not a team of ${card.backendDomain}: ${offered}; allowedTeams are the PARTNER's teams whose users may find ours`);
    }
  }
  return problems.length > 0 ? { problems } : { ids: [...new Set(ids)] };
}

/** The peer entry as TypeScript, to paste into `peers: [...]` of an environment written in code. */
export function peerEntryTypeScript(entry: CardPeerEntry): string {
  const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const cas = entry.caCertificates.map((c) => ('file' in c ? `{ file: ${q(c.file)} }` : `{ pem: ${q(c.pem)} }`)).join(', ');
  const teams = entry.allowedTeams ? `, allowedTeams: [${entry.allowedTeams.map(q).join(', ')}]` : '';
  return `{ domain: ${q(entry.domain)}, searchPolicy: ${q(entry.searchPolicy)}, caCertificates: [${cas}]${teams} }`;
}

/**
 * `text` (a YAML config) with `entry` appended to `peers`, through the yaml Document API:
 * comments, order and formatting of everything else stay as they are. A missing or empty
 * `peers` is created (block style).
 * @throws Error when the text is not a YAML map or `peers` is not a list
 */
export function addPeerToYaml(text: string, entry: CardPeerEntry): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(doc.errors[0].message);
  if (!isMap(doc.contents)) throw new Error('the config is not a YAML map');
  const peers = doc.get('peers', true);
  const node = doc.createNode(entry);
  if (peers === undefined || peers === null || (!isSeq(peers) && (peers as { value?: unknown }).value === null)) {
    doc.set('peers', doc.createNode([entry]));
  } else if (isSeq(peers)) {
    if (peers.items.length === 0) peers.flow = false;
    peers.items.push(node);
  } else {
    throw new Error('peers is not a list');
  }
  // Flow collections keep the spacing the file uses (`{a: 1}` or `{ a: 1 }`).
  return doc.toString({ lineWidth: 0, flowCollectionPadding: /[{[] [^\s\]}]/.test(text) });
}

/**
 * `text` (a JSON config) with `entry` appended to `peers`; key order kept, indented as the file
 * was (2 spaces when it cannot tell).
 */
export function addPeerToJson(text: string, entry: CardPeerEntry): string {
  const input = JSON.parse(text) as Record<string, unknown>;
  const peers = input.peers;
  if (peers !== undefined && !Array.isArray(peers)) throw new Error('peers is not a list');
  input.peers = [...((peers as unknown[] | undefined) ?? []), entry];
  const indent = /^[{[]\s*\n([ \t]+)/.exec(text)?.[1] ?? '  ';
  return `${JSON.stringify(input, null, indent)}${text.endsWith('\n') ? '\n' : ''}`;
}

export interface NextStepsOptions {
  /** Our environment. */
  readonly environment: string;
  /** Our backend domain. */
  readonly backendDomain: string;
  /** The partner's card file, as given. */
  readonly cardFile: string;
  /** How our CLI names our environment (e.g. `red`, `--config red.yaml`). */
  readonly target: string;
  /** Whether the peer entry still has to be pasted (TypeScript configs). */
  readonly paste?: string;
  /** Our CA comes from the stack output (private-ca, cert-manager): export needs `--ca-file`. */
  readonly caFileNeeded: boolean;
  /** Whether the environment has lock files (`lock` records the peers). */
  readonly locked: boolean;
  /** The search policy we give the partner's users. */
  readonly searchPolicy: SearchPolicy;
}

/** Seconds brig's remotes cache takes to see a change: `update_interval` (10 s, `GET /i/federation/remotes`) twice. */
export const REMOTES_PROPAGATION_SECONDS = 20;

/** What is left to do after `card add`, on both sides, in order. */
export function nextSteps(card: FederationCard, options: NextStepsOptions): string[] {
  const partner = card.backendDomain;
  const caFile = options.caFileNeeded ? ` --ca-file ${options.environment}-ca.pem` : '';
  return [
    ...(options.paste ? [`us: paste the peer entry above into peers of ${options.target}`] : []),
    `us: check the card against what ${partner} serves: wire-federation card check ${options.cardFile} (and read the fingerprints back to ${card.contact})`,
    ...(options.locked ? [`us: record the new peer in the lock file: wire-federation lock ${options.environment}`] : []),
    `us: review and deploy: cdktf deploy ${options.environment} (our ingress then trusts ${partner}'s CA, brig lists ${partner} as a remote)`,
    `us: send our card back: wire-federation card export ${options.target}${caFile} --contact <you> --out ${options.environment}-card.yaml`,
    `${partner}: add our card (wire-federation card add <their environment> ${options.environment}-card.yaml), deploy, and tell us`,
    `both: wait ${REMOTES_PROPAGATION_SECONDS} s after the second deploy (brig reloads its remotes every update_interval, 10 s; twice to be sure)`,
    `both: verify each other: wire-federation verify ${options.target} --peers --client-cert <federator.pem> --client-key <federator.key>`,
    options.searchPolicy === 'no_search'
      ? `both: the first federated search: a user of ${partner} searches @<handle>@${options.backendDomain} in a Wire client; with searchPolicy no_search (what we give ${partner}) they find nobody here: set exact_handle_search or full_search for that`
      : `both: the first federated search: a user of ${partner} searches @<handle>@${options.backendDomain} in a Wire client (${options.searchPolicy} lets them), and a user here searches @<handle>@${partner} (as far as ${partner}'s search policy for us lets us)`,
  ];
}
