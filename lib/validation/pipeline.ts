/**
 * The one validation pipeline of every entry point: synth (`stacks/app.ts`), the CLI's
 * `validate` and `lock`, and the library (`validateFederationConfig`). Given the environments'
 * configs it returns ALL findings, errors and warnings, each with a stable rule id, a path, the
 * received value and the fix. The stages, in order:
 *
 * 1. schema: types, ranges, defaults, DNS names normalized (`lib/config/schema/`);
 * 2. files: CA, values and provided-certificate files the config names (`lib/config/files.ts`, run by `lib/config/parse.ts`);
 * 3. rules on the resources as they will be synthesized: each environment is built in a scratch
 *    construct tree that is never written, and the rule pack (`lib/checks/rules/`) reads it;
 * 4. across environments: names, backend domains, `{environment}` CA references, the lock files
 *    and the pairs that federate with each other.
 *
 * The library knows no folder of this repository: the locks directory and each config's base
 * directory are parameters.
 */
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { ConfigProblem, FederationConfigError, WireFederationConfig, parseFederationConfig, readConfigInput } from '../config';
import { CONFIG_RULES } from '../config/errors';
import { defineCatalogue } from '../core/catalogue';
import type { Finding } from '../checks/finding';
import { environmentClashes } from '../checks/environment-clashes';
import { buildModel } from '../checks/model';
import { runConfigRules, runRules } from '../checks/pack';
import { checkPairs } from '../checks/pairs';
import { federationSecretInputs } from '../secret-inputs';
import { EnvironmentLock, lockProblems } from '../guard/environment-lock';
import { lockPath, readLock } from '../guard/lock-file';
import { WireFederation } from '../federation';
import type { ValidationFinding } from './format';
import { CommandHint, commandHint, fileTarget, shellWord } from '../config/command-hint';

export type { ValidationFinding } from './format';

/** One environment's config and where it comes from. */
export interface EnvironmentSource {
  /**
   * The config as written: a TypeScript object or a parsed YAML/JSON document.
   * @default - read from `file`
   */
  readonly input?: unknown;
  /**
   * A `.yaml`, `.yml` or `.json` file holding the config (when `input` is not given). A file
   * that cannot be read or parsed is a finding (`config-file`) like any other.
   * @default - none: `input` is the config
   */
  readonly file?: string;
  /**
   * Directory that relative file paths in the config are resolved against.
   * @default - the directory of `file`, else the current working directory
   */
  readonly baseDir?: string;
  /**
   * Where the config is written (e.g. `envs/red.ts`, `envs/a.yaml`), named in messages about
   * pairs and duplicates. @default - `the config of environment <environment>`
   */
  readonly source?: string;
  /**
   * What names this environment on the CLI's command line in the commands messages tell the
   * user to run: its name (a CLI that knows the app's environments) or its config file.
   * @default - `file` relative to the working directory, else the environment name
   */
  readonly commandTarget?: string;
}

export interface ValidationOptions {
  /**
   * The CLI as the user starts it where the findings are read, in the commands messages tell
   * the user to run (e.g. `npx wire-federation lock acme.yaml`).
   * @default 'npx wire-federation'
   */
  readonly cli?: string;
  /**
   * Directory of the environment lock files (`<environment>.json`). With it, an environment
   * without a lock is a warning and one that contradicts its lock an error.
   * @default - no lock files are read
   */
  readonly locksDir?: string;
  /**
   * Name `--locks-dir <locksDir>` in the lock commands of messages.
   * @default false - `locksDir` is where the CLI's `lock` writes anyway (the app's locks
   * directory, or `locks/` beside a config file)
   */
  readonly locksDirNamed?: boolean;
  /**
   * Locks by environment name, e.g. from `validate <file> --lock <lock.json>` (with the file,
   * named in messages); they win over `locksDir`. @default - none
   */
  readonly locks?: ReadonlyMap<string, { readonly lock: EnvironmentLock; readonly file?: string }>;
  /**
   * Run the rules on the resources (stage 3), which builds each environment in a scratch tree.
   * @default true
   */
  readonly resourceRules?: boolean;
  /**
   * Builds one environment for the rules of stage 3 and returns the construct whose resources
   * they read (the `WireFederation`). An app passes the builder of its real stacks, so each
   * environment is built once and the rules read exactly what it synthesizes.
   * @default - {@link scratchFederation}: a throwaway tree that is never synthesized
   */
  readonly build?: (config: WireFederationConfig, configs: readonly WireFederationConfig[]) => IConstruct;
}

