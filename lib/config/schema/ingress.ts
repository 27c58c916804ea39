/** `ingress`: the federator ingress, its chart and the Gateway settings of wire-ingress. */
import { z } from 'zod';
import { INGRESS_CHARTS } from '../../core/chart-facts';
import { K8S_NAME, sanName } from './fields';

/** wire-ingress (Gateway API, Envoy Gateway): what federation needs of the Gateway. */
const gatewaySchema = z.strictObject({
  /** `gateway.className`: the GatewayClass of Envoy Gateway (the chart requires it). */
  className: z
    .string({ error: 'must be a string: the name of the GatewayClass of Envoy Gateway, e.g. envoy' })
    .regex(K8S_NAME, { error: 'must be a GatewayClass name (lowercase letters, digits, "-"), e.g. envoy' }),
  /**
   * `gateway.listeners.https.hostname`: the public (non-federator) listener. @default - `*.` and
   * the zone of `config.dns.https` in your wire-ingress values, else of the federator domain
   */
  httpsHostname: sanName.optional(),
  /**
   * The name of the federator listener: `gateway.listeners.federator.sectionName` of wire-ingress
   * in its ListenerSet layout (5.35.0 and later, docs/reference/chart-versions.md). Earlier
   * versions name the Gateway listener `federator` and read no setting.
   * @default federator
   */
  federatorSectionName: z
    .string({ error: 'must be a string: the listener section name of the federator' })
    .regex(K8S_NAME, { error: 'must be a listener name (lowercase letters, digits, "-"), e.g. federator' })
    .default('federator'),
  /** PROXY protocol from the load balancer: off, required, or optional (also accept direct connections). */
  proxyProtocol: z.enum(['off', 'required', 'optional'], { error: 'must be off, required or optional' }).default('off'),
  /**
   * What the EnvoyPatchPolicy for the federator host (trailing-dot SRV targets) targets:
   * `Gateway`, or `GatewayClass` when the EnvoyProxy merges Gateways (`mergeGateways: true`).
   */
  patchPolicyTarget: z.enum(['Gateway', 'GatewayClass'], { error: 'must be Gateway or GatewayClass' }).default('Gateway'),
  /**
   * Install Envoy Gateway (its Helm chart, CRDs included, EnvoyPatchPolicy enabled) at this exact
   * version first. @default - Envoy Gateway is already installed
   */
  installEnvoyGatewayVersion: z
    .string()
    .regex(/^v\d+\.\d+\.\d+$/, { error: 'must be an exact Envoy Gateway chart version such as v1.5.4' })
    .optional(),
  /** Namespace of the Envoy Gateway controller. */
  envoyGatewayNamespace: z.string().regex(K8S_NAME, { error: 'must be a Kubernetes namespace name' }).default('envoy-gateway-system'),
  /** Create the GatewayClass `className` (controller gateway.envoyproxy.io/gatewayclass-controller). */
  createGatewayClass: z.boolean({ error: 'must be true or false' }).default(false),
});

/** Moving from nginx-ingress-services to wire-ingress (docs/ingress-charts.md, "Migrating to wire-ingress"). */
const ingressMigrationSchema = z.strictObject({
  /** The chart being replaced. */
  from: z.literal('nginx-ingress-services', { error: 'must be nginx-ingress-services' }),
  /**
   * `side-by-side`: both releases run (the old one keeps serving until the A/AAAA records move);
   * `old-removed`: the old release is gone, wire-ingress still serves its certificate secrets.
   */
  phase: z.enum(['side-by-side', 'old-removed'], { error: 'must be side-by-side or old-removed' }),
});

export const ingressSchema = z.strictObject({
  /** Where the federator A record points: the address of the federator ingress (load balancer). */
  ipv4: z.ipv4({ error: 'must be an IPv4 address (e.g. 203.0.113.10)' }),
  /** Where the federator AAAA record points. @default - no AAAA record */
  ipv6: z.ipv6({ error: 'must be an IPv6 address (e.g. 2001:db8::10)' }).optional(),
  /** The chart that terminates federator mutual TLS. */
  chart: z.enum(INGRESS_CHARTS, { error: `must be one of ${INGRESS_CHARTS.join(', ')}` }).default('nginx-ingress-services'),
  /** Gateway settings, required with chart wire-ingress. */
  gateway: gatewaySchema.optional(),
  /** A migration between ingress charts in progress. @default - none */
  migration: ingressMigrationSchema.optional(),
});
