/**
 * Terraform state backends per environment, and reading another environment's state.
 */
import {
  CloudBackend,
  DataTerraformRemoteState,
  DataTerraformRemoteStateGcs,
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  GcsBackend,
  LocalBackend,
  NamedCloudWorkspace,
  S3Backend,
  TerraformRemoteState,
  TerraformStack,
} from 'cdktf';
import type { Construct } from 'constructs';
import type { StateBackendConfig } from '../lib/config';

/**
 * Path of a local state file. Terraform runs in `cdktf.out/stacks/<env>/`; the default keeps
 * state in the project root as `terraform.<env>.tfstate` (relative, so no absolute path is
 * synthesized).
 */
function localStatePath(environment: string, backend: Extract<StateBackendConfig, { type: 'local' }>): string {
  return backend.path ?? `../../../terraform.${environment}.tfstate`;
}

/** Configures the state backend of `stack` for `environment`. */
export function applyStateBackend(stack: TerraformStack, environment: string, backend: StateBackendConfig): void {
  switch (backend.type) {
    case 'local':
      new LocalBackend(stack, { path: localStatePath(environment, backend) });
      return;
    case 's3':
      new S3Backend(stack, { bucket: backend.bucket, key: backend.key, region: backend.region, dynamodbTable: backend.dynamodbTable });
      return;
    case 'gcs':
      new GcsBackend(stack, { bucket: backend.bucket, prefix: backend.prefix ?? environment });
      return;
    case 'cloud':
      new CloudBackend(stack, {
        organization: backend.organization,
        workspaces: new NamedCloudWorkspace(backend.workspace),
        hostname: backend.hostname,
      });
      return;
  }
}

/**
 * A `terraform_remote_state` data source reading `environment`'s state. `defaults` apply while
 * the other environment has not been deployed yet.
 */
export function remoteState(
  scope: Construct,
  id: string,
  environment: string,
  backend: StateBackendConfig,
  defaults: Record<string, string>,
): TerraformRemoteState {
  switch (backend.type) {
    case 'local':
      return new DataTerraformRemoteStateLocal(scope, id, { path: localStatePath(environment, backend), defaults });
    case 's3':
      return new DataTerraformRemoteStateS3(scope, id, { bucket: backend.bucket, key: backend.key, region: backend.region, defaults });
    case 'gcs':
      return new DataTerraformRemoteStateGcs(scope, id, { bucket: backend.bucket, prefix: backend.prefix ?? environment, defaults });
    case 'cloud':
      return new DataTerraformRemoteState(scope, id, {
        organization: backend.organization,
        workspaces: { name: backend.workspace },
        hostname: backend.hostname,
        defaults,
      });
  }
}