export interface ValidationResult {
  /** Every finding, grouped by environment in input order, errors and warnings. */
  readonly findings: readonly ValidationFinding[];
  /** The configs that parsed (stage 1 and 2 passed), in input order. */
  readonly configs: readonly WireFederationConfig[];
  /** Whether any finding is an error. */
  readonly failed: boolean;
}

/** A stage's finding before the pipeline fills in path and environment. */
type Raw = Finding;

export const PIPELINE_RULES = defineCatalogue({
  schema: CONFIG_RULES.schema,
  'duplicate-environment': { level: 'error', description: 'two environments with the same name (names are stack names)' },
  'duplicate-backend-domain': { level: 'error', description: 'two environments with the same backend domain' },
  'unknown-environment-ca': { level: 'error', description: 'a peer CA `{environment: x}` where no environment x is checked' },
  'lock-missing': { level: 'warning', description: 'an environment without a lock file: run `wire-federation lock <env>` and commit it' },
  'lock-file': { level: 'error', description: 'a lock file that cannot be read or is not a lock' },
  'locked-backend-domain': { level: 'error', description: 'a backend domain that differs from the one its lock pins' },
  'locked-peer-removed': { level: 'error', description: 'a locked peer that disappeared from the config with `remotes.mode: api` (brig cannot forget it)' },
  'lock-peers-unrecorded': { level: 'warning', description: 'peers that the lock does not record yet: run `wire-federation lock <env>`' },
  construction: { level: 'error', description: 'an environment whose resources could not be built for the rules (reported with the cause)' },
  'adoption-undecided': {
    level: 'warning',
    description:
      'an environment that says neither `greenfield: true` nor names an `adoptionFile`: does a wire-server already run there? Adopt it, or state that it is new (`preflight` checks the answer)',
  },
  'greenfield-adopted': { level: 'error', description: '`greenfield: true` together with an `adoptionFile`: an adopted backend is not new' },
  'release-without-values': {
    level: 'warning',
    description:
      "a wire-server release without an operator values file: the chart refuses to render with the federation values alone (names the chart's first required values)",
  },
});

/** The id of a check of the pipeline itself. */
export type PipelineRuleId = keyof typeof PIPELINE_RULES;

/** The ids of `PIPELINE_RULES` by name, for the code that reports them (the rule pack has its own ids). */
export const PIPELINE_RULE_IDS = {
  schema: 'schema',
  duplicateEnvironment: 'duplicate-environment',
  duplicateBackendDomain: 'duplicate-backend-domain',
  unknownEnvironmentCa: 'unknown-environment-ca',
  lockMissing: 'lock-missing',
  lockFile: 'lock-file',
  lockedBackendDomain: 'locked-backend-domain',
  lockedPeerRemoved: 'locked-peer-removed',
  lockPeersUnrecorded: 'lock-peers-unrecorded',
  construction: 'construction',
  adoptionUndecided: 'adoption-undecided',
  releaseWithoutValues: 'release-without-values',
  greenfieldAdopted: 'greenfield-adopted',
} as const satisfies Record<string, PipelineRuleId>;

/** What each check of the pipeline itself finds (docs/reference/checks.md). */

/**
 * Runs the whole pipeline over several environments (checked together: names, domains, pairs).
 * Never throws for a config mistake: every mistake is a finding.
 */
