/**
 * The transaction of `wire-federation card add`: check a partner's card against one environment,
 * build the peer entry, validate the config with it (every rule of validate), then write the CA
 * bundle and the edited config, or nothing at all. The command parses the options, holds the
 * config's lock, calls this and prints the outcome.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { readConfigInput } from '../config';
import type { SearchPolicy, WireFederationConfig } from '../config';
import { fileTarget } from '../config/command-hint';
import { writeFileAtomic } from '../files/write';
import { formatFinding } from '../validation/format';
import { validateEnvironments } from '../validation/pipeline';
import type { EnvironmentSource, ValidationFinding } from '../validation/pipeline';
import { CardPeerEntry, addPeerToJson, addPeerToYaml, peerEntry, resolveAllowedTeams } from './add';
import type { FederationCard } from './schema';
import { CardProblem, CheckedCa, checkCardForEnvironment } from './validate';

/** A card file as read and checked on its own: the card and its CAs, or only problems. */
export type ReadCard =
  | { readonly card: FederationCard; readonly cas: readonly CheckedCa[]; readonly problems: readonly CardProblem[] }
  | { readonly problems: readonly CardProblem[] };

export interface CardAddInput {
  /** The environment that gets the peer. */
  readonly config: WireFederationConfig;
  /**
   * The YAML or JSON config file edited in place.
   * @default - an environment in code: its project's sources are validated, the entry is to paste
   */
  readonly file?: string;
  /** The card file as given (named in every line). */
  readonly cardFile: string;
  /** The card, read and checked on its own. */
  readonly read: ReadCard;
  /** The federation API versions this environment speaks (the card must share one). */
  readonly ourVersions: readonly number[];
  /** `--search-policy`. @default - what the card asks for */
  readonly searchPolicy?: SearchPolicy;
  /** `--allowed-teams` values as given (comma-separated, repeatable). */
  readonly allowedTeams: readonly string[];
  /** Where the partner's CA bundle goes (`pemPath`) and how the config names it (`configPath`). */
  readonly locate: (domain: string) => { readonly pemPath: string; readonly configPath: string };
  /** The environments of the project, for a config in code. */
  readonly projectSources: () => EnvironmentSource[];
  /** Reads the config file's text (the command's bounded reader). */
  readonly readConfigText: (file: string) => string;
}

/** What `card add` did: refused (lines to print, nothing written) or added. */
export type CardAddOutcome =
  | { readonly refused: readonly string[] }
  | {
      readonly added: {
        readonly partner: FederationCard;
        readonly cas: readonly CheckedCa[];
        /** Warnings (every error refuses). */
        readonly problems: readonly CardProblem[];
        readonly entry: CardPeerEntry;
        readonly pemPath: string;
        /** False when the same CA bundle was already there. */
        readonly wrotePem: boolean;
      };
    };

/** One card problem as a line. */
export const problemLine = (file: string, p: CardProblem): string => `${p.level === 'error' ? '✖' : '⚠'} ${file}: ${p.message}\n`;

/** Error findings of `after` that `before` does not have (what the change brings). */
function newErrors(before: readonly ValidationFinding[], after: readonly ValidationFinding[]): ValidationFinding[] {
  const key = (f: ValidationFinding): string => `${f.environment}|${f.rule}|${f.path}|${f.message}`;
  const known = new Set(before.map(key));
  return after.filter((f) => f.level === 'error' && !known.has(key(f)));
}

