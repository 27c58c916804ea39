import type { FederationRule } from '../finding';
import { valueAt } from '../model';
import { ingressChartOf } from '../../ingress/registry';

/**
 * An ingress chart with a `tls.enabled` switch (nginx-ingress-services) refuses to render the
 * federator ingress without TLS.
 */
export const tlsDisabled: FederationRule = {
  id: 'tls-disabled',
  description: 'the ingress chart has TLS on with the federator ingress (charts with a tls.enabled switch)',
  configOnly: false,
  check: ({ releases }) =>
    releases.flatMap((r) => {
      const paths = ingressChartOf(r.chart)?.paths;
      if (paths?.tlsEnabled === undefined) return [];
      if (valueAt(r.knownValues, paths.federatorEnabled) !== true || valueAt(r.knownValues, paths.tlsEnabled) !== false) return [];
      return [
        {
          level: 'error' as const,
          rule: 'tls-disabled',
          message: `${r.path}: ${paths.tlsEnabled} is false while ${paths.federatorEnabled} is true; the chart fails to render and federation needs mutual TLS. Remove ${paths.tlsEnabled}: false.`,
        },
      ];
    }),
};
