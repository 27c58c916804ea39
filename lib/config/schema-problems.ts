/**
 * Schema errors into problems: zod's issues turned into one problem per field, each naming the
 * field, the value received and what is allowed, with "did you mean" for misspelled keys.
 */
import type { z } from 'zod';
import { ConfigProblem, describeValue, formatPath } from './errors';
import { wireFederationConfigSchema } from './schema';
import { type KeyAdvice, type OtherVariant, adviseKey, closestKey, keysAt } from './suggest';

/** Misspelled keys among zod's issues: see {@link keySuggestions}. */
export interface KeySuggestions {
  /** For each `unrecognized_keys` issue: the advice for each unknown key that has one (a rename, or a key of another variant). */
  readonly advice: ReadonlyMap<z.core.$ZodIssue, ReadonlyMap<string, KeyAdvice>>;
  /** For each `unrecognized_keys` issue: the allowed key each unknown key is close to (typos only). */
  readonly suggestions: ReadonlyMap<z.core.$ZodIssue, ReadonlyMap<string, string>>;
  /** Whether `issue` is the "is required" of a key that a misspelled key meant: leave it out (one typo, one finding). */
  readonly missing: (issue: z.core.$ZodIssue) => boolean;
}

/**
 * "Did you mean" for the unknown keys of `issues` (from `schema` parsing `input`): the allowed
 * key each is close to (in the variant of a discriminated union the input selects), or the other
 * variant that has it, and which "is required" issues those typos explain.
 */
export function keySuggestions(schema: z.ZodType, issues: readonly z.core.$ZodIssue[], input: unknown): KeySuggestions {
  // Keys meant by a misspelled one, by the path of the "is required" problem they replace.
  const meant = new Map<string, string>();
  const advice = new Map<z.core.$ZodIssue, Map<string, KeyAdvice>>();
  const suggestions = new Map<z.core.$ZodIssue, Map<string, string>>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const byKey = new Map<string, KeyAdvice>();
    const renames = new Map<string, string>();
    for (const key of issue.keys) {
      const a = adviseKey(schema, issue.path, key, input);
      if (a === undefined) continue;
      byKey.set(key, a);
      if (a.kind === 'rename') {
        renames.set(key, a.key);
        meant.set(formatPath([...issue.path, a.key]), key);
      }
    }
    advice.set(issue, byKey);
    suggestions.set(issue, renames);
  }
  const missing = (i: z.core.$ZodIssue): boolean => i.code === 'invalid_type' && valueAt(input, i.path) === undefined && meant.has(formatPath(i.path));
  return { advice, suggestions, missing };
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: 'a map of settings',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
};

/**
 * Turns zod's issues into problems: one per field (a wrong type hides the follow-up checks of
 * the same field), zod's generic wording replaced where ours is clearer. An unknown key close to
 * an allowed one is one problem with "did you mean"; when that key is a missing required one,
 * its "is required" problem is left out (one typo, one finding). A key of another variant of a
 * discriminated union (`keyFile` with `pki.mode: private-ca`) is named as such, and a misspelled
 * discriminator (`mdoe`) gets "did you mean" instead of "mode must be one of …".
 */
