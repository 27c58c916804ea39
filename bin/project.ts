/**
 * The environments a CLI knows by name. The library's CLI knows none (it reads `--config`
 * files); an app passes its own, as this repository's `stacks/cli.ts` does.
 */
import type { WireFederationInput } from '../lib/config';

export interface CliProject {
  /** The environment configs, as the app gives them to its stacks. */
  readonly environments: readonly WireFederationInput[];
  /** Directory that relative file paths in the configs are resolved against. */
  readonly baseDir: string;
  /**
   * Directory of the environment lock files (`<environment>.json`), the default of `lock --locks-dir`.
   * @default - none: `lock` then needs `--locks-dir`
   */
  readonly locksDir?: string;
  /**
   * Directory where `card add` stores partners' CA bundles (`<domain>.pem`), the default of
   * `card add --peers-dir` for environments written in code.
   * @default - none: `card add` then needs `--peers-dir`
   */
  readonly peersDir?: string;
  /**
   * How the user starts this CLI, named in every message that says what to run
   * (e.g. `node cli.js`, `npm run wire-federation --`).
   * @default 'npx wire-federation'
   */
  readonly command?: string;
  /**
   * Where an environment is written, named in messages (e.g. `envs/red.ts`).
   * @default - `the config of environment <environment>`
   */
  readonly sourceOf?: (environment: string) => string;
  /**
   * The synthesized Terraform JSON (`cdk.tf.json`) of one environment, as the app's own stack
   * makes it (`render` reads its Helm releases). Called only for a valid environment.
   * @default - the library's WireFederation for the config, synthesized in memory
   */
  readonly synthesize?: (environment: string) => unknown;
}

/** Where environment `name` of `project` is written, for messages. */
export function sourceOf(project: CliProject | undefined, name: string): string {
  return project?.sourceOf?.(name) ?? `the config of environment ${name}`;
}
