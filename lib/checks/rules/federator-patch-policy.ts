import type { FederationRule } from '../finding';
import { valueAt } from '../model';
import { ingressChartOf } from '../../ingress/registry';

/**
 * Envoy matches virtual hosts exactly, and a federator that found a peer through its SRV record
 * asks for the host with a trailing dot (`federator.example.com.`). wire-ingress adds that name
 * with an EnvoyPatchPolicy; without it, such requests fail with route_not_found.
 */
export const federatorPatchPolicy: FederationRule = {
  id: 'federator-patch-policy',
  description: 'wire-ingress: the Envoy patch policy for the federator host with a trailing dot stays on (not `gateway.patchPolicies.enabled: false`)',
  configOnly: false,
  check: ({ releases }) =>
    releases.flatMap((r) => {
      const path = ingressChartOf(r.chart)?.paths.patchPoliciesEnabled;
      if (path === undefined || valueAt(r.knownValues, path) !== false) return [];
      return [
        {
          level: 'error' as const,
          rule: 'federator-patch-policy',
          message: `${r.path}: ${path} is false: Envoy would answer route_not_found to peers that ask for the federator host with a trailing dot (SRV targets are absolute names). Remove ${path}: false from your values; Envoy Gateway needs extensionApis.enableEnvoyPatchPolicy: true (ingress.gateway.installEnvoyGatewayVersion sets it).`,
        },
      ];
    }),
};
