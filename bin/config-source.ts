/**
 * How commands find a config: an environment name of this repository, or `--config <file>`.
 */
import { ENVIRONMENTS_BASE_DIR, environments } from '../stacks/environments';
import { FederationConfigError, WireFederationConfig, loadConfigFile, parseFederationConfig } from '../lib/config';

/** Usage mistake: the CLI prints it and exits 2. */
export class UsageError extends Error {}

/**
 * Loads the config of environment `env` (from `stacks/environments`) or of `file`.
 * @throws UsageError when neither or both are given, or the environment is unknown
 * @throws FederationConfigError when the config is invalid
 */
export function loadConfig(env: string | undefined, file: string | undefined): WireFederationConfig {
  if (env && file) throw new UsageError('give an environment name or --config <file>, not both');
  if (file) return loadConfigFile(file);
  if (!env) throw new UsageError('give an environment name or --config <file>');
  const input = environments.find((e) => e.environment === env);
  if (!input) {
    throw new UsageError(`unknown environment "${env}"; known: ${environments.map((e) => e.environment).join(', ')}`);
  }
  return parseFederationConfig(input, { baseDir: ENVIRONMENTS_BASE_DIR, source: `stacks/environments/${env}.ts` });
}

export { FederationConfigError };