/** Runs the transaction (see the module comment). Throws only for a failed self-check of the edit. */
export function addCard(input: CardAddInput): CardAddOutcome {
  const { config, file, cardFile, read } = input;
  const refuse = (lines: readonly string[]): CardAddOutcome => ({ refused: lines });

  // 1. The card, on its own and against this environment.
  if (!('card' in read)) return refuse(read.problems.map((p) => problemLine(cardFile, p)));
  const { card: partner, cas } = read;
  const problems = [...read.problems, ...checkCardForEnvironment(partner, config, input.ourVersions)];
  const teams = resolveAllowedTeams(
    partner,
    input.allowedTeams
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== ''),
  );
  if ('problems' in teams) problems.push(...teams.problems.map((message): CardProblem => ({ level: 'error', message })));
  if (problems.some((p) => p.level === 'error')) return refuse(problems.map((p) => problemLine(cardFile, p)));

  // 2. The peer entry and the config with it, through the validation pipeline.
  const { pemPath, configPath } = input.locate(partner.backendDomain);
  const bundle = `${cas.map((c) => c.pem).join('\n')}\n`;
  const existingPem = existsSync(pemPath) ? readFileSync(pemPath, 'utf8') : undefined;
  if (existingPem !== undefined && existingPem !== bundle) {
    return refuse([
      `✖ ${cardFile}: ${fileTarget(pemPath)} exists with other content: move it away (or give --peers-dir) so the CA bundle of ${partner.backendDomain} is not overwritten\n`,
    ]);
  }
  const entry = peerEntry(partner, { caFile: configPath, searchPolicy: input.searchPolicy, allowedTeams: 'ids' in teams ? teams.ids : undefined });
  // Validated with the CA inline: the file is written only once everything passed.
  const inline: CardPeerEntry = { ...entry, caCertificates: [{ pem: bundle }] };
  const withPeer = (value: unknown): unknown => {
    const object = value as { peers?: unknown[] };
    return { ...object, peers: [...(object.peers ?? []), inline] };
  };
  let sources: EnvironmentSource[];
  let changed: EnvironmentSource[];
  if (file !== undefined) {
    const configInput = readConfigInput(file);
    sources = [{ input: configInput, baseDir: dirname(resolve(file)), source: file }];
    changed = [{ ...sources[0], input: withPeer(configInput) }];
  } else {
    sources = input.projectSources();
    changed = sources.map((s) => ((s.input as { environment?: string }).environment === config.environment ? { ...s, input: withPeer(s.input) } : s));
  }
  const introduced = newErrors(validateEnvironments(sources).findings, validateEnvironments(changed).findings);
  if (introduced.length > 0) {
    return refuse([`✖ ${cardFile}: the config of ${config.environment} with this peer would be invalid:\n`, ...introduced.map((f) => `${formatFinding(f)}\n`)]);
  }
  let edited: string | undefined;
  if (file !== undefined) {
    const text = input.readConfigText(file);
    edited = extname(file).toLowerCase() === '.json' ? addPeerToJson(text, entry) : addPeerToYaml(text, entry);
    const expected = withPeer(readConfigInput(file)) as { peers: unknown[] };
    expected.peers[expected.peers.length - 1] = JSON.parse(JSON.stringify(entry));
    const reread: unknown = extname(file).toLowerCase() === '.json' ? JSON.parse(edited) : parseYaml(edited);
    if (!isDeepStrictEqual(reread, expected))
      throw new Error(`editing ${file} went wrong: the edited text does not hold the expected config (nothing written)`);
  }

  // 3. Write: the CA bundle, then the config atomically (temporary file, fsync, rename; a
  // symlinked config's target; its line endings kept); a failure removes what was written.
  const written: string[] = [];
  try {
    if (existingPem === undefined) {
      const created = mkdirSync(dirname(pemPath), { recursive: true });
      if (created !== undefined) written.push(created);
      writeFileSync(pemPath, bundle, { flag: 'wx' });
      written.push(pemPath);
    }
    if (file !== undefined && edited !== undefined) writeFileAtomic(file, edited);
  } catch (e) {
    for (const w of written.reverse()) rmSync(w, { recursive: true, force: true });
    return refuse([
      `✖ ${cardFile}: could not write ${existingPem === undefined ? `the CA bundle ${fileTarget(pemPath)}${file !== undefined ? ' or ' : ''}` : ''}${file !== undefined ? fileTarget(file) : ''}: ${(e as Error).message}\n`,
    ]);
  }
  return { added: { partner, cas, problems, entry, pemPath, wrotePem: existingPem === undefined } };
}
