import { Construct } from 'constructs';
import { DataResource } from 'cdktf/lib/terraform-data-resource';

export interface BackendDomainPinProps {
  /** The backend domain; it can never change once users exist. */
  readonly backendDomain: string;
}

/**
 * Makes `terraform plan` fail when the backend domain changes: a `terraform_data` resource whose
 * replacement is triggered by the domain, with `prevent_destroy`. Terraform refuses to replace
 * it, so the plan stops with "Instance cannot be destroyed" even if the committed lock file was
 * edited. Built-in provider only: no credentials, nothing outside the state.
 */
export class BackendDomainPin extends Construct {
  public readonly resource: DataResource;

  constructor(scope: Construct, id: string, props: BackendDomainPinProps) {
    super(scope, id);
    this.resource = new DataResource(this, 'Resource', {
      input: { backend_domain: props.backendDomain },
      triggersReplace: { backend_domain: props.backendDomain },
      lifecycle: { preventDestroy: true },
    });
  }
}
