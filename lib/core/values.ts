/**
 * Helm values as plain data: the type, Helm-style merging, and the conflicts between two value
 * sets. Pure functions; imports nothing of ours (the ground floor).
 */

/** Plain Helm values: nested maps (leaves may be Terraform tokens for apply-time content). */
export type Values = { [key: string]: unknown };

function isMap(v: unknown): v is Values {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Sets `obj[key]` as an own data property, whatever the key: `__proto__` (or `constructor`) in a
 * values file is a key like any other for Helm, never the prototype of our object.
 */
export function setOwn(obj: Values, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Deep-merges `override` over `base` the way Helm merges values files: maps merge key by key,
 * anything else (scalars, lists) is replaced. Neither input is modified.
 */
export function mergeValues(base: Values, override: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const prev = Object.prototype.hasOwnProperty.call(out, key) ? out[key] : undefined;
    setOwn(out, key, isMap(prev) && isMap(value) ? mergeValues(prev, value) : value);
  }
  return out;
}

/** A value path set on both sides with different content. */
export interface ValueConflict {
  /** Dotted Helm path, e.g. `brig.config.enableFederation`. */
  readonly path: string;
  readonly operatorValue: unknown;
  readonly federationValue: unknown;
}

/**
 * Paths that the operator's values and the federation values both set, with different content.
 * A map on one side against a scalar on the other is a conflict at that path.
 */
export function findConflicts(operator: Values, federation: Values, prefix = ''): ValueConflict[] {
  const conflicts: ValueConflict[] = [];
  for (const key of Object.keys(federation).sort()) {
    if (!Object.prototype.hasOwnProperty.call(operator, key)) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    const ours = federation[key];
    const theirs = operator[key];
    if (isMap(ours) && isMap(theirs)) {
      conflicts.push(...findConflicts(theirs, ours, path));
    } else if (JSON.stringify(theirs) !== JSON.stringify(ours)) {
      conflicts.push({ path, operatorValue: theirs, federationValue: ours });
    }
  }
  return conflicts;
}

/** Returns a copy with map keys sorted recursively, so rendering is independent of input order. */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (!isMap(value)) return value;
  const out: Values = {};
  for (const key of Object.keys(value).sort()) setOwn(out, key, sortKeys(value[key]));
  return out as T;
}
