import type { FederationRule } from '../finding';
import { valueAt } from '../model';
import { ingressChartOf } from '../../ingress/registry';

/** nginx `tls.verify_depth`: 1 (CA signs the leaf) up to 10; charts without the value are skipped. */
export const verifyDepth: FederationRule = {
  id: 'verify-depth',
  description: 'tls.verify_depth is between 1 and 10',
  configOnly: false,
  check: ({ releases }) =>
    releases.flatMap((r) => {
      const path = ingressChartOf(r.chart)?.paths.verifyDepth;
      if (path === undefined) return [];
      const depth = valueAt(r.knownValues, path);
      return depth === undefined || (Number.isInteger(depth) && (depth as number) >= 1 && (depth as number) <= 10)
        ? []
        : [
            {
              level: 'error' as const,
              rule: 'verify-depth',
              message: `${r.path}: ${path} is ${JSON.stringify(depth)}; it must be between 1 (peer certificates signed directly by a trusted CA) and 10. Set federation.verifyDepth.`,
            },
          ];
    }),
};
