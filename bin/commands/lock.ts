/**
 * `wire-federation lock <environment|file>...`: writes the environment lock files that pin the
 * backend domain (and record the peers) in review. A config file's lock goes to `locks/` beside
 * it unless `--locks-dir` says otherwise. Exit 0 written, 1 refused, 2 usage.
 */
import type { Command } from 'commander';
import { fileTarget } from '../../lib/config/command-hint';
import { lockFor, lockProblems } from '../../lib/guard/environment-lock';
import { lockPath, readLock, writeLock } from '../../lib/guard/lock-file';
import { countFindings, formatFinding } from '../../lib/validation/format';
import { ValidationResult, validateEnvironments } from '../../lib/validation/pipeline';
import {
  cliCommand,
  currentProject,
  defaultLocksDir,
  hintFor,
  isConfigFileTarget,
  isProjectEnvironment,
  projectEnvironments,
  projectSources,
  unknownEnvironmentMessage,
} from '../config-source';
import { exitWith } from '../exit';
import { commandOutput } from '../output';
import { existsSync } from 'node:fs';
import { withFileLock } from '../../lib/files/write';

interface LockOptions {
  readonly all?: boolean;
  readonly resetDomain?: boolean;
  readonly locksDir?: string;
}

export function registerLock(program: Command): void {
  program
    .command('lock')
    .description('Write the lock file of environments: pins the backend domain (which can never change once users exist) and records the peers')
    .argument('[targets...]', "config files (.yaml, .yml, .json) or environment names of the app's project")
    .option('--all', "lock every environment of the app's project")
    .option('--reset-domain', 'accept a changed backend domain: ONLY for an environment without users')
    .option('--locks-dir <dir>', "directory of the lock files (default: locks/ beside a config file; the app's locks directory for environment names)")
    .action(function (this: Command, names: string[], opts: LockOptions) {
      const { write, writeErr } = commandOutput(this);
      const targets = opts.all ? projectEnvironments().map((e) => e.environment) : names;
      if (targets.length === 0) {
        writeErr(`error: name the config files or environments to lock${currentProject() ? ', or give --all' : `, e.g. \`${cliCommand()} lock acme.yaml\``}\n`);
        exitWith(2);
      }
      for (const name of targets) {
        if (isConfigFileTarget(name) ? !existsSync(name) : !isProjectEnvironment(name)) {
          writeErr(`error: ${isConfigFileTarget(name) ? `no such file: ${name}` : unknownEnvironmentMessage(name)}\n`);
          exitWith(2);
        }
      }
      const projectLocks = opts.locksDir ?? currentProject()?.locksDir;
      if (projectLocks === undefined && targets.some((t) => !isConfigFileTarget(t))) {
        writeErr('error: give --locks-dir <dir>: this project names no directory of lock files\n');
        exitWith(2);
      }
      // The pipeline synth runs (without the lock stage: the lock is what is being written).
      let project: ValidationResult | undefined;
      let refused = false;
      for (const name of targets) {
        const file = isConfigFileTarget(name);
        const result = file
          ? validateEnvironments([{ file: name }], { cli: cliCommand() })
          : (project ??= validateEnvironments(projectSources(), { cli: cliCommand() }));
        const locksDir = opts.locksDir ?? (file ? defaultLocksDir(name) : projectLocks!);
        const config = file ? result.configs[0] : result.configs.find((c) => c.environment === name);
        const errors = result.findings.filter((f) => (file || f.environment === name) && f.level === 'error');
        const where = fileTarget(lockPath(locksDir, config?.environment ?? name));
        if (errors.length > 0 || config === undefined) {
          refused = true;
          writeErr(`✖ ${name}: invalid config, not locked (${where}): ${countFindings(errors)}\n`);
          for (const f of errors) writeErr(`${formatFinding(f, { withEnvironment: false })}\n`);
          continue;
        }
        // Read, compare and write under an exclusive lock: two `lock` runs at once do not interleave.
        const outcome = (() => {
          try {
            return withFileLock(lockPath(locksDir, config.environment), () => {
              const previous = readLock(locksDir, config.environment);
              const domainChanged = previous !== undefined && previous.backendDomain !== config.backendDomain;
              if (domainChanged && !opts.resetDomain) return { refused: previous } as const;
              const written = writeLock(locksDir, lockFor(config, domainChanged ? undefined : previous));
              return { written, previous, domainChanged } as const;
            });
          } catch (e) {
            return { error: (e as Error).message } as const;
          }
        })();
        if ('error' in outcome) {
          refused = true;
          writeErr(`✖ ${name}: ${outcome.error}\n`);
          continue;
        }
        if ('refused' in outcome) {
          refused = true;
          const extra = opts.locksDir === undefined ? [] : ['--locks-dir', fileTarget(opts.locksDir)];
          const hint = hintFor(name);
          const command = (c: string, ...args: string[]) => hint(c, ...args, ...extra);
          for (const p of lockProblems(config, outcome.refused!, { lockFile: where, command }).filter((x) => x.path === 'backendDomain'))
            writeErr(`✖ ${name}: ${p.path} ${p.message}\n`);
          continue;
        }
        const { written, previous, domainChanged } = outcome;
        write(
          `✔ ${name}: ${previous ? 'updated' : 'wrote'} ${fileTarget(written)}${domainChanged ? ` (backend domain reset to ${config.backendDomain})` : ''}\n`,
        );
      }
      if (refused) exitWith(1);
    });
}
