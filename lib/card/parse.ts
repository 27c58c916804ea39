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
import { containsPrivateKey } from '../pki/pem';
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

/** Parses and validates the text of a card (schema only; see `checkCardCertificates` for the certificates). */
export function parseCard(text: string, options: ParseCardOptions = {}): ParsedCard {
  const exportCommand = `${options.cli ?? DEFAULT_CLI} card export`;
  const privateKey = { problems: [`the card contains a PRIVATE KEY block: a card carries public material only (certificates, never keys); make a new one with \`${exportCommand}\`, and replace that key, it is no longer private`] };
  if (containsPrivateKey(text)) return privateKey;
  let input: unknown;
  try {
    input = parseYaml(text);
  } catch (e) {
    return { problems: [`the card is not valid YAML or JSON: ${oneLine((e as Error).message.split('\n')[0])}`] };
  }
  // A YAML escape ("-----BEGIN PRIVATE\u0020KEY-----") hides a key from the text, not from the values.
  if (holdsPrivateKey(input)) return privateKey;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { problems: [`the card must be a map of fields (apiVersion, kind, backendDomain, …); received ${describeValue(input)}`] };
  }
  const secrets = secretFields(input);
  if (secrets.length > 0) {
    return { problems: secrets.map((p) => `${p}: looks like a secret (token, password, key): a card carries public material only; remove the field and never send it`) };
  }
  const result = federationCardSchema.safeParse(input);
  if (result.success) return { card: result.data };
  const issues = result.error.issues;
  const { suggestions, missing } = keySuggestions(federationCardSchema, issues, input);
  const problems = issues.filter((i) => !missing(i)).flatMap((issue) => {
    const path = formatPath(issue.path);
    const where = path === '' ? '(card)' : path;
    if (issue.code === 'unrecognized_keys') {
      const byKey = suggestions.get(issue) ?? new Map<string, string>();
      const typos = issue.keys.filter((k) => byKey.has(k));
      const unknown = issue.keys.filter((k) => !byKey.has(k));
      return [
        ...typos.map((k) => `${where}: unknown field ${JSON.stringify(k)}: did you mean ${JSON.stringify(byKey.get(k))}? The card was edited by hand (a typo); ask for a card made by \`${exportCommand}\``),
        ...(unknown.length === 0
          ? []
          : [`${where}: unknown field${unknown.length === 1 ? '' : 's'} ${unknown.map((k) => JSON.stringify(k)).join(', ')}: a card of ${CARD_API_VERSION} has no such field (a newer version, a typo, or an edited card); ask for a card made by \`${exportCommand}\``]),
      ];
    }
    const received = valueAt(input, issue.path);
    const message = issue.code === 'invalid_type' && received === undefined ? `is required (${issue.message.replace(/^must be [a-z ]+: /, '')})` : issue.message;
    return `${where}: ${oneLine(message)}; received ${describeValue(received)}`;
  });
  return { problems };
}
