/**
 * What `card add` writes: the peer entry for a partner's card, the edited YAML/JSON config text
 * (comments and order kept), the entry to paste into a TypeScript config, and the steps left on
 * both sides. Pure functions: the caller reads and writes the files.
 */
import { Document, Node, Scalar, YAMLSeq, isMap, isScalar, isSeq, parse as parseYaml, parseDocument, visit } from 'yaml';
import type { SearchPolicy } from '../config';
import { CommandHint, DEFAULT_CLI, shellWord } from '../config/command-hint';
import type { FederationCard } from './schema';
import { COTURN_FEDERATION_PORT } from '../config/schema/calling';

/** The `peers[]` entry `card add` writes (the config's input form). */
export interface CardPeerEntry {
  readonly domain: string;
  readonly searchPolicy: SearchPolicy;
  readonly caCertificates: ReadonlyArray<{ readonly file: string } | { readonly pem: string }>;
  readonly allowedTeams?: readonly string[];
  /** The partner's calling endpoints, from its card. @default - the card carries none */
  readonly calling?: CardPeerCalling;
}

/** `peers[].calling` as `card add` writes it (defaults left out: port 9191, DTLS on). */
export interface CardPeerCalling {
  readonly coturnHost: string;
  readonly publicIps: readonly string[];
  readonly federationPort?: number;
  readonly issuerCommonName?: string;
  readonly dtls?: boolean;
}

/** The `peers[].calling` entry of a card's calling endpoints. */
export function peerCallingOf(card: FederationCard): CardPeerCalling | undefined {
  const coturn = card.calling?.coturn;
  if (coturn === undefined) return undefined;
  return {
    coturnHost: coturn.host,
    publicIps: [...coturn.publicIps],
    ...(coturn.port !== COTURN_FEDERATION_PORT ? { federationPort: coturn.port } : {}),
    ...(coturn.issuerCommonName !== undefined ? { issuerCommonName: coturn.issuerCommonName } : {}),
    ...(coturn.dtls ? {} : { dtls: false }),
  };
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
    ...(card.calling !== undefined ? { calling: peerCallingOf(card) } : {}),
  };
}

/** The calling entry's fields in order, as `key: value` pairs written by `scalar` (strings) and `list` (lists). */
function callingPairs(calling: CardPeerCalling, scalar: (s: string) => string, list: (items: string[]) => string): string[] {
  return [
    `coturnHost: ${scalar(calling.coturnHost)}`,
    `publicIps: ${list(calling.publicIps.map(scalar))}`,
    ...(calling.federationPort !== undefined ? [`federationPort: ${calling.federationPort}`] : []),
    ...(calling.issuerCommonName !== undefined ? [`issuerCommonName: ${scalar(calling.issuerCommonName)}`] : []),
    ...(calling.dtls !== undefined ? [`dtls: ${calling.dtls}`] : []),
  ];
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
      const offered =
        card.teams.length === 0
          ? `the card offers no teams, so give team ids (UUIDs) of ${card.backendDomain}`
          : `the card offers ${card.teams.map((t) => `${t.name} (${t.id})`).join(', ')}`;
      problems.push(
        `--allowed-teams: ${JSON.stringify(value)} is not a team of ${card.backendDomain}: ${offered}; allowedTeams are the PARTNER's teams whose users may find ours`,
      );
    }
  }
  return problems.length > 0 ? { problems } : { ids: [...new Set(ids)] };
}

/** The peer entry as TypeScript, to paste into `peers: [...]` of an environment written in code. */
export function peerEntryTypeScript(entry: CardPeerEntry): string {
  const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const cas = entry.caCertificates.map((c) => ('file' in c ? `{ file: ${q(c.file)} }` : `{ pem: ${q(c.pem)} }`)).join(', ');
  const teams = entry.allowedTeams ? `, allowedTeams: [${entry.allowedTeams.map(q).join(', ')}]` : '';
  const calling = entry.calling ? `, calling: { ${callingPairs(entry.calling, q, (items) => `[${items.join(', ')}]`).join(', ')} }` : '';
  return `{ domain: ${q(entry.domain)}, searchPolicy: ${q(entry.searchPolicy)}, caCertificates: [${cas}]${teams}${calling} }`;
}

