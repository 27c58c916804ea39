/**
 * `wire-federation mesh <env|file>`: asks every configured peer, through a real federated call,
 * which of our other peers it does not federate with, and prints the matrix of links, each
 * missing link with who must add whom. Exit 0 when every link is connected, 1 when one is
 * missing or unknown, 2 on usage errors and invalid configs. Thin: lib/mesh does the work.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { askGalleyFederationStatus, describeGalleyStatus } from '../../lib/mesh/galley';
import { DEFAULT_MESH_CONCURRENCY, measureMesh } from '../../lib/mesh/measure';
import { meshExitCode, renderMeshDot, renderMeshJson, renderMeshText } from '../../lib/mesh/render';
import { FederationConfigError, UsageError, hintFor, loadConfig } from '../config-source';
import { COMMAND_EXIT } from '../exit';
import { collect, commandOutput } from '../output';
import { DEFAULT_TIMEOUT_MS, parseConcurrency, parseDnsServerOption, parseTimeout, readClientCertificate, readPeerCas } from '../options';

interface MeshCliOptions {
  readonly config?: string;
  readonly dnsServer?: string;
  readonly clientCert?: string;
  readonly clientKey?: string;
  readonly clientKeyEnv?: string;
  readonly peerCa: readonly string[];
  readonly timeout: number;
  readonly concurrency?: number;
  readonly json?: boolean;
  readonly dot?: boolean;
  readonly galley?: string;
}

/** Parses `--galley`: an http URL (galley's internal port, inside the cluster). */
export function parseGalleyUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`--galley must be galley's internal URL such as http://galley:8080; received "${value}"`);
  }
  if (url.protocol !== 'http:' || url.pathname !== '/' || url.search !== '' || url.username !== '' || url.password !== '') {
    throw new InvalidArgumentError(`--galley must be galley's internal URL such as http://galley:8080 (http, no path, no credentials); received "${value}"`);
  }
  return url.origin;
}

/** Adds `mesh` to the program. */
export function registerMesh(program: Command): void {
  program
    .command('mesh')
    .description(
      'Ask every peer which of our other peers it federates with (get-not-fully-connected-backends) and show the links: Wire puts users of several backends into one conversation only when all of them federate with each other',
    )
    .argument('[target]', "a config file (.yaml, .yml, .json) or an environment name of the app's project (or give --config)")
    .option('-c, --config <file>', 'read the config from a YAML or JSON file instead of an environment name')
    .option('--client-cert <pem-file>', 'our federator certificate (with intermediates): the peers accept the query only from our federator (required)')
    .option('--client-key <pem-file>', 'private key of --client-cert')
    .option('--client-key-env <name>', 'read the private key of --client-cert from this environment variable instead of a file (never logged)')
    .option('--peer-ca <domain=pem-file>', "CA certificate(s) of a peer whose CA is another environment's Terraform output (repeatable)", collect, [])
    .option('--dns-server <ip[:port]>', 'send every DNS lookup to this server instead of the system resolvers', parseDnsServerOption)
    .option('--timeout <ms>', 'timeout of each peer (DNS lookups and the call) in milliseconds', parseTimeout, DEFAULT_TIMEOUT_MS)
    .option('--concurrency <n>', `peers asked at the same time (default: ${DEFAULT_MESH_CONCURRENCY})`, parseConcurrency)
    .option(
      '--galley <url>',
      "inside the cluster: also ask our galley's internal /i/federation-status (e.g. http://galley:8080), which names the first pair it finds not connected",
      parseGalleyUrl,
    )
    .option('--json', 'print the matrix as JSON')
    .option('--dot', 'print the mesh as a Graphviz graph (render with: dot -Tsvg -o mesh.svg)')
    .addHelpText(
      'after',
      [
        '',
        'A link "A → B" means A lists B in its federation remotes. Links with us come from our config',
        '(us → peer) and from whether the peer accepts our call (peer → us); links between peers from',
        'their answers. A peer that cannot answer (older than chart 4.36.0, refusing, unreachable) leaves',
        'its links unknown, never connected.',
        '',
        'Exit codes: 0 every link connected, 1 a link missing or unknown, 2 usage error or invalid config.',
        '',
        'Examples:',
        '  $ wire-federation mesh production --client-cert tls.crt --client-key tls.key',
        '  $ wire-federation mesh prod.yaml --client-cert tls.crt --client-key tls.key --dot | dot -Tsvg -o mesh.svg',
      ].join('\n'),
    )
    .action(async function (this: Command, target: string | undefined, opts: MeshCliOptions) {
      const { write } = commandOutput(this);
      let output: string;
      let code: 0 | 1;
      try {
        if (opts.json && opts.dot) throw new UsageError('--json and --dot exclude each other');
        const config = loadConfig(target, opts.config);
        const clientCertificate = readClientCertificate(opts.clientCert, opts.clientKey, opts.clientKeyEnv);
        if (!clientCertificate)
          throw new UsageError('give --client-cert and --client-key (our federator certificate): peers answer the mesh query only to our federator');
        const peerCas = readPeerCas(
          opts.peerCa,
          config.peers.map((p) => p.domain),
        );
        const command = target ?? opts.config;
        const [matrix, galley] = await Promise.all([
          measureMesh({
            config,
            clientCertificate,
            peerCas,
            dnsServer: opts.dnsServer,
            timeoutMs: opts.timeout,
            concurrency: opts.concurrency,
            fix: command ? { command: hintFor(command) } : undefined,
          }),
          opts.galley ? askGalleyFederationStatus({ url: opts.galley, domains: config.peers.map((p) => p.domain), timeoutMs: opts.timeout }) : undefined,
        ]);
        code = meshExitCode(matrix);
        if (opts.json) {
          const json = JSON.parse(renderMeshJson(matrix)) as Record<string, unknown>;
          output = `${JSON.stringify(galley ? { ...json, galley } : json, null, 2)}\n`;
        } else if (opts.dot) {
          output = renderMeshDot(matrix);
        } else {
          output = `${renderMeshText(matrix)}${galley ? `${describeGalleyStatus(galley)}\n` : ''}`;
        }
      } catch (e) {
        if (e instanceof UsageError) this.error(`error: ${e.message}`, { exitCode: 2, code: COMMAND_EXIT });
        if (e instanceof FederationConfigError) this.error(e.message, { exitCode: 2, code: COMMAND_EXIT });
        throw e;
      }
      write(output);
      if (code !== 0) throw new CommanderError(code, COMMAND_EXIT, 'the mesh is not complete');
    });
}
