/**
 * Reads a federation card from its text (YAML, or JSON, which is YAML too). Refuses, each with
 * one line: text that is not YAML, a private key block anywhere, a field whose name looks like
 * a secret (token, password, key), an unknown field, and every schema problem.
 */
import { parse as parseYaml } from 'yaml';
import { describeValue, formatPath, oneLine } from '../config/errors';
import { valueAt } from '../config/parse';
import { CARD_API_VERSION, FederationCard, federationCardSchema } from './schema';

/** A private key block of any kind (`PRIVATE KEY`, `EC PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, …). */
const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/** Field names that hold secrets, never public material. */
const SECRET_NAME = /(token|secret|passw(or)?d|api[-_]?key|private[-_]?key|credential|bearer)/i;

/** Result of {@link parseCard}: the card, or one line per problem. */
export type ParsedCard = { readonly card: FederationCard } | { readonly problems: readonly string[] };

/** Paths of every field whose name looks like a secret. */
function secretFields(value: unknown, path: PropertyKey[] = []): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => {
    const here = [...path, Array.isArray(value) ? Number(key) : key];
    return [...(SECRET_NAME.test(key) && !Array.isArray(value) ? [formatPath(here)] : []), ...secretFields(v, here)];
  });
}

/** Parses and validates the text of a card (schema only; see `validateCard` for the certificates). */
export function parseCard(text: string): ParsedCard {
  if (PRIVATE_KEY_BLOCK.test(text)) {
    return { problems: ['the card contains a PRIVATE KEY block: a card carries public material only (certificates, never keys); make a new one with `wire-federation card export`, and replace that key, it is no longer private'] };
  }
  let input: unknown;
  try {
    input = parseYaml(text);
  } catch (e) {
    return { problems: [`the card is not valid YAML or JSON: ${oneLine((e as Error).message.split('\n')[0])}`] };
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { problems: [`the card must be a map of fields (apiVersion, kind, backendDomain, …); received ${describeValue(input)}`] };
  }
  const secrets = secretFields(input);
  if (secrets.length > 0) {
    return { problems: secrets.map((p) => `${p}: looks like a secret (token, password, key): a card carries public material only; remove the field and never send it`) };
  }
  const result = federationCardSchema.safeParse(input);
  if (result.success) return { card: result.data };
  const problems = result.error.issues.map((issue) => {
    const path = formatPath(issue.path);
    const where = path === '' ? '(card)' : path;
    if (issue.code === 'unrecognized_keys') {
      return `${where}: unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}: a card of ${CARD_API_VERSION} has no such field (a newer version, a typo, or an edited card); ask for a card made by \`wire-federation card export\``;
    }
    const received = valueAt(input, issue.path);
    const message = issue.code === 'invalid_type' && received === undefined ? `is required (${issue.message.replace(/^must be [a-z ]+: /, '')})` : issue.message;
    return `${where}: ${oneLine(message)}; received ${describeValue(received)}`;
  });
  return { problems };
}