export function validateEnvironments(sources: readonly EnvironmentSource[], options: ValidationOptions = {}): ValidationResult {
  const byEnvironment = new Map<string, ValidationFinding[]>();
  const add = (environment: string, raw: Raw): void => {
    const list = byEnvironment.get(environment) ?? [];
    if (!byEnvironment.has(environment)) byEnvironment.set(environment, list);
    list.push(complete(environment, raw));
  };
  const configs: WireFederationConfig[] = [];
  const sourceOf = new Map<WireFederationConfig, string>();
  const hints = new Map<string, CommandHint>();
  const names: string[] = [];

  // Stages 1 and 2: schema and files.
  sources.forEach((given, i) => {
    let s: EnvironmentSource;
    try {
      s = readSource(given);
    } catch (e) {
      if (!(e instanceof FederationConfigError)) throw e;
      names.push(`#${i}`);
      for (const p of e.problems) add(`#${i}`, problemFinding(p));
      return;
    }
    const name = environmentName(s.input, i);
    names.push(name);
    byEnvironment.set(name, byEnvironment.get(name) ?? []);
    const command = commandHint({ cli: options.cli, target: s.commandTarget ?? (given.file !== undefined ? fileTarget(given.file) : name) });
    hints.set(name, command);
    try {
      const config = parseFederationConfig(s.input, { baseDir: s.baseDir, source: s.source, command });
      configs.push(config);
      sourceOf.set(config, s.source ?? `the config of environment ${config.environment}`);
      for (const w of config.warnings) add(name, { level: 'warning', rule: w.rule ?? PIPELINE_RULE_IDS.schema, path: w.path, message: w.message });
    } catch (e) {
      if (!(e instanceof FederationConfigError)) throw e;
      for (const p of e.problems) add(name, problemFinding(p));
    }
  });

  // Stage 4a: across environments (before the rules: a CA reference must resolve to build).
  const known = new Set(configs.map((c) => c.environment));
  for (const { key, value, first, second } of environmentClashes(configs)) {
    if (key === 'environment') {
      add(value, {
        level: 'error',
        rule: PIPELINE_RULE_IDS.duplicateEnvironment,
        path: 'environment',
        message: `environment ${value} is defined twice (${sourceOf.get(first)} and ${sourceOf.get(second)}); names must be unique (they name the stacks); received ${JSON.stringify(value)}`,
      });
    } else {
      add(second.environment, {
        level: 'error',
        rule: PIPELINE_RULE_IDS.duplicateBackendDomain,
        path: 'backendDomain',
        message: `${value} is also the backend domain of environment ${first.environment}; every backend needs its own domain; received ${JSON.stringify(value)}`,
      });
    }
  }
  for (const config of configs) {
    config.peers.forEach((peer, i) =>
      peer.caCertificates.forEach((ca, j) => {
        if (ca.kind === 'environment' && !known.has(ca.environment)) {
          add(config.environment, {
            level: 'error',
            rule: PIPELINE_RULE_IDS.unknownEnvironmentCa,
            path: `peers[${i}].caCertificates[${j}].environment`,
            message: `names environment ${JSON.stringify(ca.environment)}, which is not among the environments checked together (${[...known].join(', ') || 'none'}); give the peer's CA as {file: <path>} or {pem: <text>}, or add that environment; received ${JSON.stringify(ca.environment)}`,
          });
        }
      }),
    );
  }

  // Stage 3: the rule pack, on the resources as they will be synthesized.
  for (const config of configs) {
    const failed = (byEnvironment.get(config.environment) ?? []).some((f) => f.level === 'error');
    const build = options.build === undefined ? () => scratchFederation(config, known) : () => options.build!(config, configs);
    for (const f of ruleFindings(config, build, options.resourceRules !== false, failed)) add(config.environment, f);
  }

  // Stage 4b: locks, and whether the environment is new or adopted.
  for (const config of configs) {
    const command = hints.get(config.environment) ?? commandHint({ cli: options.cli, target: config.environment });
    for (const f of [...adoptionFindings(config, command), ...releaseValuesFindings(config, command)]) add(config.environment, f);
  }
  for (const config of configs) {
    for (const f of lockFindings(config, options, hints.get(config.environment) ?? commandHint({ cli: options.cli, target: config.environment })))
      add(config.environment, f);
  }

  // Stage 4c: pairs (each finding belongs to the environment whose peer entry it names).
  for (const f of checkPairs(configs, { sourceOf: (c) => sourceOf.get(c) ?? c.environment })) add(f.environment, f);

  const order = [...new Set(names), ...byEnvironment.keys()];
  const findings = [...new Set(order)].flatMap((n) => byEnvironment.get(n) ?? []);
  return { findings, configs, failed: findings.some((f) => f.level === 'error') };
}

/** Options of {@link validateFederationConfig}. */
export interface ValidateConfigOptions extends ValidationOptions {
  /** @default - the current working directory */
  readonly baseDir?: string;
  readonly source?: string;
  /** What names the environment on the CLI's command line in messages. @default - the environment name */
  readonly commandTarget?: string;
}

/**
 * The pipeline for one environment (a library entry point): every finding for `input`, as synth
 * would report it for that environment alone.
 */
export function validateFederationConfig(input: unknown, options: ValidateConfigOptions = {}): ValidationResult {
  return validateEnvironments([{ input, baseDir: options.baseDir, source: options.source, commandTarget: options.commandTarget }], options);
}

/** A source with its input read from its file, when it names one. */
function readSource(s: EnvironmentSource): EnvironmentSource {
  if (s.input !== undefined || s.file === undefined) return s;
  return { input: readConfigInput(s.file), baseDir: s.baseDir ?? dirname(resolve(s.file)), source: s.source ?? s.file };
}

/** The environment name of an input, or `#<index>` when it has no usable one. */
export function environmentName(input: unknown, index: number): string {
  const env = (input as { environment?: unknown } | null)?.environment;
  return typeof env === 'string' && /^[a-z0-9-]+$/.test(env) ? env : `#${index}`;
}

