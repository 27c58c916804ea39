/**
 * "Did you mean": the settings a schema allows at a path, and the one closest to a misspelled
 * key (edit distance, fastest-levenshtein). Pure; reads the zod schema's definitions. Given the
 * input, a discriminated union counts only the variant the input selects (`pki.mode`): a key of
 * another variant is named as such, not suggested as a rename.
 */
import { distance } from 'fastest-levenshtein';
import type { z } from 'zod';

type Def = { readonly type: string; readonly shape?: Readonly<Record<string, unknown>>; readonly element?: unknown; readonly [key: string]: unknown };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** A variant of a discriminated union the input does not select: its discriminator's path and values. */
export interface OtherVariant {
  /** Path of the discriminator, e.g. `['pki', 'mode']`. */
  readonly path: readonly PropertyKey[];
  /** The discriminator values that select the variant, e.g. `['provided']`. */
  readonly values: readonly unknown[];
}

/** A schema reached on the walk, the input's value there, and the variants not selected on the way. */
interface Branch {
  readonly schema: unknown;
  readonly input: unknown;
  readonly others: readonly OtherVariant[];
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The values of `option`'s discriminator `key` (zod 4 keeps them in `_zod.propValues`). */
function discriminatorValues(option: unknown, key: string): Set<unknown> | undefined {
  return (option as { _zod: { propValues?: Record<string, Set<unknown>> } })._zod.propValues?.[key];
}

/**
 * The schemas below wrappers (optional, default, pipes and transforms) and inside unions. A
 * discriminated union whose discriminator in the input selects variants marks the others.
 */
function unwrap(b: Branch, path: readonly PropertyKey[]): Branch[] {
  const def = defOf(b.schema);
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'readonly':
    case 'catch':
      return unwrap({ ...b, schema: def.innerType }, path);
    case 'pipe':
      return unwrap({ ...b, schema: def.in }, path);
    case 'union': {
      const options = def.options as unknown[];
      const key = typeof def.discriminator === 'string' ? def.discriminator : undefined;
      const selects = (o: unknown): boolean => key !== undefined && isMap(b.input) && discriminatorValues(o, key)?.has(b.input[key]) === true;
      // Nothing selected (no discriminator, or a missing or unknown value): every variant counts.
      const selected = options.some(selects);
      return options.flatMap((o) => {
        const others =
          !selected || selects(o)
            ? b.others
            : [...b.others, { path: [...path, key!], values: [...(discriminatorValues(o, key!) ?? [])].filter((v) => v !== undefined) }];
        return unwrap({ ...b, schema: o, others }, path);
      });
    }
    default:
      return [b];
  }
}

/** The branches at `path`: the object (or other) schemas there, with the variants they belong to. */
function branchesAt(schema: z.ZodType, path: readonly PropertyKey[], input: unknown): Branch[] {
  let current = unwrap({ schema, input, others: [] }, []);
  path.forEach((seg, i) => {
    const here = path.slice(0, i + 1);
    current = current.flatMap((b) => {
      const def = defOf(b.schema);
      const value = isMap(b.input) || Array.isArray(b.input) ? (b.input as Record<PropertyKey, unknown>)[seg] : undefined;
      if (def.type === 'object' && typeof seg === 'string' && def.shape?.[seg] !== undefined)
        return unwrap({ ...b, schema: def.shape[seg], input: value }, here);
      if (def.type === 'array' && typeof seg === 'number') return unwrap({ ...b, schema: def.element, input: value }, here);
      return [];
    });
  });
  return current;
}

const keysOf = (branches: readonly Branch[]): string[] =>
  [...new Set(branches.flatMap((b) => (defOf(b.schema).type === 'object' ? Object.keys(defOf(b.schema).shape ?? {}) : [])))].sort();

/**
 * The keys a (strict) object of `schema` allows at `path` (object keys and list indexes), sorted.
 * With `input` (the whole value the schema checks), a discriminated union on the way counts only
 * the variants the input's discriminator selects; without it (or when it selects none), all.
 */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[], input?: unknown): string[] {
  return keysOf(branchesAt(schema, path, input).filter((b) => b.others.length === 0));
}

/**
 * The keys at `path` that only variants the input does not select allow, each with those
 * variants (the innermost discriminator not selected), e.g. `keyFile` → `pki.mode: provided`.
 */
export function otherVariantKeys(schema: z.ZodType, path: readonly PropertyKey[], input: unknown): Map<string, OtherVariant> {
  const branches = branchesAt(schema, path, input);
  const own = new Set(keysOf(branches.filter((b) => b.others.length === 0)));
  const result = new Map<string, OtherVariant>();
  for (const b of branches) {
    const variant = b.others[b.others.length - 1];
    if (variant === undefined || defOf(b.schema).type !== 'object') continue;
    for (const key of Object.keys(defOf(b.schema).shape ?? {})) {
      if (own.has(key)) continue;
      const seen = result.get(key);
      result.set(key, seen === undefined ? variant : { path: seen.path, values: [...new Set([...seen.values, ...variant.values])] });
    }
  }
  return result;
}

/** What to tell about an unknown key: the allowed key it misspells, or the other variant's key it is (or misspells). */
export type KeyAdvice =
  { readonly kind: 'rename'; readonly key: string } | { readonly kind: 'other-variant'; readonly key: string; readonly variant: OtherVariant };

/**
 * Advice for the unknown `key` of the object at `path` of `input`: the key itself when only
 * another variant allows it, else a close key the selected variant allows (`rename`), else a
 * close key only another variant allows.
 */
export function adviseKey(schema: z.ZodType, path: readonly PropertyKey[], key: string, input: unknown): KeyAdvice | undefined {
  const others = otherVariantKeys(schema, path, input);
  const rename = others.has(key) ? undefined : closestKey(key, keysAt(schema, path, input));
  if (rename !== undefined) return { kind: 'rename', key: rename };
  const other = others.has(key) ? key : closestKey(key, [...others.keys()]);
  return other === undefined ? undefined : { kind: 'other-variant', key: other, variant: others.get(other)! };
}

/**
 * The most edits a key of this length may be off and still count as a typo: always fewer than
 * its letters, one for keys of up to 4 letters (`sni` is no typo of `srv`), two up to 11, then a
 * quarter of the length.
 */
export function typoLimit(length: number): number {
  return Math.max(0, Math.min(length - 1, length <= 4 ? 1 : Math.max(2, Math.floor(length / 4))));
}

/** Whether `a` and `b` differ only by two neighbouring letters swapped (`mdoe`, `mode`). */
function swapped(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
  return diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]];
}

/** Edits between two keys: Levenshtein, case ignored, a swap of neighbouring letters one edit. */
export function keyDistance(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return swapped(x, y) ? 1 : distance(x, y);
}

/**
 * The allowed key closest to `key`, when it is close enough to be a typo (`typoLimit` edits of
 * `keyDistance`: case differences count as no edit, swapped neighbours as one).
 */
export function closestKey(key: string, allowed: readonly string[]): string | undefined {
  const limit = typoLimit(key.length);
  let best: { key: string; d: number } | undefined;
  for (const candidate of allowed) {
    const d = keyDistance(key, candidate);
    if (d <= limit && (best === undefined || d < best.d)) best = { key: candidate, d };
  }
  return best?.key;
}
