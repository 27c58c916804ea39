/**
 * `wire-federation verify [environment]`: proves a deployed backend can federate (DNS, federator
 * certificate, mutual TLS, peers). Exit 0 when every check passes (warnings allowed), 1 when a
 * check fails, 2 on usage errors and invalid configs.
 */
import { Command, CommanderError } from 'commander';
import { exitCodeOf, renderHuman, renderJson } from '../../lib/verify/report';
import { VerifyOptions, verifyFederation } from '../../lib/verify/verify';
import { DEFAULT_CONCURRENCY, DEFAULT_INTERVAL_MS, DEFAULT_LISTEN, ExporterCredentials, RoundResult, startExporter } from '../../lib/verify/serve';
import type { WireFederationConfig } from '../../lib/config';
import { FederationConfigError, UsageError, loadConfig } from '../config-source';
import {
  DEFAULT_TIMEOUT_MS,
  parseConcurrency,
  parseDnsServerOption,
  parseFederationVersions,
  parseInterval,
  parseListen,
  parseTimeout,
  readCertificates,
  readClientCertificate,
  readPeerCas,
} from '../options';
import { meshRoundExtra } from '../../lib/mesh/exporter';
import { COMMAND_EXIT } from '../exit';
import { collect, commandOutput } from '../output';

interface VerifyCliOptions {
  readonly config?: string;
  readonly dnsServer?: string;
  readonly ca?: string;
  readonly clientCert?: string;
  readonly clientKey?: string;
  readonly clientKeyEnv?: string;
  readonly coturnCert?: string;
  readonly coturnKey?: string;
  readonly coturnKeyEnv?: string;
  readonly peers?: boolean;
  readonly peerCa: readonly string[];
  readonly timeout: number;
  readonly federationVersions?: number[];
  readonly json?: boolean;
  readonly serve?: boolean;
  readonly listen?: { host: string; port: number };
  readonly interval?: number;
  readonly concurrency?: number;
}

/** The certificates of one run from the command line's files (read again by every round of --serve). */
function readCredentials(opts: VerifyCliOptions, config: WireFederationConfig): ExporterCredentials {
  return {
    ca: opts.ca ? readCertificates('--ca', opts.ca) : undefined,
    clientCertificate: readClientCertificate(opts.clientCert, opts.clientKey, opts.clientKeyEnv),
    coturnCertificate: readClientCertificate(opts.coturnCert, opts.coturnKey, opts.coturnKeyEnv, { cert: '--coturn-cert', key: '--coturn-key' }),
    peerCas: readPeerCas(
      opts.peerCa,
      config.peers.map((p) => p.domain),
    ),
  };
}

/** At most this many check ids (and parts late for the deadline) in a round's log line; the metrics have all of them. */
export const ROUND_LINE_MAX_IDS = 20;

/** `items` joined, the first `max` of them and how many more. */
function capped(items: readonly string[], max: number = ROUND_LINE_MAX_IDS): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/**
 * One log line per round: counts, and the checks that failed or could not run (no secrets: ids
 * only), at most {@link ROUND_LINE_MAX_IDS} of them: with 200 peers down the line stays short.
 */
export function roundLine(round: RoundResult): string {
  const count = (state: string): number => round.states.filter((s) => s.state === state).length;
  const bad = round.states.filter((s) => s.state === 'fail' || s.state === 'error').map((s) => `${s.id} (${s.state})`);
  const deadline = round.missedDeadline.length > 0 ? `; no verdict by the deadline: ${capped(round.missedDeadline)}` : '';
  return `${round.startedAt.toISOString()} round: ${count('pass')} passed, ${count('fail')} failed, ${count('error')} could not run, ${count('warn')} warnings, ${count('skipped')} skipped in ${round.durationSeconds.toFixed(2)} s${bad.length > 0 ? `: ${capped(bad)}` : ''}${deadline}\n`;
}

