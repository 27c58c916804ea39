/**
 * Reads a federation card from its text (YAML, or JSON, which is YAML too). Refuses, each with
 * one line: text that is not YAML, a private key block anywhere (in the text or in a value once
 * YAML escapes are read), a field whose name looks like a secret (token, password, key), an
 * unknown field (with "did you mean" for a typo), and every schema problem.
 */
import { parse as parseYaml } from 'yaml';
import { DEFAULT_CLI } from '../config/command-hint';
import { describeValue, formatPath, oneLine } from '../config/errors';
import { keySuggestions, valueAt } from '../config/parse';
import { containsPrivateKey } from '../core/pem';
import { isSecretName } from '../helm/values/secrets';
import { CARD_API_VERSION, FederationCard, federationCardSchema } from './schema';

export interface ParseCardOptions {
  /**
   * The CLI as the user starts it, for the commands messages name (`<cli> card export`).
   * @default 'npx wire-federation'
   */
  readonly cli?: string;
}

/** Field names that hold secrets, never public material. */
const SECRET_NAME = /(token|secret|passw(or)?d|api[-_]?key|private[-_]?key|credential|bearer)/i;

/** Result of {@link parseCard}: the card, or one line per problem. */
export type ParsedCard = { readonly card: FederationCard } | { readonly problems: readonly string[] };

/** Paths of every field whose name looks like a secret. */
function secretFields(value: unknown, path: PropertyKey[] = []): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => {
    const here = [...path, Array.isArray(value) ? Number(key) : key];
    return [...((SECRET_NAME.test(key) || isSecretName(key)) && !Array.isArray(value) ? [formatPath(here)] : []), ...secretFields(v, here)];
  });
}

/** Whether a string anywhere in `value` holds a private key block. */
function holdsPrivateKey(value: unknown): boolean {
  if (typeof value === 'string') return containsPrivateKey(value);
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value as Record<string, unknown>).some(([key, v]) => containsPrivateKey(key) || holdsPrivateKey(v));
}

/** The largest card text parsed (five CAs and their text take about 12 KiB). */
export const MAX_CARD_CHARS = 256 * 1024;

/**
 * Characters a card string may never hold: C0 controls (ESC, CR, BEL, …) and DEL, C1 controls,
 * bidirectional overrides and isolates, line and paragraph separators. A PEM may hold line ends
 * (LF, CR LF); no other field may hold even those.
 */
/* eslint-disable no-control-regex -- hostile card text: these patterns name the control characters they refuse or escape */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;
/** What {@link printable} escapes: every unsafe character except the line feed. */
const PRINT_ESCAPE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
const UNSAFE_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;
/* eslint-enable no-control-regex */

