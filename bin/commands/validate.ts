/**
 * `wire-federation validate <file|environment>...`: runs the validation pipeline synth runs
 * (schema, files, rules on the resources, locks and pairs) without synthesizing, and prints the
 * same findings. Exit 0 valid (warnings allowed), 1 errors, 2 usage.
 */
import { existsSync } from 'node:fs';
import { InputFileError, jsonErrorWithoutContent, readBoundedText } from '../../lib/files/read';
import type { Command } from 'commander';
import type { EnvironmentLock } from '../../lib/guard/environment-lock';
import { EXIT_CODES, ValidationFinding, countFindings, formatFinding } from '../../lib/validation/format';
import { ValidationResult, environmentName, validateEnvironments } from '../../lib/validation/pipeline';
import { readConfigInput } from '../../lib/config';
import {
  cliCommand,
  currentProject,
  defaultLocksDir,
  isConfigFileTarget,
  isProjectEnvironment,
  projectSources,
  unknownEnvironmentMessage,
} from '../config-source';
import { exitWith } from '../exit';
import { commandOutput } from '../output';

interface ValidateOptions {
  readonly lock?: string;
  readonly locksDir?: string;
  readonly json?: boolean;
}

/** One target's report. */
interface TargetReport {
  readonly target: string;
  readonly environment?: string;
  readonly valid: boolean;
  readonly findings: readonly ValidationFinding[];
}

/** The environment name in a config file (`#0` when it has none or does not parse). */
function fileEnvironment(file: string): string {
  try {
    return environmentName(readConfigInput(file), 0);
  } catch {
    return '#0';
  }
}

/** Reads a lock file given with --lock (a usage error when it is not one). */
function readLockOption(file: string, usage: (message: string) => never): EnvironmentLock {
  let lock: EnvironmentLock;
  try {
    lock = JSON.parse(readBoundedText(file, { what: 'lock file', maxBytes: 1024 * 1024 })) as EnvironmentLock;
  } catch (e) {
    if (e instanceof InputFileError) return usage(`--lock ${file}: ${e.code === 'not-found' ? 'no such file' : e.message}`);
    return usage(`--lock ${file}: not a JSON lock file (${jsonErrorWithoutContent(e)})`);
  }
  if (lock === null || typeof lock.backendDomain !== 'string' || !Array.isArray(lock.peers)) {
    return usage(`--lock ${file}: not an environment lock (expected backendDomain and peers), as \`wire-federation lock\` writes it`);
  }
  return lock;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description(
      'Check environment configs (YAML/JSON files or environment names) with the checks synth runs: schema, the files they name, federation rules on the resources, locks and pairs',
    )
    .argument('<targets...>', "config files (.yaml, .yml, .json) or environment names of the app's project")
    .option('--lock <file>', 'check config files against this lock file (as `wire-federation lock` writes it)')
    .option('--locks-dir <dir>', "directory of the lock files (default: locks/ beside a config file; the app's locks directory for environment names)")
    .option('--json', 'print the findings as JSON (for CI)')
    .addHelpText(
      'after',
      '\nPrints each finding as "✖ path: message [rule]" (errors) or "⚠ path: message [rule]" (warnings), the same lines synth prints.\nExit codes: 0 valid (warnings allowed), 1 errors found, 2 usage error.',
    )
    .action(function (this: Command, targets: string[], opts: ValidateOptions) {
      const { write, writeErr } = commandOutput(this);
      const usage = (message: string): never => {
        writeErr(`error: ${message}\n`);
        return exitWith(EXIT_CODES.usage);
      };
      const lock = opts.lock === undefined ? undefined : readLockOption(opts.lock, usage);
      // Check the targets before running anything: a usage error prints nothing else.
      for (const target of targets) {
        if (isConfigFileTarget(target) ? !existsSync(target) : !isProjectEnvironment(target)) {
          usage(isConfigFileTarget(target) ? `no such file: ${target}` : unknownEnvironmentMessage(target));
        }
      }
      let repository: ValidationResult | undefined;
      const reports: TargetReport[] = targets.map((target): TargetReport => {
        if (!isConfigFileTarget(target)) {
          // An environment: checked together with the others, as synth checks it.
          repository ??= validateEnvironments(projectSources(), {
            locksDir: opts.locksDir ?? currentProject()?.locksDir,
            locksDirNamed: opts.locksDir !== undefined,
            cli: cliCommand(),
          });
          const findings = repository.findings.filter((f) => f.environment === target);
          return { target, environment: target, valid: !findings.some((f) => f.level === 'error'), findings };
        }
        // A file: checked alone, as synth checks an app with that one environment.
        // --lock applies to the file's environment, whatever its name.
        const locks = lock ? new Map([[fileEnvironment(target), { lock, file: opts.lock! }]]) : undefined;
        // Its lock: --lock, else in --locks-dir, else in locks/ beside the file (where `lock <file>` writes it).
        const result = validateEnvironments([{ file: target }], {
          locksDir: opts.locksDir ?? defaultLocksDir(target),
          locksDirNamed: opts.locksDir !== undefined,
          locks,
          cli: cliCommand(),
        });
        const name = result.configs[0]?.environment;
        return { target, environment: name, valid: !result.failed, findings: result.findings };
      });

      if (opts.json) {
        const json = {
          valid: reports.every((r) => r.valid),
          targets: reports.map((r) => ({
            ...r,
            findings: r.findings.map(({ rule, level, path, message, environment }) => ({ rule, level, path, message, environment })),
          })),
        };
        write(`${JSON.stringify(json, null, 2)}\n`);
      } else {
        for (const r of reports) {
          const summary = r.valid ? `valid${r.findings.length > 0 ? ` (${countFindings(r.findings)})` : ''}` : countFindings(r.findings);
          write(`${r.valid ? '✔' : '✖'} ${r.target}: ${summary}\n`);
          for (const f of [...r.findings].sort((a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1)))
            write(`${formatFinding(f, { withEnvironment: false })}\n`);
        }
      }
      if (reports.some((r) => !r.valid)) exitWith(EXIT_CODES.findings);
    });
}
