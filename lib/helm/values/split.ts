import type { Values } from './types';
import { setOwn } from '../../core/values';

/**
 * Splits values into the part known at synth and the part with apply-time content (leaves for
 * which `isApplyTime` holds, e.g. Terraform tokens). Helm deep-merges maps, so giving both parts
 * as separate values documents yields the original values. Lists must be wholly one or the other.
 */
export function splitApplyTime(values: Values, isApplyTime: (v: unknown) => boolean): { known: Values; applyTime: Values } {
  const known: Values = {};
  const applyTime: Values = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const inner = splitApplyTime(value as Values, isApplyTime);
      if (Object.keys(inner.known).length > 0) setOwn(known, key, inner.known);
      if (Object.keys(inner.applyTime).length > 0) setOwn(applyTime, key, inner.applyTime);
    } else if (isApplyTime(value)) {
      setOwn(applyTime, key, value);
    } else {
      setOwn(known, key, value);
    }
  }
  return { known, applyTime };
}
