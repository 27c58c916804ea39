import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';

export { DOMAIN_PIN_ID, domainPinAddress, logicalIdOf } from './pin-address';

export interface BackendDomainPinProps {
  /** The backend domain; it can never change once users exist. */
  readonly backendDomain: string;
}

/**
 * `terraform_data` (built-in, Terraform >= 1.4). cdktf's own `DataResource` adds a validation
 * that runs `terraform version` on every synth: slow, and synth fails where no terraform binary
 * is installed (a fresh machine that only synthesizes). This class emits the same resource
 * without it.
 */
class TerraformDataResource extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly attributes: { readonly input: unknown; readonly triggersReplace: unknown },
  ) {
    super(scope, id, { terraformResourceType: 'terraform_data', lifecycle: { preventDestroy: true } });
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return { input: this.attributes.input, triggers_replace: this.attributes.triggersReplace };
  }
}

/**
 * Makes `terraform plan` fail when the backend domain changes: a `terraform_data` resource whose
 * replacement is triggered by the domain, with `prevent_destroy`. Terraform refuses to replace
 * it, so the plan stops with "Instance cannot be destroyed" even if the committed lock file was
 * edited. Built-in provider only: no credentials, nothing outside the state.
 */
export class BackendDomainPin extends Construct {
  public readonly resource: TerraformResource;

  constructor(scope: Construct, id: string, props: BackendDomainPinProps) {
    super(scope, id);
    this.resource = new TerraformDataResource(this, 'Resource', {
      input: { backend_domain: props.backendDomain },
      triggersReplace: { backend_domain: props.backendDomain },
    });
  }
}
