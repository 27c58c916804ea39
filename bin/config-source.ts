/**
 * How commands find a config: an environment name of the CLI's project, or `--config <file>`.
 */
import { FederationConfigError, WireFederationConfig, WireFederationInput, loadConfigFile, parseFederationConfig } from '../lib/config';
import { EnvironmentSource, environmentName } from '../lib/validation/pipeline';
import { CliProject, sourceOf } from './project';

/** Usage mistake: the CLI prints it and exits 2. */
export class UsageError extends Error {}

let current: CliProject | undefined;

/** Sets the project whose environments the commands know by name (`runCli` does it for each run). */
export function useProject(project: CliProject | undefined): void {
  current = project;
}

/** The project of the running CLI; undefined for the library's CLI, which knows no environment names. */
export function currentProject(): CliProject | undefined {
  return current;
}

/** The environment configs of the project; none without a project. */
export function projectEnvironments(): readonly WireFederationInput[] {
  return current?.environments ?? [];
}

/**
 * Loads the config of environment `env` (of the CLI's project) or of `file`.
 * @throws UsageError when neither or both are given, or the environment is unknown
 * @throws FederationConfigError when the config is invalid
 */
export function loadConfig(env: string | undefined, file: string | undefined): WireFederationConfig {
  if (env && file) throw new UsageError('give an environment name or --config <file>, not both');
  if (file) return loadConfigFile(file);
  if (!env) throw new UsageError('give an environment name or --config <file>');
  if (current === undefined) {
    throw new UsageError(`unknown environment "${env}": this CLI knows no environments by name; give --config <file> (YAML or JSON), or run your app's CLI (see runCli in docs/own-stack.md)`);
  }
  const input = current.environments.find((e) => e.environment === env);
  if (!input) {
    throw new UsageError(`unknown environment "${env}"; known: ${current.environments.map((e) => e.environment).join(', ')}`);
  }
  return parseFederationConfig(input, { baseDir: current.baseDir, source: sourceOf(current, env) });
}

export { FederationConfigError };

/**
 * The YAML/JSON file the config of {@link loadConfig}`(env, file)` is read from, or undefined
 * for an environment of the CLI's project (written in code). For commands that edit the file
 * (`card add`).
 */
export function configFileOf(env: string | undefined, file: string | undefined): string | undefined {
  if (file) return file;
  if (env !== undefined && !isProjectEnvironment(env) && /\.(ya?ml|json)$/i.test(env)) return env;
  return undefined;
}

/** The project's environments as sources of the validation pipeline (what its synth checks). */
export function projectSources(): EnvironmentSource[] {
  if (current === undefined) return [];
  const project = current;
  return project.environments.map((input, i) => {
    const name = environmentName(input, i);
    return { input, baseDir: project.baseDir, source: sourceOf(project, name) };
  });
}

/** Whether `name` is an environment of the CLI's project. */
export function isProjectEnvironment(name: string): boolean {
  return projectEnvironments().some((e) => e.environment === name);
}

/** The usage message for an environment name the CLI does not know. */
export function unknownEnvironmentMessage(name: string): string {
  return current === undefined
    ? `unknown environment "${name}": this CLI knows no environments by name; give a config file (YAML or JSON), or run your app's CLI (see runCli in docs/own-stack.md)`
    : `unknown environment "${name}"; known: ${current.environments.map((e) => e.environment).join(', ')}`;
}
