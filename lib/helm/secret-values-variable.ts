/**
 * The operator's own secret Helm values of one release (`charts.<release>.sensitiveValues`, which
 * include the secret paths the adoption record lists): one sensitive map variable
 * `<release>_secret_values` (Helm path → value, `TF_VAR_…`), read per path with `lookup`.
 */
import { Fn, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import type { SensitiveValue } from './values/types';

/** The release keys whose secrets pass through a map variable. */
export type SecretReleaseKey = 'wireServer' | 'nginxIngressServices' | 'wireIngress';

/** Name of the sensitive map variable of each release. */
export const SECRET_VALUES_VARIABLE: Readonly<Record<SecretReleaseKey, string>> = {
  wireServer: 'wire_server_secret_values',
  nginxIngressServices: 'nginx_ingress_services_secret_values',
  wireIngress: 'wire_ingress_secret_values',
};

/**
 * Declares the variable `name` (also its Terraform name, wherever `scope` is) and returns one
 * sensitive value per path. Nothing is declared for no paths.
 */
export function secretValuesVariable(scope: Construct, name: string, paths: readonly string[]): SensitiveValue[] {
  if (paths.length === 0) return [];
  const values = new TerraformVariable(scope, name, {
    type: 'map(string)',
    sensitive: true,
    description: `Secret Helm values by path (${paths.join(', ')}), e.g. TF_VAR_${name}='{"${paths[0]}":"…"}'.`,
  });
  values.overrideLogicalId(name);
  return paths.map((path) => ({ path, value: Fn.lookup(values.value, path) as string }));
}
