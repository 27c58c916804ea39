/**
 * `wire-federation lock <environment>...`: writes the environment lock files that pin the
 * backend domain (and record the peers) in review. Exit 0 written, 1 refused, 2 usage.
 */
import { relative } from 'node:path';
import type { Command } from 'commander';
import { lockFor, lockProblems } from '../../lib/guard/environment-lock';
import { lockPath, readLock, writeLock } from '../../lib/guard/lock-file';
import { countFindings, formatFinding } from '../../lib/validation/format';
import { validateEnvironments } from '../../lib/validation/pipeline';
import { currentProject, isProjectEnvironment, projectEnvironments, projectSources, unknownEnvironmentMessage } from '../config-source';
import { exitWith } from '../exit';
import { commandOutput } from '../output';

interface LockOptions {
  readonly all?: boolean;
  readonly resetDomain?: boolean;
  readonly locksDir?: string;
}

export function registerLock(program: Command): void {
  program
    .command('lock')
    .description('Write the lock file of environments: pins the backend domain (which can never change once users exist) and records the peers')
    .argument('[environments...]', "environment names of the app's project")
    .option('--all', 'lock every environment')
    .option('--reset-domain', 'accept a changed backend domain: ONLY for an environment without users')
    .option('--locks-dir <dir>', "directory of the lock files (default: the app's locks directory)")
    .action(function (this: Command, names: string[], opts: LockOptions) {
      const { write, writeErr } = commandOutput(this);
      const targets = opts.all ? projectEnvironments().map((e) => e.environment) : names;
      if (targets.length === 0) {
        writeErr('error: name the environments to lock, or give --all\n');
        exitWith(2);
      }
      const locksDir = opts.locksDir ?? currentProject()?.locksDir;
      if (locksDir === undefined) {
        writeErr('error: give --locks-dir <dir>: this CLI has no default directory of lock files\n');
        exitWith(2);
      }
      for (const name of targets) {
        if (!isProjectEnvironment(name)) {
          writeErr(`error: ${unknownEnvironmentMessage(name)}\n`);
          exitWith(2);
        }
      }
      // The pipeline synth runs (without the lock stage: the lock is what is being written).
      const result = validateEnvironments(projectSources());
      let refused = false;
      for (const name of targets) {
        const errors = result.findings.filter((f) => f.environment === name && f.level === 'error');
        const config = result.configs.find((c) => c.environment === name);
        if (errors.length > 0 || config === undefined) {
          refused = true;
          writeErr(`✖ ${name}: invalid config, not locked (${lockPath(locksDir, name)}): ${countFindings(errors)}\n`);
          for (const f of errors) writeErr(`${formatFinding(f, { withEnvironment: false })}\n`);
          continue;
        }
        const previous = readLock(locksDir, name);
        const domainChanged = previous !== undefined && previous.backendDomain !== config.backendDomain;
        if (domainChanged && !opts.resetDomain) {
          refused = true;
          for (const p of lockProblems(config, previous, { lockFile: relative(process.cwd(), lockPath(locksDir, name)) }).filter((x) => x.path === 'backendDomain')) writeErr(`✖ ${name}: ${p.path} ${p.message}\n`);
          continue;
        }
        const file = writeLock(locksDir, lockFor(config, domainChanged ? undefined : previous));
        write(`✔ ${name}: ${previous ? 'updated' : 'wrote'} ${file}${domainChanged ? ` (backend domain reset to ${config.backendDomain})` : ''}\n`);
      }
      if (refused) exitWith(1);
    });
}
