/**
 * How commands find a config: an environment name of the CLI's project, or a config file
 * (`.yaml`, `.yml`, `.json`) given where a name is accepted or with `--config <file>`. A file's
 * lock lives in `locks/` beside it unless `--locks-dir` says otherwise.
 */
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FederationConfigError, WireFederationConfig, WireFederationInput, loadConfigFile, parseFederationConfig } from '../lib/config';
import { CommandHint, DEFAULT_CLI, commandHint, fileTarget } from '../lib/config/command-hint';
import type { EnvironmentSource } from '../lib/validation/pipeline';
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
  if (env && file) throw new UsageError('give an environment name (or config file) or --config <file>, not both');
  const path = file ?? (env !== undefined && isConfigFileTarget(env) ? env : undefined);
  if (path !== undefined) return loadConfigFile(path, { cli: cliCommand() });
  if (!env) throw new UsageError('give an environment name or a config file (YAML or JSON)');
  const input = current?.environments.find((e) => e.environment === env);
  if (current === undefined || !input) throw new UsageError(unknownEnvironmentMessage(env));
  return parseFederationConfig(input, { baseDir: current.baseDir, source: sourceOf(current, env), command: hintFor(env) });
}

/**
 * Whether a command-line target names a config file rather than an environment of the project:
 * it ends in `.yaml`, `.yml` or `.json`, or it is an existing file and no environment's name.
 */
export function isConfigFileTarget(target: string): boolean {
  if (/\.(ya?ml|json)$/i.test(target)) return true;
  if (isProjectEnvironment(target)) return false;
  try {
    return statSync(target).isFile();
  } catch {
    return false;
  }
}

/** Where the lock of a config file lives by default: `locks/` beside the file. */
export function defaultLocksDir(file: string): string {
  return join(dirname(resolve(file)), 'locks');
}

/** The CLI as the user starts it here: the project's command, else `npx wire-federation`. */
export function cliCommand(): string {
  return current?.command ?? DEFAULT_CLI;
}

/** Commands for the environment named by `target` (a project environment or a config file), as typed here. */
export function hintFor(target: string): CommandHint {
  return commandHint({ cli: cliCommand(), target: isConfigFileTarget(target) ? fileTarget(target) : target });
}

export { FederationConfigError };

/**
 * The YAML/JSON file the config of {@link loadConfig}`(env, file)` is read from, or undefined
 * for an environment of the CLI's project (written in code). For commands that edit the file
 * (`card add`).
 */
export function configFileOf(env: string | undefined, file: string | undefined): string | undefined {
  if (file) return file;
  return env !== undefined && isConfigFileTarget(env) ? env : undefined;
}

/** The project's environments as sources of the validation pipeline (what its synth checks). */
export function projectSources(): EnvironmentSource[] {
  if (current === undefined) return [];
  // Loaded here, not at the top: the validation pipeline loads cdktf, which `verify` (the
  // exporter's image) must not need.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { environmentName } = require('../lib/validation/pipeline') as typeof import('../lib/validation/pipeline');
  const project = current;
  return project.environments.map((input, i) => {
    const name = environmentName(input, i);
    return { input, baseDir: project.baseDir, source: sourceOf(project, name), commandTarget: name };
  });
}

/** Whether `name` is an environment of the CLI's project. */
export function isProjectEnvironment(name: string): boolean {
  return projectEnvironments().some((e) => e.environment === name);
}

/** The usage message for an environment name the CLI does not know. */
export function unknownEnvironmentMessage(name: string): string {
  return current === undefined
    ? `unknown environment "${name}": this CLI knows no environments by name; give a config file (YAML or JSON), e.g. \`${DEFAULT_CLI} validate ${name}.yaml\`, or run your app's CLI (docs/own-stack.md)`
    : `unknown environment "${name}"; known: ${current.environments.map((e) => e.environment).join(', ')}; or give a config file (YAML or JSON)`;
}
