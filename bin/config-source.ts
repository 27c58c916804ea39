/**
 * How commands find a config: an environment name of this repository, or `--config <file>`.
 */
import { ENVIRONMENTS_BASE_DIR, environments } from '../stacks/environments';
import { dirname, resolve } from 'node:path';
import { FederationConfigError, WireFederationConfig, loadConfigFile, parseFederationConfig, readConfigInput } from '../lib/config';
import type { EnvironmentSource } from '../lib/validation/pipeline';
import { environmentSources } from '../stacks/app';

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

/** The repository's environments as sources of the validation pipeline (what synth checks). */
export function repositorySources(): EnvironmentSource[] {
  return environmentSources(environments, ENVIRONMENTS_BASE_DIR);
}

/** Whether `name` is an environment of `stacks/environments`. */
export function isRepositoryEnvironment(name: string): boolean {
  return environments.some((e) => e.environment === name);
}

/** The names of the repository's environments, for usage messages. */
export function repositoryEnvironmentNames(): string[] {
  return environments.map((e) => String(e.environment));
}

/**
 * A YAML/JSON config file as a source of the validation pipeline: relative paths in it are
 * relative to its directory. A file that cannot be read or parsed gives its problem instead.
 */
export function fileSource(file: string): { source: EnvironmentSource } | { error: FederationConfigError } {
  try {
    return { source: { input: readConfigInput(file), baseDir: dirname(resolve(file)), source: file } };
  } catch (e) {
    if (e instanceof FederationConfigError) return { error: e };
    throw e;
  }
}
