import { TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import type { StateBackendConfig, WireFederationConfig } from '../lib/config';
import { FederationProviders } from '../lib/providers/federation-providers';
import { WireFederation } from '../lib/federation';
import { CA_CERTIFICATE_OUTPUT } from '../lib/card/build';
import { secretValuesVariable } from '../lib/helm/secret-values-variable';
import { federationSecretInputs } from '../lib/secret-inputs';
import { applyStateBackend, remoteState } from './backend';

/** Name of the output that carries an environment's CA certificate (give it to peers; `card export --ca-file`). */
export const CA_OUTPUT = CA_CERTIFICATE_OUTPUT;

export interface FederationStackProps {
  /** The parsed config of this environment. */
  readonly config: WireFederationConfig;
  /**
   * State backends of the other environments of this repository, by name, for peers whose CA
   * is `{environment: <name>}`. @default - none
   */
  readonly otherEnvironments?: ReadonlyMap<string, StateBackendConfig>;
  /**
   * Annotate the config's and the rules' warnings on the federation construct. The app turns it
   * off: it annotates the validation pipeline's findings itself.
   * @default true
   */
  readonly annotateWarnings?: boolean;
}

/**
 * One environment: providers, state backend, sensitive inputs and one {@link WireFederation}.
 * Secrets enter as sensitive variables (`TF_VAR_…`) or the providers' environment variables,
 * never as literals.
 */
export class FederationStack extends TerraformStack {
  public readonly federation: WireFederation;

  constructor(scope: Construct, props: FederationStackProps) {
    const { config } = props;
    super(scope, config.environment);
    applyStateBackend(this, config.environment, config.backend);

    // Every provider from the config: the DNS provider of `dns.provider` (and its credential
    // variables), tls, helm, and kubernetes where the config needs it (added to this stack).
    new FederationProviders(this, 'Providers', { config });
    // The secret inputs as sensitive variables (their names are Terraform addresses).
    const secrets = federationSecretInputs(config, {
      string: (name, description) => new TerraformVariable(this, name, { type: 'string', sensitive: true, description }).stringValue,
      map: (name, paths) => secretValuesVariable(this, name, paths),
    });

    this.federation = new WireFederation(this, 'Federation', {
      config,
      annotateWarnings: props.annotateWarnings,
      ...secrets,
      environmentCa: (environment) => {
        const backend = props.otherEnvironments?.get(environment);
        if (!backend) {
          throw new Error(`${config.environment}: a peer's CA comes from environment "${environment}", which this repository does not define`);
        }
        // Until that environment is deployed its CA is unknown: the default keeps the plan valid.
        return remoteState(this, `PeerState-${environment}`, environment, backend, { [CA_OUTPUT]: '' }).getString(CA_OUTPUT);
      },
    });

    new TerraformOutput(this, CA_OUTPUT, {
      value: this.federation.publishedCaBundle,
      description: 'CA certificates of this backend (PEM bundle, including CAs kept during a rotation): peers add them to their trust bundle.',
    });
    if (this.federation.certificate) {
      new TerraformOutput(this, 'federator_certificate_pem', { value: this.federation.certificate.certificatePem });
    }
    new TerraformOutput(this, 'federator_chain_depth', {
      value: config.pki.mode === 'provided' ? config.pki.chainDepth : 1,
      description:
        'Depth of our federator certificate below our CA (1: signed by it directly): peers on nginx-ingress-services need tls.verify_depth (federation.verifyDepth) of at least this.',
    });
    new TerraformOutput(this, 'backend_domain', { value: config.backendDomain });
    new TerraformOutput(this, 'federator_srv_record', { value: this.federation.dns.srvName });
  }
}
