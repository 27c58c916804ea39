/**
 * Dotted paths in Helm values (`brig.config.optSettings.setFederationDomain`). Pure functions;
 * inputs are never modified.
 */
import type { Values } from './types';
import { setOwn } from '../../core/values';

function isMap(v: unknown): v is Values {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every leaf path (a scalar, a list or an empty map), in key order. */
export function leafPaths(values: Values, prefix = ''): string[] {
  return Object.keys(values).flatMap((key) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const value = values[key];
    return isMap(value) && Object.keys(value).length > 0 ? leafPaths(value, path) : [path];
  });
}

/** The value at `path`, or undefined. */
export function valueAtPath(values: Values, path: string): unknown {
  let cur: unknown = values;
  for (const key of path.split('.')) {
    if (!isMap(cur) || !Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** A copy without the given paths; maps left empty by a removal are removed too. */
export function withoutPaths(values: Values, paths: Iterable<string>): Values {
  let out = values;
  for (const path of paths) out = removePath(out, path.split('.'));
  return out;
}

function removePath(values: Values, keys: readonly string[]): Values {
  const [key, ...rest] = keys;
  if (!Object.prototype.hasOwnProperty.call(values, key)) return values;
  const out: Values = { ...values };
  if (rest.length === 0) {
    delete out[key];
    return out;
  }
  const child = values[key];
  if (!isMap(child)) return values;
  const inner = removePath(child, rest);
  if (Object.keys(inner).length === 0) delete out[key];
  else setOwn(out, key, inner);
  return out;
}
