import type { FederationRule } from '../finding';
import { valueAt } from '../model';

/** nginx `tls.verify_depth`: 1 (CA signs the leaf) up to 10. */
export const verifyDepth: FederationRule = {
  id: 'verify-depth',
  description: 'tls.verify_depth is between 1 and 10',
  configOnly: false,
  check: ({ releases }) =>
    releases
      .filter((r) => r.chart === 'nginx-ingress-services')
      .flatMap((r) => {
        const depth = valueAt(r.knownValues, 'tls.verify_depth');
        return depth === undefined || (Number.isInteger(depth) && (depth as number) >= 1 && (depth as number) <= 10)
          ? []
          : [{ level: 'error' as const, rule: 'verify-depth', message: `${r.path}: tls.verify_depth is ${JSON.stringify(depth)}; it must be between 1 (peer certificates signed directly by a trusted CA) and 10. Set federation.verifyDepth.` }];
      }),
};