function problemFinding(p: ConfigProblem): Raw {
  return { level: 'error', rule: p.rule ?? PIPELINE_RULE_IDS.schema, path: p.path, message: p.message };
}

/**
 * Fills in path and environment. A rule without a path that starts its message with one
 * (`peers[1].domain: …`, `env/Federation/Dns/Srv: …`) has it taken off the message.
 */
function complete(environment: string, f: Raw): ValidationFinding {
  if (f.path !== undefined) return { ...f, path: f.path, environment: f.environment ?? environment };
  const m = /^([A-Za-z0-9_.[\]/-]+): ([\s\S]*)$/.exec(f.message);
  return m ? { ...f, path: m[1], message: m[2], environment: f.environment ?? environment } : { ...f, path: '', environment: f.environment ?? environment };
}

/**
 * The rule pack for one parsed config: built in a scratch construct tree (never synthesized, no
 * file written) so the resource rules read what synth would write. A config whose tree cannot be
 * built reports the config rules, plus the builder's message when they found no error.
 */
function ruleFindings(config: WireFederationConfig, build: () => IConstruct, withResources: boolean, failed: boolean): Raw[] {
  if (!withResources) return runConfigRules({ config });
  let federation: IConstruct;
  try {
    federation = build();
  } catch (e) {
    const configFindings = runConfigRules({ config });
    if (failed || configFindings.some((f) => f.level === 'error')) return configFindings;
    return [
      ...configFindings,
      { level: 'error', rule: PIPELINE_RULE_IDS.construction, path: '', message: `the config cannot be built: ${(e as Error).message}` },
    ];
  }
  return runRules(buildModel(federation, config));
}

/** Builds `config` the way `FederationStack` does, in a throwaway app that is never synthesized. */
export function scratchFederation(config: WireFederationConfig, environments: ReadonlySet<string> = new Set()): WireFederation {
  // The App constructor creates its outdir when missing: give it one that exists.
  const app = new App({ outdir: tmpdir(), stackTraces: false, skipValidation: true });
  const stack = new TerraformStack(app, config.environment);
  // Stand-ins for the stack's sensitive variables (the same inputs, from the same function).
  const secrets = federationSecretInputs(config, {
    string: (name) => `\${var.${name}}`,
    map: (name, paths) => paths.map((path) => ({ path, value: `\${lookup(var.${name}, "${path}")}` })),
  });
  return new WireFederation(stack, 'Federation', {
    config,
    ...secrets,
    environmentCa: (environment) => {
      if (!environments.has(environment)) throw new Error(`environment ${environment} is unknown`);
      return `\${data.terraform_remote_state.${environment}.outputs.ca_certificate_pem}`;
    },
    annotateWarnings: false,
  });
}

/** Stage 4b: the config against its lock. */
function lockFindings(config: WireFederationConfig, options: ValidationOptions, command: CommandHint): Raw[] {
  const given = options.locks?.get(config.environment);
  let lock = given?.lock;
  let lockFile = given?.file;
  if (lock === undefined && options.locksDir !== undefined) {
    lockFile = fileTarget(lockPath(options.locksDir, config.environment));
    try {
      lock = readLock(options.locksDir, config.environment);
    } catch (e) {
      return [{ level: 'error', rule: PIPELINE_RULE_IDS.lockFile, path: '', message: (e as Error).message }];
    }
    if (lock === undefined) {
      return [
        {
          level: 'warning',
          rule: PIPELINE_RULE_IDS.lockMissing,
          path: '',
          message: `environment ${config.environment} has no lock file: its backend domain is not pinned in review. Run \`${command('lock', ...locksDirArgs(options))}\` and commit the file.`,
        },
      ];
    }
  }
  if (lock === undefined) return [];
  const findings: Raw[] = lockProblems(config, lock, { lockFile, command }).map((p) => ({
    level: 'error',
    rule: p.rule ?? (p.path === 'backendDomain' ? PIPELINE_RULE_IDS.lockedBackendDomain : PIPELINE_RULE_IDS.lockedPeerRemoved),
    path: p.path,
    message: p.message,
  }));
  const recorded = new Set(lock.peers);
  const unrecorded = config.peers.map((p) => p.domain).filter((d) => !recorded.has(d));
  if (unrecorded.length > 0) {
    findings.push({
      level: 'warning',
      rule: PIPELINE_RULE_IDS.lockPeersUnrecorded,
      path: 'peers',
      message: `the lock of environment ${config.environment} does not record the peers ${unrecorded.join(', ')}: run \`${command('lock', ...locksDirArgs(options))}\` and commit the file, so removing them later is caught.`,
    });
  }
  return findings;
}

