/**
 * `wire-federation check-pairs [--config <file>]...`: checks that environments which federate
 * with each other agree (both list each other, federation on, CAs trusted, same search policy).
 * With `--live`, also makes the real federation call between them, in each direction whose
 * caller's certificate is given.
 * Exit 0 no errors (warnings allowed), 1 errors found, 2 usage error or invalid config.
 */
import type { Command } from 'commander';
import { DEFAULT_TIMEOUT_MS, parseDnsServerOption, parseTimeout, readCertificates, readClientCertificate } from '../options';
import { renderCheck } from '../../lib/verify/report';
import { LiveEnvironment, liveCalls } from '../../lib/verify/live-pairs';
import { UsageError } from '../config-source';
import { COMMAND_EXIT } from '../exit';
import { environmentClashes } from '../../lib/checks/environment-clashes';
import { checkPairs } from '../../lib/checks/pairs';
import { FederationConfigError, WireFederationConfig, loadConfigFile } from '../../lib/config';
import { currentProject, loadConfig, projectEnvironments } from '../config-source';
import { exitWith } from '../exit';
import { sourceOf } from '../project';
import { collect, commandOutput } from '../output';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

interface CheckPairsOptions {
  readonly config: string[];
  readonly live?: boolean;
  readonly clientCert: string[];
  readonly clientKey: string[];
  readonly ca: string[];
  readonly dnsServer?: string;
  readonly timeout: number;
}

/** `<environment>=<file>` values of a repeatable option, by environment (one file each). */
function byEnvironment(option: string, values: readonly string[], known: readonly string[]): Map<string, string> {
  const result = new Map<string, string>();
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0 || eq === value.length - 1) throw new UsageError(`${option} must be <environment>=<file>; received "${value}"`);
    const env = value.slice(0, eq);
    if (!known.includes(env)) throw new UsageError(`${option} names "${env}", which is not one of the environments checked: ${known.join(', ')}`);
    if (result.has(env)) throw new UsageError(`${option} is given twice for ${env}`);
    result.set(env, value.slice(eq + 1));
  }
  return result;
}

/** The environments of a live run, with the certificates and CAs given for them. */
function liveEnvironments(
  configs: readonly WireFederationConfig[],
  sourceOfConfig: (c: WireFederationConfig) => string,
  opts: CheckPairsOptions,
): LiveEnvironment[] {
  const names = configs.map((c) => c.environment);
  const certs = byEnvironment('--client-cert', opts.clientCert, names);
  const keys = byEnvironment('--client-key', opts.clientKey, names);
  const cas = byEnvironment('--ca', opts.ca, names);
  return configs.map((config) => {
    const env = config.environment;
    const cert = certs.get(env);
    const key = keys.get(env);
    if ((cert === undefined) !== (key === undefined)) throw new UsageError(`give --client-cert ${env}=<pem> and --client-key ${env}=<key> together`);
    const ca = cas.get(env);
    return {
      config,
      source: sourceOfConfig(config),
      clientCertificate: readClientCertificate(cert, key),
      ca: ca === undefined ? undefined : readCertificates(`--ca ${env}`, ca),
    };
  });
}

export function registerCheckPairs(program: Command): void {
  program
    .command('check-pairs')
    .description(
      "Check that environments federating with each other agree: both list each other, federation is on, each trusts the other's CA, search policies match",
    )
    .option('-c, --config <file>', "check this YAML/JSON environment file instead of the app's environments (repeatable)", collect, [])
    .option(
      '--live',
      "also make the real federation call (POST /federation/brig/api-version) between deployed environments that federate, in each direction whose caller's certificate is given",
    )
    .option(
      '--client-cert <environment=pem-file>',
      "with --live: an environment's federator certificate (with intermediates), presented as client certificate (repeatable)",
      collect,
      [],
    )
    .option('--client-key <environment=pem-file>', 'with --live: the private key of that certificate (repeatable)', collect, [])
    .option(
      '--ca <environment=pem-file>',
      "with --live: an environment's CA certificate (stack output ca_certificate_pem), to judge its server certificate for peers that trust it by environment name (repeatable)",
      collect,
      [],
    )
    .option('--dns-server <ip[:port]>', 'with --live: send every DNS lookup to this server', parseDnsServerOption)
    .option('--timeout <ms>', 'with --live: timeout of each lookup and call in milliseconds', parseTimeout, DEFAULT_TIMEOUT_MS)
    .addHelpText(
      'after',
      [
        '',
        'Prints one line per finding (✖ error, ⚠ warning) and a summary. With --live, one line per direction',
        '(✔ the peer accepted and the versions meet, ✖ refused or unreachable, - not called).',
        'Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage error or invalid config.',
        '',
        'Example:',
        '  $ wire-federation check-pairs --live --client-cert red=red.pem --client-key red=red.key --client-cert blue=blue.pem --client-key blue=blue.key',
      ].join('\n'),
    )
    .action(async function (this: Command, opts: CheckPairsOptions) {
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
        writeErr(
          `error: ${clash.key} ${clash.value} is defined in both ${sources.get(clash.first)} and ${sources.get(clash.second)}; every environment needs its own name and backend domain\n`,
        );
        exitWith(2);
      }

      const liveGiven = opts.clientCert.length + opts.clientKey.length + opts.ca.length > 0 || opts.dnsServer !== undefined;
      if (liveGiven && !opts.live) this.error('error: --client-cert, --client-key, --ca and --dns-server need --live', { exitCode: 2, code: COMMAND_EXIT });
      let live: LiveEnvironment[] = [];
      try {
        if (opts.live) live = liveEnvironments(configs, (c) => sources.get(c)!, opts);
      } catch (e) {
        if (e instanceof UsageError) this.error(`error: ${e.message}`, { exitCode: 2, code: COMMAND_EXIT });
        throw e;
      }

      const findings = checkPairs(configs, { sourceOf: (c) => sources.get(c)! });
      for (const f of findings) write(`${f.level === 'error' ? '✖' : '⚠'} ${f.message}\n`);
      let liveFailures = 0;
      let liveSucceeded = 0;
      if (opts.live) {
        const calls = await liveCalls(live, { dnsServer: opts.dnsServer, timeoutMs: opts.timeout });
        if (calls.length === 0) write('- live: no environment lists another one of these as a peer: nothing to call\n');
        for (const call of calls) {
          if ('skipped' in call) write(`- live[${call.caller}→${call.callee}]  not called: ${call.skipped}\n`);
          else write(`${renderCheck(call.check)}\n`);
        }
        liveFailures = calls.filter((c) => 'check' in c && c.check.status === 'fail').length;
        liveSucceeded = calls.filter((c) => 'check' in c && c.check.status === 'pass').length;
      }
      const configErrors = findings.filter((f) => f.level === 'error').length;
      const warnings = findings.length - configErrors;
      const errors = configErrors + liveFailures;
      const checked = plural(configs.length, 'environment');
      const liveNote = opts.live ? `; ${plural(liveSucceeded, 'live call')} succeeded` : '';
      if (errors > 0) {
        const parts = [
          ...(configErrors > 0 ? [plural(configErrors, 'error')] : []),
          ...(liveFailures > 0 ? [`${plural(liveFailures, 'live call')} failed`] : []),
          ...(warnings > 0 ? [plural(warnings, 'warning')] : []),
        ];
        write(`✖ ${checked}: ${parts.join(', ')}\n`);
        exitWith(1);
      }
      write(`✔ ${checked}: every federating pair agrees${warnings > 0 ? ` (${plural(warnings, 'warning')})` : ''}${liveNote}\n`);
    });
}
