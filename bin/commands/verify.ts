/**
 * `wire-federation verify [environment]`: proves a deployed backend can federate (DNS, federator
 * certificate, mutual TLS, peers). Exit 0 when every check passes (warnings allowed), 1 when a
 * check fails, 2 on usage errors and invalid configs.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { parseCertificates } from '../../lib/pki/pem';
import { parseDnsServer } from '../../lib/verify/dns-lookup';
import { parseVersionList } from '../../lib/verify/federation-versions';
import { exitCodeOf, renderHuman, renderJson } from '../../lib/verify/report';
import { ClientCertificate, PemSource, verifyFederation } from '../../lib/verify/verify';
import { FederationConfigError, UsageError, loadConfig } from '../config-source';
import { COMMAND_EXIT } from '../exit';
import { collect, commandOutput } from '../output';

/** Default of `--timeout`, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 5000;

interface VerifyCliOptions {
  readonly config?: string;
  readonly dnsServer?: string;
  readonly ca?: string;
  readonly clientCert?: string;
  readonly clientKey?: string;
  readonly peers?: boolean;
  readonly peerCa: readonly string[];
  readonly timeout: number;
  readonly federationVersions?: number[];
  readonly json?: boolean;
}

/** Parses `--federation-versions`. */
export function parseFederationVersions(value: string): number[] {
  const parsed = parseVersionList(value);
  if ('error' in parsed) throw new InvalidArgumentError(`--federation-versions ${parsed.error}; received "${value}"`);
  return parsed.versions;
}

export function parseTimeout(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 600_000) {
    throw new InvalidArgumentError(`--timeout must be a whole number of milliseconds between 1 and 600000; received "${value}"`);
  }
  return n;
}

export function parseDnsServerOption(value: string): string {
  const parsed = parseDnsServer(value);
  if ('error' in parsed) throw new InvalidArgumentError(`--dns-server ${parsed.error}; received "${value}"`);
  return parsed.server;
}

function readText(option: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${option}: cannot read "${file}" (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

export function readCertificates(option: string, file: string): PemSource {
  const parsed = parseCertificates(readText(option, file));
  if ('error' in parsed) throw new UsageError(`${option} must be a PEM file with certificates, but "${file}" ${parsed.error}`);
  return { pems: parsed.pems, origin: file };
}

export function readClientCertificate(certFile: string | undefined, keyFile: string | undefined): ClientCertificate | undefined {
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) {
    throw new UsageError(`give --client-cert and --client-key together; received only ${certFile ? `--client-cert "${certFile}"` : `--client-key "${keyFile}"`}`);
  }
  const cert = readCertificates('--client-cert', certFile);
  const key = readText('--client-key', keyFile);
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert.pems[0]);
    if (!leaf.checkPrivateKey(createPrivateKey(key))) {
      throw new UsageError(`--client-key "${keyFile}" is not the private key of --client-cert "${certFile}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--client-key must be a PEM private key; "${keyFile}" does not parse (${(e as Error).message})`);
  }
  return { cert: cert.pems.join('\n'), key, origin: certFile };
}

function readPeerCas(values: readonly string[], peerDomains: readonly string[]): Map<string, PemSource> {
  const result = new Map<string, PemSource>();
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0 || eq === value.length - 1) throw new UsageError(`--peer-ca must be <domain>=<pem file>; received "${value}"`);
    const domain = value.slice(0, eq).replace(/\.$/, '').toLowerCase();
    const file = value.slice(eq + 1);
    if (!peerDomains.includes(domain)) {
      throw new UsageError(`--peer-ca names "${domain}", which is not a peer in the config; peers: ${peerDomains.join(', ') || 'none'}`);
    }
    const source = readCertificates(`--peer-ca ${domain}`, file);
    const before = result.get(domain);
    result.set(domain, before ? { pems: [...before.pems, ...source.pems], origin: `${before.origin}, ${file}` } : source);
  }
  return result;
}

/** Adds `verify` to the program. */
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('Check that a deployed backend can federate: DNS records, federator certificate, mutual TLS and (with --peers) its peers')
    .argument('[target]', "a config file (.yaml, .yml, .json) or an environment name of the app's project (or give --config)")
    .option('-c, --config <file>', 'read the config from a YAML or JSON file instead of an environment name')
    .option('--dns-server <ip[:port]>', 'send every DNS lookup (SRV, A, AAAA) to this server instead of the system resolvers', parseDnsServerOption)
    .option('--ca <pem-file>', 'CA certificate(s) that must have signed the federator certificate (default: the system CA store); for the private CA: the stack output ca_certificate_pem')
    .option('--client-cert <pem-file>', "our federator certificate (with intermediates), presented as client certificate to our ingress and to peers")
    .option('--client-key <pem-file>', 'private key of --client-cert')
    .option('--peers', 'also check every configured peer: SRV record, server certificate against the CA we trust for it, that it accepts our client certificate, and a real federation call (version negotiation)')
    .option('--peer-ca <domain=pem-file>', "CA certificate(s) of a peer whose CA is another environment's Terraform output (repeatable)", collect, [])
    .option('--timeout <ms>', 'timeout of each check (DNS lookup, TLS connection) in milliseconds', parseTimeout, DEFAULT_TIMEOUT_MS)
    .option('--federation-versions <list>', 'our federation API versions, e.g. 0,1,2,3, compared with what each peer answers (default: those of the configured wire-server chart version)', parseFederationVersions)
    .option('--json', 'print the report as JSON')
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
      ].join('\n'),
    )
    .action(async function (this: Command, environment: string | undefined, opts: VerifyCliOptions) {
      const { write: writeOut } = commandOutput(this);
      let report;
      try {
        const config = loadConfig(environment, opts.config);
        if (opts.peerCa.length > 0 && !opts.peers) throw new UsageError('--peer-ca needs --peers');
        report = await verifyFederation({
          config,
          dnsServer: opts.dnsServer,
          timeoutMs: opts.timeout,
          ca: opts.ca ? readCertificates('--ca', opts.ca) : undefined,
          clientCertificate: readClientCertificate(opts.clientCert, opts.clientKey),
          peers: opts.peers ?? false,
          peerCas: readPeerCas(opts.peerCa, config.peers.map((p) => p.domain)),
          federationVersions: opts.federationVersions,
        });
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