export function schemaProblems(issues: readonly z.core.$ZodIssue[], input: unknown): ConfigProblem[] {
  const typeErrors = new Set(issues.filter((i) => i.code === 'invalid_type').map((i) => formatPath(i.path)));
  const { advice, missing } = keySuggestions(wireFederationConfigSchema, issues, input);
  return issues
    .filter((i) => i.code === 'invalid_type' || !typeErrors.has(formatPath(i.path)))
    .filter((i) => !missing(i))
    .flatMap((issue): ConfigProblem[] => {
      const path = formatPath(issue.path);
      const received = valueAt(input, issue.path);
      let message = issue.message;
      if (issue.code === 'unrecognized_keys') {
        const byKey = advice.get(issue) ?? new Map<string, KeyAdvice>();
        return issue.keys.map((k) => {
          const value = describeValue(valueAt(input, [...issue.path, k]));
          const a = byKey.get(k);
          const required = a?.kind === 'rename' && issues.some((i) => missing(i) && formatPath(i.path) === formatPath([...issue.path, a.key]));
          const container = valueAt(input, issue.path) as Record<string, unknown>;
          const fix =
            a === undefined
              ? 'check the spelling against the configuration reference (docs/reference/config.md)'
              : a.kind === 'other-variant'
                ? otherVariantFix(k, a.key, a.variant, valueAt(input, a.variant.path))
                : Object.prototype.hasOwnProperty.call(container, a.key)
                  ? `did you mean ${JSON.stringify(a.key)}? It is set as well: remove one of the two (check the spelling against docs/reference/config.md)`
                  : `did you mean ${JSON.stringify(a.key)}${required ? ' (required, and missing)' : ''}? Rename the key (check the spelling against docs/reference/config.md)`;
          return { path, rule: 'schema', message: `unknown setting ${JSON.stringify(k)}: ${fix}; received ${JSON.stringify(k)} = ${value}` };
        });
      }
      const misspelled = misspelledDiscriminator(issue, input);
      if (misspelled !== undefined) return [misspelled];
      if (issue.code === 'invalid_type' && message.startsWith('Invalid input')) {
        const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
        message = received === undefined ? `is required: ${expected}` : `must be ${expected}`;
      }
      return [{ path, rule: 'schema', message: `${message}; received ${describeValue(received)}` }];
    });
}

/** `a`, `a or b`, `a, b or c`. */
const either = (values: readonly unknown[]): string => {
  const all = values.map(String);
  return all.length <= 1 ? all.join('') : `${all.slice(0, -1).join(', ')} or ${all[all.length - 1]}`;
};

/** The fix for `key`, a setting (or a misspelling of `meant`) of a variant the input does not select. */
function otherVariantFix(key: string, meant: string, variant: OtherVariant, selected: unknown): string {
  const discriminator = formatPath(variant.path);
  const of = `a setting of ${discriminator} ${either(variant.values)}`;
  const what = key === meant ? `${JSON.stringify(meant)} is ${of}` : `did you mean ${JSON.stringify(meant)}? It is ${of}`;

  const here =
    selected === undefined ? `; ${discriminator} is not set, and its default has no ${JSON.stringify(meant)}` : `, not of ${discriminator} ${String(selected)}`;
  return `${what}${here}: remove it, or ${selected === undefined ? 'set' : 'change'} ${discriminator} (see docs/reference/config.md)`;
}

/**
 * A discriminated union without its discriminator (`pki` without `mode`) whose object has an
 * unknown key close to it (`mdoe`): one problem with "did you mean", at the object, instead of
 * "mode must be one of …".
 */
function misspelledDiscriminator(issue: z.core.$ZodIssue, input: unknown): ConfigProblem | undefined {
  const discriminator = (issue as { discriminator?: unknown }).discriminator;
  if (issue.code !== 'invalid_union' || typeof discriminator !== 'string' || issue.path[issue.path.length - 1] !== discriminator) return undefined;
  const at = issue.path.slice(0, -1);
  const container = valueAt(input, at);
  if (container === null || typeof container !== 'object' || Array.isArray(container) || discriminator in container) return undefined;
  const allowed = new Set(keysAt(wireFederationConfigSchema, at, input));
  const typo = Object.keys(container).find((k) => !allowed.has(k) && closestKey(k, [discriminator]) !== undefined);
  if (typo === undefined) return undefined;
  return {
    path: formatPath(at),
    rule: 'schema',
    message: `unknown setting ${JSON.stringify(typo)}: did you mean ${JSON.stringify(discriminator)} (required, and missing)? Rename the key (check the spelling against docs/reference/config.md); received ${JSON.stringify(typo)} = ${describeValue((container as Record<string, unknown>)[typo])}`,
  };
}

/** The value at `path` inside `input` (undefined when the path does not exist), for messages. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}