/** Adds `verify` to the program. */
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('Check that a deployed backend can federate: DNS records, federator certificate, mutual TLS and (with --peers) its peers')
    .argument('[target]', "a config file (.yaml, .yml, .json) or an environment name of the app's project (or give --config)")
    .option('-c, --config <file>', 'read the config from a YAML or JSON file instead of an environment name')
    .option('--dns-server <ip[:port]>', 'send every DNS lookup (SRV, A, AAAA) to this server instead of the system resolvers', parseDnsServerOption)
    .option(
      '--ca <pem-file>',
      'CA certificate(s) that must have signed the federator certificate (default: the system CA store); for the private CA: the stack output ca_certificate_pem',
    )
    .option('--client-cert <pem-file>', 'our federator certificate (with intermediates), presented as client certificate to our ingress and to peers')
    .option('--client-key <pem-file>', 'private key of --client-cert')
    .option('--client-key-env <name>', 'read the private key of --client-cert from this environment variable instead of a file (never logged)')
    .option(
      '--coturn-cert <pem-file>',
      "with calling.enabled: our coturn's DTLS certificate (with intermediates), presented to each peer's coturn (docs/verify-calling.md)",
    )
    .option('--coturn-key <pem-file>', 'private key of --coturn-cert')
    .option('--coturn-key-env <name>', 'read the private key of --coturn-cert from this environment variable instead of a file (never logged)')
    .option(
      '--peers',
      'also check every configured peer: SRV record, server certificate against the CA we trust for it, that it accepts our client certificate, and a real federation call (version negotiation)',
    )
    .option('--peer-ca <domain=pem-file>', "CA certificate(s) of a peer whose CA is another environment's Terraform output (repeatable)", collect, [])
    .option('--timeout <ms>', 'timeout of each check (DNS lookup, TLS connection) in milliseconds', parseTimeout, DEFAULT_TIMEOUT_MS)
    .option(
      '--federation-versions <list>',
      'our federation API versions, e.g. 0,1,2,3, compared with what each peer answers (default: those of the configured wire-server chart version)',
      parseFederationVersions,
    )
    .option('--json', 'print the report as JSON')
    .option('--serve', 'run the checks on a schedule and serve them as Prometheus metrics (/metrics, /healthz) until SIGTERM; see docs/monitoring.md')
    .option(
      '--listen <address:port>',
      `with --serve: where to listen (default: ${DEFAULT_LISTEN.host}:${DEFAULT_LISTEN.port}; :9464 for every address, IPv6 and IPv4)`,
      parseListen,
    )
    .option(
      '--interval <duration>',
      `with --serve: time between two rounds of checks, e.g. 60s or 5m (default: ${DEFAULT_INTERVAL_MS / 1000}s); a round that runs longer reports its unfinished checks as errors`,
      parseInterval,
    )
    .option('--concurrency <n>', `with --serve: peers checked at the same time (default: ${DEFAULT_CONCURRENCY})`, parseConcurrency)
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 every check passed (warnings allowed), 1 a check failed, 2 usage error or invalid config.',
        '',
        'Examples:',
        '  $ wire-federation verify staging --ca staging-ca.pem --client-cert federator.pem --client-key federator.key',
        '  $ wire-federation verify prod.yaml --peers --dns-server 1.1.1.1 --json',
        '  $ wire-federation verify red --peers --peer-ca blue.wire.example.dev=blue-ca.pem --client-cert red.pem --client-key red.key',
        '  $ wire-federation verify --config prod.yaml --peers --serve --listen 127.0.0.1:9464 --interval 60s --ca ca.pem --client-cert tls.crt --client-key tls.key',
      ].join('\n'),
    )
    .action(async function (this: Command, environment: string | undefined, opts: VerifyCliOptions) {
      const { write: writeOut, writeErr } = commandOutput(this);
      let report;
      try {
        const config = loadConfig(environment, opts.config);
        if (opts.peerCa.length > 0 && !opts.peers) throw new UsageError('--peer-ca needs --peers');
        const serveOnly = (['listen', 'interval', 'concurrency'] as const).find((o) => opts[o] !== undefined);
        if (serveOnly && !opts.serve) throw new UsageError(`--${serveOnly} needs --serve`);
        if (opts.serve && opts.json) throw new UsageError('--json and --serve exclude each other: --serve serves metrics');
        const common = { config, dnsServer: opts.dnsServer, timeoutMs: opts.timeout, peers: opts.peers ?? false, federationVersions: opts.federationVersions };
        if (opts.serve) return await serve({ ...common, ...readCredentials(opts, config) }, opts, () => readCredentials(opts, config), writeOut, writeErr);
        report = await verifyFederation({ ...common, ...readCredentials(opts, config) });
      } catch (e) {
        if (e instanceof UsageError) this.error(`error: ${e.message}`, { exitCode: 2, code: COMMAND_EXIT });
        if (e instanceof FederationConfigError) this.error(e.message, { exitCode: 2, code: COMMAND_EXIT });
        throw e;
      }
      writeOut(opts.json ? renderJson(report) : renderHuman(report));
      const code = exitCodeOf(report);
      if (code !== 0) throw new CommanderError(code, COMMAND_EXIT, 'verification failed');
    });
}

/**
 * `--serve`: the exporter until SIGTERM or SIGINT. Certificates are read again before each
 * round (a renewed secret is picked up); a failed read keeps the previous ones and is logged.
 */
async function serve(
  options: VerifyOptions,
  opts: VerifyCliOptions,
  reload: () => ExporterCredentials,
  writeOut: (text: string) => void,
  writeErr: (text: string) => void,
): Promise<void> {
  const listen = opts.listen ?? DEFAULT_LISTEN;
  const intervalMs = opts.interval ?? DEFAULT_INTERVAL_MS;
  let exporter;
  try {
    exporter = await startExporter({
      ...options,
      // The federation mesh each round (lib/mesh): with --peers, our client certificate and two peers or more.
      extras: [meshRoundExtra()],
      host: listen.host,
      port: listen.port,
      intervalMs,
      concurrency: opts.concurrency,
      reloadCredentials: reload,
      onRound: (round) => writeOut(roundLine(round)),
      onError: (e, during) =>
        writeErr(
          during === 'credentials'
            ? `reading the certificates failed, keeping the previous ones: ${e.message}\n`
            : `the round failed (the next one runs as scheduled): ${e.message}\n`,
        ),
    });
  } catch (e) {
    throw new UsageError(`--listen ${listen.host}:${listen.port}: cannot listen (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const peers = options.peers ? `${options.config.peers.length} peer${options.config.peers.length === 1 ? '' : 's'}` : 'no peers (add --peers)';
  writeOut(`serving ${exporter.url}/metrics and /healthz: environment ${options.config.environment}, ${peers}, a round every ${intervalMs / 1000} s\n`);
  const signal = await new Promise<NodeJS.Signals>((done) => {
    process.once('SIGTERM', () => done('SIGTERM'));
    process.once('SIGINT', () => done('SIGINT'));
  });
  writeOut(`${signal}: stopping\n`);
  await exporter.stop();
}