/**
 * Whether the environment says what runs already: an adoption record (a running backend,
 * imported) or `greenfield: true` (nothing runs). Asked once, in review: deploying a new stack
 * over a running backend installs a second wire-server, or fails at apply after the DNS records
 * were created.
 */
function adoptionFindings(config: WireFederationConfig, command: CommandHint): Raw[] {
  if (config.adoption !== undefined && config.greenfield === true) {
    return [
      {
        level: 'error',
        rule: PIPELINE_RULE_IDS.greenfieldAdopted,
        path: 'greenfield',
        message: `is true, but adoptionFile names the record of a running backend (${config.adoptionFile}): an adopted backend is not new. Remove greenfield (keep the record), or remove adoptionFile if nothing runs; received true`,
      },
    ];
  }
  if (config.adoption !== undefined || config.greenfield === true) return [];
  const where = `namespace ${config.kubernetes.namespace}${config.kubernetes.context === undefined ? '' : ` of kube context ${config.kubernetes.context}`}`;
  return [
    {
      level: 'warning',
      rule: PIPELINE_RULE_IDS.adoptionUndecided,
      path: 'greenfield',
      message:
        `environment ${config.environment} says neither that it is new nor that it runs already${config.greenfield === false ? ' (greenfield is false, and there is no adoptionFile)' : ''}. ` +
        `Does a wire-server already run in ${where}? If it does, adopt it: \`${command('adopt')}\`, then add the adoptionFile it names ` +
        '(deploying without it installs a second wire-server, or fails at apply after the DNS records were created). ' +
        `If nothing runs yet, set greenfield: true. \`${command('preflight')}\` checks either answer against the cluster and DNS.`,
    },
  ];
}

/**
 * What the wire-server chart requires that the federation values never set, in the order
 * `helm template` of the real chart (5.30-5.32) fails on them with the federation values alone:
 * nginz first ("No .secrets found in configuration"), then elasticsearch-index ("missing
 * elasticsearch-index.elasticsearch.host!"); see docs/chart-facts.md.
 */
export const WIRE_SERVER_REQUIRED_VALUES: readonly string[] = ['nginz.secrets', 'elasticsearch-index.elasticsearch.host', 'elasticsearch-index.cassandra.host'];

/**
 * A wire-server release without any operator values file: the federation values set only the
 * domain places, trust and the federator; the chart refuses to render without the rest
 * (secrets, Cassandra and Elasticsearch hosts), at apply. An adopted release has its running
 * values as its first values file. Values listed in `sensitiveValues` count as given.
 */
function releaseValuesFindings(config: WireFederationConfig, command: CommandHint): Raw[] {
  const release = config.charts.wireServer;
  if (release.valuesFiles.length > 0) return [];
  const given = (path: string): boolean => release.sensitiveValues.some((s) => s === path || s.startsWith(`${path}.`));
  const missing = WIRE_SERVER_REQUIRED_VALUES.filter((p) => !given(p));
  return [
    {
      level: 'warning',
      rule: PIPELINE_RULE_IDS.releaseWithoutValues,
      path: 'charts.wireServer.valuesFiles',
      message:
        'is empty: the wire-server chart refuses to render with the federation values alone (helm fails at apply). ' +
        `It requires ${missing.length > 0 ? `${missing.join(', ')} first, then ` : ''}the rest of your install's settings (the brig, galley and cargohold secrets, Cassandra, Elasticsearch, SMTP). ` +
        'Add your values file to charts.wireServer.valuesFiles (from a running backend: `helm get values <release> -o yaml`) and the secret paths to sensitiveValues; ' +
        `\`${command('render')}\` shows the chart's own message; received []`,
    },
  ];
}

/** `--locks-dir <dir>` for the lock command of a message, when the locks are not in the CLI's default place. */
function locksDirArgs(options: ValidationOptions): string[] {
  return options.locksDir === undefined || options.locksDirNamed !== true ? [] : ['--locks-dir', shellWord(fileTarget(options.locksDir))];
}

/**
 * Thrown by the entry points that cannot go on with errors (e.g. `addEnvironments`): carries
 * every finding; its message is the printed report.
 */
export class FederationValidationError extends FederationConfigError {
  public readonly findings: readonly ValidationFinding[];

  constructor(findings: readonly ValidationFinding[], where: string, report: string) {
    super(
      findings.filter((f) => f.level === 'error').map((f) => ({ path: `${f.environment}:${f.path}`, message: f.message, rule: f.rule })),
      where,
    );
    this.name = 'FederationValidationError';
    this.findings = findings;
    this.message = report.trimEnd();
  }
}
