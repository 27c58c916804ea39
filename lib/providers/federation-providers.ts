/**
 * Every Terraform provider a {@link WireFederation} needs, declared from its config in one line:
 * the DNS provider of `dns.provider` (Cloudflare by default; Route 53, Google Cloud DNS, Azure
 * DNS and RFC 2136 loaded only when selected, so their packages need not be installed
 * otherwise) with its credential variables, tls, helm with its kubernetes block, and kubernetes
 * when the config creates Kubernetes objects directly.
 */
import { TerraformProvider, TerraformResource, TerraformDataSource, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import type { WireFederationConfig } from '../config';
import { configureDnsProvider } from '../dns/provider';

export interface FederationProvidersProps {
  /** The parsed config of the environment (the one given to its WireFederation). */
  readonly config: WireFederationConfig;
  /**
   * The kubeconfig file of the helm and kubernetes providers.
   * @default - `kubernetes.kubeconfigPath` of the config (`~/.kube/config` unless set)
   */
  readonly kubeconfigPath?: string;
  /**
   * The kubeconfig context of the helm and kubernetes providers.
   * @default - `kubernetes.context` of the config, else the kubeconfig's current context
   */
  readonly kubeContext?: string;
}

/**
 * Whether the config creates Kubernetes objects itself (not only through Helm): the CA key pair
 * of cert-manager, the remote sync Job of `remotes.mode: api`, the federator TLS secret of
 * wire-ingress, the federation exporter of `monitoring`. Only then is a kubernetes provider declared.
 */
export function needsKubernetesProvider(config: WireFederationConfig): boolean {
  return config.pki.mode === 'cert-manager' || config.remotes.mode === 'api' || config.ingress.chart === 'wire-ingress' || config.monitoring.enabled;
}

/**
 * Declares the providers of one environment in its stack:
 *
 * ```ts
 * new FederationProviders(this, 'Providers', { config });
 * new WireFederation(this, 'Federation', { config, rabbitmqUsername, rabbitmqPassword });
 * ```
 *
 * The providers and the DNS provider's credential variables are added to the STACK itself, not
 * below this construct: their ids are Terraform addresses and variable names
 * (`TF_VAR_cloudflare_api_token`), the same as in this project's own stacks. Credentials are
 * never literals: they come from sensitive variables or the providers' environment variables.
 */
export class FederationProviders extends Construct {
  /** The helm provider (with its kubernetes block). */
  public readonly helm: HelmProvider;
  public readonly tls: TlsProvider;
  /** Present when {@link needsKubernetesProvider} says so. */
  public readonly kubernetes?: KubernetesProvider;

  constructor(scope: Construct, id: string, props: FederationProvidersProps) {
    super(scope, id);
    const { config } = props;
    const stack = TerraformStack.of(this);
    const configPath = props.kubeconfigPath ?? config.kubernetes.kubeconfigPath;
    const configContext = props.kubeContext ?? config.kubernetes.context;
    // The DNS provider of `dns.provider` and its credential variables (only that provider's package is loaded).
    configureDnsProvider(stack, config);
    this.tls = new TlsProvider(stack, 'tls', {});
    this.helm = new HelmProvider(stack, 'helm', { kubernetes: { configPath, configContext } });
    if (needsKubernetesProvider(config)) this.kubernetes = new KubernetesProvider(stack, 'kubernetes', { configPath, configContext });
  }
}

/**
 * The providers the resources below `scope` use and its stack does not declare (what cdktf
 * reports as "Found resources without a matching provider construct" at synth, found here
 * first so the message can say what to add).
 */
export function missingProviders(scope: IConstruct): string[] {
  const stack = TerraformStack.of(scope);
  const used = new Set<string>();
  for (const c of scope.node.findAll()) {
    if (!TerraformResource.isTerraformResource(c) && !TerraformDataSource.isTerraformDataSource(c)) continue;
    const name = (c as TerraformResource).terraformGeneratorMetadata?.providerName;
    if (name !== undefined && name !== 'terraform') used.add(name);
  }
  const declared = new Set(
    stack.node
      .findAll()
      .filter((c): c is TerraformProvider => TerraformProvider.isTerraformProvider(c))
      .map((p) => p.terraformGeneratorMetadata?.providerName),
  );
  return [...used].filter((p) => !declared.has(p)).sort();
}