/** A text with every unsafe character (controls, bidi overrides) written as a visible escape (`\u001b`). */
export function printable(text: string): string {
  return text.replace(PRINT_ESCAPE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One refusal per string field (or key) of the card that holds a control or bidi character. */
function controlCharacterFields(value: unknown, path: PropertyKey[] = []): string[] {
  if (typeof value === 'string') {
    const pem = path[path.length - 1] === 'pem';
    const bad = (pem ? UNSAFE : UNSAFE_SINGLE_LINE).exec(value);
    if (bad === null) return [];
    const code = `U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    return [
      `${formatPath(path) || '(card)'}: holds the control or direction character ${code}${pem ? '' : ' (a single-line field: no line ends, escapes or direction overrides)'}: text from a card is shown on terminals and in configs; ask the sender for a clean card`,
    ];
  }
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => {
    const here = [...path, Array.isArray(value) ? Number(key) : key];
    if (UNSAFE_SINGLE_LINE.test(key))
      return [`${formatPath(path) || '(card)'}: a field name holds a control or direction character: ask the sender for a clean card`];
    return controlCharacterFields(v, here);
  });
}

/** Parses and validates the text of a card (schema only; see `checkCardCertificates` for the certificates). */
export function parseCard(text: string, options: ParseCardOptions = {}): ParsedCard {
  const exportCommand = `${options.cli ?? DEFAULT_CLI} card export`;
  const privateKey = {
    problems: [
      `the card contains a PRIVATE KEY block: a card carries public material only (certificates, never keys); make a new one with \`${exportCommand}\`, and replace that key, it is no longer private`,
    ],
  };
  if (text.length > MAX_CARD_CHARS)
    return {
      problems: [
        `the card has ${text.length} characters, more than the ${MAX_CARD_CHARS} a card may have: is it the right file? Ask for a card made by \`${exportCommand}\``,
      ],
    };
  if (containsPrivateKey(text)) return privateKey;
  let input: unknown;
  try {
    // Old Mac line ends (CR only) are line ends too: a CR-only card is not one long line.
    input = parseYaml(text.replace(/\r\n?/g, '\n'), { maxAliasCount: 0, uniqueKeys: true });
  } catch (e) {
    return { problems: [`the card is not valid YAML or JSON: ${printable(oneLine((e as Error).message.split('\n')[0]))}`] };
  }
  // A YAML escape ("-----BEGIN PRIVATE\u0020KEY-----") hides a key from the text, not from the values.
  if (holdsPrivateKey(input)) return privateKey;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    // Not a card at all: its content is not shown (it may be any file, e.g. one with secrets).
    const what =
      input === null ? 'nothing' : Array.isArray(input) ? 'a list' : `a ${typeof input}${typeof input === 'string' ? ` of ${input.length} characters` : ''}`;
    return { problems: [`the card must be a map of fields (apiVersion, kind, backendDomain, …); the file holds ${what}: is it a card?`] };
  }
  if ((input as Record<string, unknown>).apiVersion !== CARD_API_VERSION || (input as Record<string, unknown>).kind !== 'FederationCard') {
    const keys = Object.keys(input).length;
    if (!('apiVersion' in input) && !('kind' in input))
      return {
        problems: [
          `the file is not a federation card (no apiVersion ${CARD_API_VERSION}, no kind FederationCard; a map of ${keys} field${keys === 1 ? '' : 's'}): is it a card? Ask for a card made by \`${exportCommand}\``,
        ],
      };
  }
  const control = controlCharacterFields(input);
  if (control.length > 0) return { problems: control };
  const secrets = secretFields(input);
  if (secrets.length > 0) {
    return {
      problems: secrets.map((p) => `${p}: looks like a secret (token, password, key): a card carries public material only; remove the field and never send it`),
    };
  }
  const result = federationCardSchema.safeParse(input);
  if (result.success) return { card: result.data };
  const issues = result.error.issues;
  const { suggestions, missing } = keySuggestions(federationCardSchema, issues, input);
  const problems = issues
    .filter((i) => !missing(i))
    .flatMap((issue) => {
      const path = formatPath(issue.path);
      const where = path === '' ? '(card)' : path;
      if (issue.code === 'unrecognized_keys') {
        const byKey = suggestions.get(issue) ?? new Map<string, string>();
        const typos = issue.keys.filter((k) => byKey.has(k));
        const unknown = issue.keys.filter((k) => !byKey.has(k));
        return [
          ...typos.map(
            (k) =>
              `${where}: unknown field ${JSON.stringify(k)}: did you mean ${JSON.stringify(byKey.get(k))}? The card was edited by hand (a typo); ask for a card made by \`${exportCommand}\``,
          ),
          ...(unknown.length === 0
            ? []
            : [
                `${where}: unknown field${unknown.length === 1 ? '' : 's'} ${unknown.map((k) => JSON.stringify(k)).join(', ')}: a card of ${CARD_API_VERSION} has no such field (a newer version, a typo, or an edited card); ask for a card made by \`${exportCommand}\``,
              ]),
        ];
      }
      const received = valueAt(input, issue.path);
      const message =
        issue.code === 'invalid_type' && received === undefined ? `is required (${issue.message.replace(/^must be [a-z ]+: /, '')})` : issue.message;
      return `${where}: ${oneLine(message)}; received ${describeValue(received)}`;
    });
  return { problems };
}
