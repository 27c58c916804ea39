import type { FederationRule } from '../finding';
import { usesNginxIngressServices } from '../../config/parse';

/**
 * wire-ingress has no verify depth: Envoy Gateway's ClientTrafficPolicy exposes none, so
 * `federation.verifyDepth` has no effect there. A value other than the default is worth a look.
 */
export const verifyDepthUnused: FederationRule = {
  id: 'verify-depth-unused',
  description: 'federation.verifyDepth is left at its default where the ingress chart (wire-ingress) has no verify depth',
  level: 'warning',
  configOnly: true,
  check: ({ config }) =>
    config.federation.verifyDepth === 1 || usesNginxIngressServices(config)
      ? []
      : [
          {
            level: 'warning',
            rule: 'verify-depth-unused',
            path: 'federation.verifyDepth',
            message: `federation.verifyDepth is ${config.federation.verifyDepth}, but ingress.chart ${config.ingress.chart} has no verify depth (Envoy Gateway's ClientTrafficPolicy offers none; the chart dropped tls.verify_depth), so it has no effect: client certificates are checked against the CAs in the federator-ca ConfigMap whatever the chain length. Remove federation.verifyDepth.`,
          },
        ],
};
