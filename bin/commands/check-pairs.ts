/**
 * `wire-federation check-pairs [--config <file>]...`: checks that environments which federate
 * with each other agree (both list each other, federation on, CAs trusted, same search policy).
 * Exit 0 no errors (warnings allowed), 1 errors found, 2 usage error or invalid config.
 */
import type { Command } from 'commander';
import { environmentClashes } from '../../lib/checks/environment-clashes';
import { checkPairs } from '../../lib/checks/pairs';
import { FederationConfigError, WireFederationConfig, loadConfigFile } from '../../lib/config';
import { currentProject, loadConfig, projectEnvironments } from '../config-source';
import { exitWith } from '../exit';
import { sourceOf } from '../project';
import { collect, commandOutput } from '../output';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function registerCheckPairs(program: Command): void {
  program
    .command('check-pairs')
    .description('Check that environments federating with each other agree: both list each other, federation is on, each trusts the other\'s CA, search policies match')
    .option('-c, --config <file>', "check this YAML/JSON environment file instead of the app's environments (repeatable)", collect, [])
    .addHelpText('after', '\nPrints one line per finding (✖ error, ⚠ warning) and a summary. Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage error or invalid config.')
    .action(function (this: Command, opts: { config: string[] }) {
      const { write, writeErr } = commandOutput(this);

      // Every source is parsed before anything is checked: all config problems are shown at once.
      const sources = new Map<WireFederationConfig, string>();
      const invalid: FederationConfigError[] = [];
      const load = (source: string, parse: () => WireFederationConfig) => {
        try {
          sources.set(parse(), source);
        } catch (e) {
          if (!(e instanceof FederationConfigError)) throw e;
          invalid.push(e);
        }
      };
      if (opts.config.length > 0) {
        for (const file of opts.config) load(file, () => loadConfigFile(file));
      } else {
        const project = currentProject();
        if (project === undefined) {
          writeErr('error: give the environment files to check with --config <file> (repeatable): this CLI knows no environments by name\n');
          exitWith(2);
        }
        for (const { environment } of projectEnvironments()) load(sourceOf(project, environment), () => loadConfig(environment, undefined));
      }
      if (invalid.length > 0) {
        for (const e of invalid) writeErr(`${e.message}\n`);
        exitWith(2);
      }
      const configs = [...sources.keys()];
      const [clash] = environmentClashes(configs);
      if (clash !== undefined) {
        writeErr(`error: ${clash.key} ${clash.value} is defined in both ${sources.get(clash.first)} and ${sources.get(clash.second)}; every environment needs its own name and backend domain\n`);
        exitWith(2);
      }

      const findings = checkPairs(configs, { sourceOf: (c) => sources.get(c)! });
      for (const f of findings) write(`${f.level === 'error' ? '✖' : '⚠'} ${f.message}\n`);
      const errors = findings.filter((f) => f.level === 'error').length;
      const warnings = findings.length - errors;
      const checked = plural(configs.length, 'environment');
      if (errors > 0) {
        write(`✖ ${checked}: ${plural(errors, 'error')}${warnings > 0 ? `, ${plural(warnings, 'warning')}` : ''}\n`);
        exitWith(1);
      }
      write(`✔ ${checked}: every federating pair agrees${warnings > 0 ? ` (${plural(warnings, 'warning')})` : ''}\n`);
    });
}
