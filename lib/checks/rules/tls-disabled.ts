import type { FederationRule } from '../finding';
import { valueAt } from '../model';

/** nginx-ingress-services refuses to render the federator ingress without TLS. */
export const tlsDisabled: FederationRule = {
  id: 'tls-disabled',
  description: 'nginx-ingress-services has tls.enabled with the federator ingress',
  configOnly: false,
  check: ({ releases }) =>
    releases
      .filter((r) => r.chart === 'nginx-ingress-services' && valueAt(r.knownValues, 'federator.enabled') === true && valueAt(r.knownValues, 'tls.enabled') === false)
      .map((r) => ({
        level: 'error',
        rule: 'tls-disabled',
        message: `${r.path}: tls.enabled is false while federator.enabled is true; the chart fails to render and federation needs mutual TLS. Remove tls.enabled: false.`,
      })),
};
