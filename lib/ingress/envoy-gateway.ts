import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { resolve } from 'node:path';
import { CHARTS_DIR } from '../package-dir';
import { ENVOY_GATEWAY_RELEASE, gatewayClassReleaseName } from '../config/adoption/support-releases';

/** Envoy Gateway's Helm chart repository (OCI). */
export const ENVOY_GATEWAY_REPOSITORY = 'oci://docker.io/envoyproxy';

/** The controller name of Envoy Gateway's GatewayClasses. */
export const ENVOY_GATEWAY_CONTROLLER = 'gateway.envoyproxy.io/gatewayclass-controller';

export interface EnvoyGatewayProps {
  /** Install Envoy Gateway (`gateway-helm`, Gateway API CRDs included) at this chart version. @default - already installed */
  readonly installVersion?: string;
  /** Namespace of the Envoy Gateway controller. @default envoy-gateway-system */
  readonly namespace?: string;
  /** Create this GatewayClass for Envoy Gateway. @default - it exists already */
  readonly gatewayClassName?: string;
}

/**
 * What wire-ingress needs before it is installed: optionally Envoy Gateway itself, with the
 * EnvoyPatchPolicy API enabled (wire-ingress uses a patch policy so that federator requests for
 * the host with a trailing dot still route), and optionally the GatewayClass. The GatewayClass
 * is carried by a small local Helm chart: a `kubernetes_manifest` would need the Gateway API CRD
 * at plan time, before Envoy Gateway has installed it.
 */
export class EnvoyGateway extends Construct {
  /** The Envoy Gateway release, when installed here. */
  public readonly controller?: Release;
  /** The GatewayClass release, when created here. */
  public readonly gatewayClass?: Release;
  /** Everything the wire-ingress release must wait for. */
  public readonly ready: Release[];

  constructor(scope: Construct, id: string, props: EnvoyGatewayProps) {
    super(scope, id);
    const namespace = props.namespace ?? 'envoy-gateway-system';
    if (props.installVersion !== undefined) {
      this.controller = new Release(this, 'Controller', {
        name: ENVOY_GATEWAY_RELEASE,
        repository: ENVOY_GATEWAY_REPOSITORY,
        chart: 'gateway-helm',
        version: props.installVersion,
        namespace,
        createNamespace: true,
        set: [{ name: 'config.envoyGateway.extensionApis.enableEnvoyPatchPolicy', value: 'true' }],
        wait: true,
      });
    }
    const after = this.controller ? [this.controller] : [];
    if (props.gatewayClassName !== undefined) {
      const chart = new TerraformAsset(this, 'GatewayClassChart', {
        path: resolve(CHARTS_DIR, 'wire-federation-gateway-class'),
        type: AssetType.DIRECTORY,
      });
      this.gatewayClass = new Release(this, 'GatewayClass', {
        name: gatewayClassReleaseName(props.gatewayClassName),
        chart: chart.path,
        namespace,
        values: [`className: ${props.gatewayClassName}\ncontrollerName: ${ENVOY_GATEWAY_CONTROLLER}\n`],
        dependsOn: after,
      });
    }
    this.ready = [...after, ...(this.gatewayClass ? [this.gatewayClass] : [])];
  }
}
