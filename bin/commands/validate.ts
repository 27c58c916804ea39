/**
 * `wire-federation validate <file|environment>...`: checks environment configs without
 * synthesizing. Prints every problem as `path: message`. Exit 0 valid, 1 problems, 2 usage.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { runConfigRules } from '../../lib/checks/pack';
import { FederationConfigError, WireFederationConfig } from '../../lib/config';
import { UsageError, loadConfig } from '../config-source';
import { exitWith } from '../exit';
import { commandOutput } from '../output';

/** A config file (named .yaml/.yml/.json, or any existing file), else an environment name. */
function load(target: string): WireFederationConfig {
  const named = /\.(ya?ml|json)$/i.test(target);
  if (named && !existsSync(target)) throw new UsageError(`no such file: ${target}`);
  return named || existsSync(target) ? loadConfig(undefined, target) : loadConfig(target, undefined);
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Check environment configs (YAML/JSON files or environment names): schema, files they name, and federation rules')
    .argument('<targets...>', "config files (.yaml, .yml, .json) or environment names of the app's project")
    .addHelpText('after', '\nPrints each problem as "path: message". Exit codes: 0 valid, 1 problems found, 2 usage error.')
    .action(function (this: Command, targets: string[]) {
      const { write, writeErr } = commandOutput(this);
      let failed = false;
      for (const target of targets) {
        let config: WireFederationConfig;
        try {
          config = load(target);
        } catch (e) {
          if (e instanceof UsageError) {
            writeErr(`error: ${e.message}\n`);
            exitWith(2);
          }
          if (!(e instanceof FederationConfigError)) throw e;
          failed = true;
          write(`✖ ${target}: ${e.problems.length} problem${e.problems.length === 1 ? '' : 's'}\n`);
          for (const p of e.problems) write(`  ${p.path || '(config)'}: ${p.message}\n`);
          continue;
        }
        const findings = runConfigRules({ config });
        const errors = findings.filter((f) => f.level === 'error');
        if (errors.length > 0) failed = true;
        write(`${errors.length > 0 ? '✖' : '✔'} ${target}: ${errors.length > 0 ? `${errors.length} problem${errors.length === 1 ? '' : 's'}` : 'valid'}\n`);
        for (const f of findings) write(`  ${f.level === 'warning' ? '⚠ ' : ''}${f.message}\n`);
      }
      if (failed) exitWith(1);
    });
}
