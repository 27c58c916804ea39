import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, App } from 'cdktf';
import type { WireFederationConfig, WireFederationInput } from '../lib/config';
import { RULE_ERROR } from '../lib/checks/federation-checks';
import { EXIT_CODES, ValidationFinding, formatReport } from '../lib/validation/format';
import { EnvironmentSource, FederationValidationError, ValidationResult, environmentName, validateEnvironments } from '../lib/validation/pipeline';
import { FederationStack } from './federation-stack';

/** How synth names the environments of this repository in its report. */
export const ENVIRONMENTS_WHERE = 'stacks/environments';

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
  sourceOf?(config: Pick<WireFederationConfig, 'environment'>): string;
}

/** The app's environments as pipeline sources: plain data, files relative to `baseDir`. */
export function environmentSources(inputs: readonly unknown[], baseDir: string, options: Pick<AddEnvironmentsOptions, 'sourceOf'> = {}): EnvironmentSource[] {
  return inputs.map((input, i) => {
    const name = environmentName(input, i);
    return { input, baseDir, source: options.sourceOf?.({ environment: name }) };
  });
}

/**
 * Synthesizes one stack per environment into `cdktf.out` (or `CDKTF_OUTDIR`), as `cdktf synth`
 * runs it. Findings are printed to stderr in the format of `wire-federation validate`; an error
 * exits 1 before anything is written.
 */
export function synthesizeEnvironments(inputs: readonly WireFederationInput[], baseDir: string, options: AddEnvironmentsOptions = {}): void {
  // The app runs under tsx, which enables source maps: Node would then parse the maps of every
  // module it loaded (cdktf and the providers ship large ones) for each construct's stack
  // trace. Nobody reads those traces here, so both stay off: synth is ~0.4 s faster.
  process.setSourceMapsEnabled(false);
  const code = synthesizeSources(environmentSources(inputs, baseDir, options), options);
  if (code !== EXIT_CODES.ok) process.exit(code);
}

export interface SynthesizeOptions extends AddEnvironmentsOptions {
  /** @default - `CDKTF_OUTDIR`, else `cdktf.out` (cdktf's default) */
  readonly outdir?: string;
  /** Where the report goes. @default process.stderr */
  readonly writeErr?: (text: string) => void;
  /** Named in the report's heading. @default 'stacks/environments' */
  readonly where?: string;
  /**
   * Changes the stacks after validation and before synthesis (escape hatches). The federation
   * rules run again on the result as cdktf validations. @default - none
   */
  readonly beforeSynth?: (stacks: readonly FederationStack[]) => void;
}

/**
 * Runs the validation pipeline, prints its findings, and synthesizes when there is no error.
 * Returns the exit code (0 synthesized, warnings allowed; 1 errors, nothing written).
 */
export function synthesizeSources(sources: readonly EnvironmentSource[], options: SynthesizeOptions = {}): number {
  const writeErr = options.writeErr ?? ((t: string) => process.stderr.write(t));
  const where = options.where ?? ENVIRONMENTS_WHERE;
  // Each environment is built once, in the app that synthesizes it: the pipeline's rules read
  // the real stacks. The app (which creates its outdir) exists once a config parses.
  let app: App | undefined;
  const stacks: FederationStack[] = [];
  const result = validateEnvironments(sources, {
    locksDir: options.locksDir,
    build: (config, configs) => {
      app ??= new App({ stackTraces: false, ...(options.outdir ? { outdir: options.outdir } : {}) });
      const stack = new FederationStack(app, { config, otherEnvironments: backendsOf(configs), annotateWarnings: false });
      stacks.push(stack);
      return stack.federation;
    },
  });
  writeErr(formatReport(result.findings, where));
  if (result.failed || app === undefined) return result.failed ? EXIT_CODES.findings : EXIT_CODES.ok;
  annotateWarnings(app, stacks, result);
  options.beforeSynth?.(stacks);
  try {
    app.synth();
  } catch (e) {
    // The safety net (rules run again as cdktf validations) fired: something changed the tree
    // after the pipeline ran. Same report, nothing left behind.
    const findings = safetyNetFindings(e);
    if (findings === undefined) throw e;
    for (const stack of stacks) rmSync(join(app.outdir, 'stacks', stack.node.id), { recursive: true, force: true });
    writeErr(formatReport(findings, where));
    return EXIT_CODES.findings;
  }
  return EXIT_CODES.ok;
}

/**
 * Validates every environment and adds one {@link FederationStack} per environment to `app`.
 * Every finding of every environment is reported at once, before anything is synthesized.
 * @throws FederationValidationError when there is an error finding
 */
export function addEnvironments(app: App, inputs: readonly WireFederationInput[], baseDir: string, options: AddEnvironmentsOptions = {}): FederationStack[] {
  const result = validateEnvironments(environmentSources(inputs, baseDir, options), { locksDir: options.locksDir });
  if (result.failed) throw new FederationValidationError(result.findings, ENVIRONMENTS_WHERE, formatReport(result.findings, ENVIRONMENTS_WHERE));
  return addStacks(app, result);
}

/** One stack per valid config; the pipeline's warnings annotated on the stacks (once each). */
function addStacks(app: App, result: ValidationResult): FederationStack[] {
  const backends = backendsOf(result.configs);
  const stacks = result.configs.map((config) => new FederationStack(app, { config, otherEnvironments: backends, annotateWarnings: false }));
  annotateWarnings(app, stacks, result);
  return stacks;
}

const backendsOf = (configs: readonly WireFederationConfig[]) => new Map(configs.map((c) => [c.environment, c.backend]));

function annotateWarnings(app: App, stacks: readonly FederationStack[], result: ValidationResult): void {
  const byName = new Map(stacks.map((s) => [s.node.id, s]));
  for (const f of result.findings.filter((x) => x.level === 'warning')) {
    Annotations.of(byName.get(f.environment) ?? app).addWarning(`[${f.rule}] ${f.path ? `${f.path}: ` : ''}${f.message}`);
  }
}

/** The findings inside cdktf's "Validation failed" error, or undefined for any other error. */
export function safetyNetFindings(e: unknown): ValidationFinding[] | undefined {
  const text = e instanceof Error ? e.message : '';
  if (!text.startsWith('Validation failed with the following errors:')) return undefined;
  return text
    .split('\n')
    .map((l) => /^\s+\[([^\]]+)\] (.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, constructPath, rest]) => {
      const environment = constructPath.split('/')[0];
      const rule = RULE_ERROR.exec(rest);
      return rule
        ? { level: 'error' as const, rule: rule[1], path: rule[2] ?? constructPath, message: rule[3], environment }
        : { level: 'error' as const, rule: 'validation', path: constructPath, message: rest, environment };
    });
}
