import { relative } from 'node:path';
import { Annotations, App } from 'cdktf';
import { environmentClashes } from '../lib/checks/environment-clashes';
import { checkPairs } from '../lib/checks/pairs';
import { lockProblems } from '../lib/guard/environment-lock';
import { lockPath, readLock } from '../lib/guard/lock-file';
import { ConfigProblem, FederationConfigError, WireFederationConfig, WireFederationInput, parseFederationConfig } from '../lib/config';
import { FederationStack } from './federation-stack';

/**
 * Synthesizes one stack per environment into `cdktf.out` (or `CDKTF_OUTDIR`), as `cdktf synth`
 * runs it. A config mistake prints its problems, without a stack trace, and exits 1 before
 * anything is written.
 */
export function synthesizeEnvironments(inputs: readonly WireFederationInput[], baseDir: string, options: AddEnvironmentsOptions = {}): void {
  // The app runs under tsx, which enables source maps: Node would then parse the maps of every
  // module it loaded (cdktf and the providers ship large ones) for each construct's stack
  // trace. Nobody reads those traces here, so both stay off: synth is ~0.4 s faster.
  process.setSourceMapsEnabled(false);
  try {
    const app = new App({ stackTraces: false });
    addEnvironments(app, inputs, baseDir, options);
    app.synth();
  } catch (e) {
    if (!(e instanceof FederationConfigError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}

export interface AddEnvironmentsOptions {
  /**
   * Directory of the environment lock files (`<environment>.json`); see `wire-federation lock`.
   * @default - no lock check
   */
  readonly locksDir?: string;
  /**
   * Where an environment is written, named in the fix of cross-environment findings.
   * @default - `the config of environment <environment>`
   */
  readonly sourceOf?: (config: WireFederationConfig) => string;
}

/**
 * Parses every environment and adds one {@link FederationStack} per environment to `app`.
 * Every invalid environment, and every contradiction with a lock file, is reported at once,
 * before anything is synthesized.
 */
export function addEnvironments(app: App, inputs: readonly WireFederationInput[], baseDir: string, options: AddEnvironmentsOptions = {}): FederationStack[] {
  const configs: WireFederationConfig[] = [];
  const problems: ConfigProblem[] = [];
  inputs.forEach((input, i) => {
    try {
      configs.push(parseFederationConfig(input, { baseDir }));
    } catch (e) {
      if (!(e instanceof FederationConfigError)) throw e;
      // Prefix each path with the environment, so problems of several environments stay apart.
      const env = (input as { environment?: unknown } | null)?.environment;
      const name = typeof env === 'string' && /^[a-z0-9-]+$/.test(env) ? env : `#${i}`;
      problems.push(...e.problems.map((p) => ({ ...p, path: `${name}:${p.path}` })));
    }
  });
  problems.push(...acrossEnvironments(configs));
  const lockWarnings = new Map<string, string>();
  if (options.locksDir !== undefined) {
    for (const config of configs) {
      const lock = readLock(options.locksDir, config.environment);
      if (lock === undefined) {
        lockWarnings.set(config.environment, `environment ${config.environment} has no lock file: its backend domain is not pinned in review. Run \`npx wire-federation lock ${config.environment}\` and commit the file.`);
        continue;
      }
      const lockFile = relative(process.cwd(), lockPath(options.locksDir, config.environment));
      problems.push(...lockProblems(config, lock, { lockFile }).map((p) => ({ ...p, path: `${config.environment}:${p.path}` })));
      const unrecorded = config.peers.map((p) => p.domain).filter((d) => !lock.peers.includes(d));
      if (unrecorded.length > 0) {
        lockWarnings.set(config.environment, `the lock of environment ${config.environment} does not record the peers ${unrecorded.join(', ')}: run \`npx wire-federation lock ${config.environment}\` and commit the file, so removing them later is caught.`);
      }
    }
  }
  const pairFindings = checkPairs(configs, { sourceOf: options.sourceOf });
  problems.push(...pairFindings.filter((f) => f.level === 'error').map((f) => ({ path: `[${f.rule}]`, message: f.message })));
  if (problems.length > 0) throw new FederationConfigError(problems, 'stacks/environments');
  const backends = new Map(configs.map((c) => [c.environment, c.backend]));
  const stacks = configs.map((config) => new FederationStack(app, { config, otherEnvironments: backends }));
  for (const stack of stacks) {
    const warning = lockWarnings.get(stack.node.id);
    if (warning !== undefined) Annotations.of(stack).addWarning(warning);
  }
  for (const f of pairFindings.filter((x) => x.level === 'warning')) Annotations.of(app).addWarning(`[${f.rule}] ${f.message}`);
  return stacks;
}

/** Problems between environments: names and backend domains are unique. */
function acrossEnvironments(configs: readonly WireFederationConfig[]): ConfigProblem[] {
  return environmentClashes(configs).map(({ key, value, first, second }) =>
    key === 'environment'
      ? { path: `${value}:environment`, message: `environment ${value} is defined twice; names must be unique (they name the stacks)` }
      : { path: `${second.environment}:backendDomain`, message: `${value} is also the backend domain of environment ${first.environment}; every backend needs its own domain` },
  );
}