/** The column of `offset` in `text` (0-based). */
function columnAt(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** Offset of the start of the line after the one `offset` is on (the text's end when there is none). */
function nextLineStart(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

/**
 * How a YAML text indents: the map indent (columns of a nested map's keys beyond its parent
 * key) and the sequence indent (columns of a block list's `-` beyond its key: 0 for unindented
 * `- item` lists). Read from the first examples; yaml's defaults (2, 2) when there are none.
 */
function yamlLayout(doc: Document.Parsed, text: string): { readonly indent: number; readonly seqIndent: number } {
  const found = layoutOf(doc, text);
  return { indent: found.indent ?? 2, seqIndent: found.seqIndent ?? found.indent ?? 2 };
}

/** The first examples of map and sequence indentation below `node` (see {@link yamlLayout}). */
function layoutOf(node: Document.Parsed | Node, text: string): { indent?: number; seqIndent?: number } {
  let indent: number | undefined;
  let seqIndent: number | undefined;
  visit(node, {
    Pair(_, pair, path) {
      const parent = path[path.length - 1];
      if ((isMap(parent) && parent.flow) || !isScalar(pair.key) || pair.key.range == null) return;
      const keyColumn = columnAt(text, pair.key.range[0]);
      const value = pair.value;
      if (indent === undefined && isMap(value) && !value.flow && value.items.length > 0) {
        const first = value.items[0].key;
        if (isScalar(first) && first.range != null && columnAt(text, first.range[0]) > keyColumn) indent = columnAt(text, first.range[0]) - keyColumn;
      }
      if (seqIndent === undefined && isSeq(value) && !value.flow && value.items.length > 0 && value.range != null) {
        seqIndent = Math.max(0, columnAt(text, value.range[0]) - keyColumn);
      }
    },
  });
  return { indent, seqIndent };
}

/** A string as a YAML scalar that reads back as that string in block and flow context: plain when safe, else double-quoted. */
function yamlScalar(value: string): string {
  return /^[A-Za-z0-9_./@-]+$/.test(value) && parseYaml(value) === value ? value : JSON.stringify(value);
}

/** The entry as block lines: `- ` at `column`, its keys `itemIndent` further, nested lists `seqIndent` below their key. */
function blockEntry(entry: CardPeerEntry, column: number, itemIndent: number, seqIndent: number): string {
  const at = (n: number): string => ' '.repeat(n);
  const key = column + itemIndent;
  const list = (name: string, items: readonly string[]): string[] => [`${at(key)}${name}:`, ...items.map((i) => `${at(key + seqIndent)}- ${i}`)];
  const lines = [
    `${at(column)}-${at(itemIndent - 1)}domain: ${yamlScalar(entry.domain)}`,
    `${at(key)}searchPolicy: ${yamlScalar(entry.searchPolicy)}`,
    ...list(
      'caCertificates',
      entry.caCertificates.map((c) => ('file' in c ? `file: ${yamlScalar(c.file)}` : `pem: ${JSON.stringify(c.pem)}`)),
    ),
    ...(entry.allowedTeams ? list('allowedTeams', entry.allowedTeams.map(yamlScalar)) : []),
    // calling: a nested map, its publicIps a flow list (one line, whatever the file's list indent).
    ...(entry.calling
      ? [`${at(key)}calling:`, ...callingPairs(entry.calling, yamlScalar, (items) => `[${items.join(', ')}]`).map((p) => `${at(key + 2)}${p}`)]
      : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** The entry as a YAML flow map (`padded`: `{ a: 1 }` rather than `{a: 1}`). */
function flowEntry(entry: CardPeerEntry, padded: boolean): string {
  const map = (pairs: string[]): string => (padded ? `{ ${pairs.join(', ')} }` : `{${pairs.join(', ')}}`);
  const seq = (items: string[]): string => (padded ? `[ ${items.join(', ')} ]` : `[${items.join(', ')}]`);
  return map([
    `domain: ${yamlScalar(entry.domain)}`,
    `searchPolicy: ${yamlScalar(entry.searchPolicy)}`,
    `caCertificates: ${seq(entry.caCertificates.map((c) => map(['file' in c ? `file: ${yamlScalar(c.file)}` : `pem: ${JSON.stringify(c.pem)}`])))}`,
    ...(entry.allowedTeams ? [`allowedTeams: ${seq(entry.allowedTeams.map(yamlScalar))}`] : []),
    ...(entry.calling ? [`calling: ${map(callingPairs(entry.calling, yamlScalar, seq))}`] : []),
  ]);
}

/**
 * `text` (a YAML config) with `entry` appended to `peers`, inserted as text: every other line
 * stays as it was (comments, their spacing, indentation, quoting). The entry follows the file's
 * indentation (read from the file, or that of the peers already listed); a missing `peers` is
 * appended, an empty one (`peers:`, `peers: []`, each with a comment kept) becomes a block list.
 * The caller checks that the result reads back as the expected config.
 * @throws Error when the text is not a YAML map or `peers` is not a list
 */
export function addPeerToYaml(text: string, entry: CardPeerEntry): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(doc.errors[0].message);
  if (!isMap(doc.contents)) throw new Error('the config is not a YAML map');
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'peers');
  const { seqIndent } = yamlLayout(doc, text);
  const firstKey = doc.contents.items[0]?.key;
  const rootColumn = isScalar(firstKey) && firstKey.range != null ? columnAt(text, firstKey.range[0]) : 0;
  if (pair === undefined) {
    const body = text === '' || text.endsWith('\n') ? text : `${text}\n`;
    return `${body}${' '.repeat(rootColumn)}peers:\n${blockEntry(entry, rootColumn + seqIndent, 2, seqIndent)}`;
  }
  const key = pair.key as Scalar;
  const keyColumn = columnAt(text, key.range![0]);
  const value = pair.value;
  const isEmpty =
    value === null || value === undefined || (isScalar(value) && value.value === null) || (isSeq(value) && value.flow && value.items.length === 0);
  if (isEmpty) {
    // Remove what the value is written as (`~`, `null`, `[]`), keep the key's line and its comment.
    let edited = text;
    const range = (value as Scalar | YAMLSeq | null)?.range;
    if (range != null && range[1] > range[0]) {
      const before = edited.slice(0, range[0]);
      const after = edited.slice(range[1]);
      const rest = /^[^\n]*/.exec(after)![0];
      edited = `${before.replace(/[ \t]+$/, '')}${rest.trim() === '' ? after.slice(rest.length) : after}`;
    }
    const at = nextLineStart(edited, key.range![1]);
    const head = at === edited.length && !edited.endsWith('\n') ? `${edited}\n` : edited.slice(0, at);
    return `${head}${blockEntry(entry, keyColumn + seqIndent, 2, seqIndent)}${edited.slice(at)}`;
  }
  if (!isSeq(value)) throw new Error('peers is not a list');
  const range = value.range;
  if (value.flow) {
    // A flow list: `, <entry>` after its last item, before the `]`.
    const close = text.lastIndexOf(']', range[1] - 1);
    const end = text.slice(0, close).trimEnd().length;
    const padded = /[{[] [^\s\]}]/.test(text);
    return `${text.slice(0, end)}${text[end - 1] === ',' ? ' ' : ', '}${flowEntry(entry, padded)}${text.slice(end)}`;
  }
  // A block list: the new item after the last one, indented as the first one is.
  const dash = columnAt(text, range[0]);
  const first = value.items[0] as { range?: [number, number, number] | null };
  const itemIndent = first?.range != null && isMap(value.items[0]) ? Math.max(2, columnAt(text, first.range[0]) - dash) : 2;
  // Lists inside the entry as those inside the peers already listed, else as the file's.
  const inner = value.items.map((item) => layoutOf(item as Node, text).seqIndent).find((n) => n !== undefined) ?? seqIndent;
  const at = nextLineStart(text, range[1]);
  const head = at === text.length && !text.endsWith('\n') ? `${text}\n` : text.slice(0, at);
  return `${head}${blockEntry(entry, dash, itemIndent, inner)}${text.slice(at)}`;
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
  /** The partner's card file, as the user names it (relative to the working directory). */
  readonly cardFile: string;
  /** The CLI as the user starts it here (e.g. `npx wire-federation`), for commands without our environment. */
  readonly cli: string;
  /** Commands for our environment, as the user types them here (see `commandHint`). */
  readonly command: CommandHint;
  /** The peer entry still to be pasted (TypeScript configs), and where (e.g. `stacks/environments/red.ts`). */
  readonly paste?: { readonly entry: string; readonly into: string };
  /** Our CA comes from the stack output (private-ca, cert-manager): export needs `--ca-file`. */
  readonly caFileNeeded: boolean;
  /** Whether the environment has lock files (`lock` records the peers). */
  readonly locked: boolean;
  /** The search policy we give the partner's users. */
  readonly searchPolicy: SearchPolicy;
}

/** Seconds brig's remotes cache takes to see a change: `update_interval` (10 s, `GET /i/federation/remotes`) twice. */
export const REMOTES_PROPAGATION_SECONDS = 20;

/** What is left to do after `card add`, on both sides, in order; every command as it is typed (ours here, the partner's with the library's CLI). */
export function nextSteps(card: FederationCard, options: NextStepsOptions): string[] {
  const partner = card.backendDomain;
  const { command, environment } = options;
  const ourCard = shellWord(`${environment}-card.yaml`);
  const caFile = options.caFileNeeded ? ['--ca-file', shellWord(`${environment}-ca.pem`)] : [];
  return [
    ...(options.paste ? [`us: paste the peer entry above into peers in ${options.paste.into}`] : []),
    `us: check the card against what ${partner} serves: ${options.cli} card check ${shellWord(options.cardFile)} (and read the fingerprints back to ${card.contact})`,
    ...(options.locked ? [`us: record the new peer in the lock file: ${command('lock')}`] : []),
    `us: review and deploy: cdktf deploy ${environment} (our ingress then trusts ${partner}'s CA, brig lists ${partner} as a remote)`,
    `us: send our card back: ${command('card export', ...caFile, '--contact', '<you>', '--out', ourCard)}`,
    `${partner}: add our card (${DEFAULT_CLI} card add <their environment or config file> ${ourCard}), deploy, and tell us`,
    `both: wait ${REMOTES_PROPAGATION_SECONDS} s after the second deploy (brig reloads its remotes every update_interval, 10 s; twice to be sure)`,
    `both: verify each other: ${command('verify', '--peers', '--client-cert', '<federator.pem>', '--client-key', '<federator.key>')}`,
    options.searchPolicy === 'no_search'
      ? `both: the first federated search: a user of ${partner} searches @<handle>@${options.backendDomain} in a Wire client; with searchPolicy no_search (what we give ${partner}) they find nobody here: set exact_handle_search or full_search for that`
      : `both: the first federated search: a user of ${partner} searches @<handle>@${options.backendDomain} in a Wire client (${options.searchPolicy} lets them), and a user here searches @<handle>@${partner} (as far as ${partner}'s search policy for us lets us)`,
  ];
}
