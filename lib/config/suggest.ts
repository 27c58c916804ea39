/**
 * "Did you mean": the settings a schema allows at a path, and the one closest to a misspelled
 * key (edit distance, fastest-levenshtein). Pure; reads the zod schema's definitions.
 */
import { distance } from 'fastest-levenshtein';
import type { z } from 'zod';

type Def = { readonly type: string; readonly [key: string]: any };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** The schemas below wrappers (optional, default, pipes and transforms) and inside unions. */
function unwrap(schema: unknown): unknown[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'readonly':
    case 'catch':
      return unwrap(def.innerType);
    case 'pipe':
      return unwrap(def.in);
    case 'union':
      return (def.options as unknown[]).flatMap(unwrap);
    default:
      return [schema];
  }
}

/** The keys a (strict) object of `schema` allows at `path` (object keys and list indexes), sorted. */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: unknown[] = unwrap(schema);
  for (const seg of path) {
    current = current.flatMap((s) => {
      const def = defOf(s);
      if (def.type === 'object' && typeof seg === 'string' && def.shape[seg] !== undefined) return unwrap(def.shape[seg]);
      if (def.type === 'array' && typeof seg === 'number') return unwrap(def.element);
      return [];
    });
  }
  return [...new Set(current.flatMap((s) => (defOf(s).type === 'object' ? Object.keys(defOf(s).shape) : [])))].sort();
}

/**
 * The allowed key closest to `key`, when it is close enough to be a typo: at most 2 edits, or a
 * quarter of the key's length for long keys; case differences count as no edit.
 */
export function closestKey(key: string, allowed: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(key.length / 4));
  let best: { key: string; d: number } | undefined;
  for (const candidate of allowed) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d <= limit && (best === undefined || d < best.d)) best = { key: candidate, d };
  }
  return best?.key;
}
