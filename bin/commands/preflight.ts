/**
 * `wire-federation preflight <environment|file>`: before the first deploy, asks the cluster
 * (the operator's helm and kube context) and the DNS provider (with a token) what already runs,
 * and refuses when the stacks would create something that exists without an adoption record.
 * Exit 0 nothing in the way, 1 refused (with the adopt command to run), 2 usage error, invalid
 * config, or helm / the DNS API not answering (never a pass).
 */
import type { Command } from 'commander';
import { CLOUDFLARE_API, lookupCloudflareRecords, wantedRecords } from '../../lib/adopt/cloudflare';
import { HelmError, helmClusterOf } from '../../lib/adopt/helm-reader';
import { preflightFindings } from '../../lib/preflight/preflight';
import { ListedRelease, SUPPORTED_HELM, listArgs, listReleases } from '../../lib/preflight/helm-releases';
import { HELM_INSTALL_HINT, findHelm } from '../../lib/render/helm';
import { EXIT_CODES, countFindings, formatFinding } from '../../lib/validation/format';
import {
  FederationConfigError,
  UsageError,
  cliCommand,
  currentProject,
  defaultLocksDir,
  hintFor,
  isConfigFileTarget,
  loadConfig,
  projectSources,
} from '../config-source';
import { PIPELINE_RULE_IDS, validateEnvironments } from '../../lib/validation/pipeline';
import { exitWith } from '../exit';
import { commandOutput } from '../output';
import { fileTarget } from '../../lib/config/command-hint';

interface PreflightOptions {
  readonly config?: string;
  readonly helm?: string;
  readonly kubeContext?: string;
  readonly cloudflareApi: string;
  readonly dns: boolean;
}

export function registerPreflight(program: Command): void {
  program
    .command('preflight')
    .description(
      'Before the first deploy: check with helm (and the DNS provider, given a token) that nothing the stacks create already runs; refuse with the adopt command when it does',
    )
    .argument('[target]', "a config file (.yaml, .yml, .json) or an environment name of the app's project")
    .option('-c, --config <file>', 'read the config from a YAML or JSON file instead')
    .option('--helm <path>', 'helm binary (default: $HELM, else helm on PATH)')
    .option('--kube-context <name>', 'kube context to ask (default: kubernetes.context of the config, else the current context)')
    .option('--cloudflare-api <url>', 'Cloudflare API base URL', CLOUDFLARE_API)
    .option('--no-dns', 'do not look up the federator DNS records')
    .addHelpText(
      'after',
      `\nRuns the checks of validate first (an error refuses), then \`helm ${listArgs({}).join(' ')}\` (read only): Wire's releases are found by chart in every namespace. Supports ${SUPPORTED_HELM}; --kubeconfig only when the config names kubernetes.kubeconfigPath, else helm reads $KUBECONFIG.` +
        '\nThe Cloudflare token comes from CLOUDFLARE_API_TOKEN (or TF_VAR_cloudflare_api_token); without it no record is looked up.\nExit codes: 0 nothing in the way, 1 refused, 2 usage error, invalid config, or helm or the DNS API failed.',
    )
    .action(async function (this: Command, target: string | undefined, opts: PreflightOptions) {
      const { write, writeErr } = commandOutput(this);
      const usage = (message: string): never => {
        writeErr(`error: ${message}\n`);
        return exitWith(EXIT_CODES.usage);
      };
      let config;
      try {
        config = loadConfig(target, opts.config);
      } catch (e) {
        if (e instanceof UsageError) usage(e.message);
        if (e instanceof FederationConfigError) {
          writeErr(`${e.message}\n`);
          exitWith(EXIT_CODES.usage);
        }
        throw e;
      }
      const command = hintFor(opts.config !== undefined ? opts.config : (target ?? config.environment));
      const helm = opts.helm ?? findHelm();
      if (helm === undefined)
        usage(
          `${process.env.HELM ? `HELM=${process.env.HELM} does not exist` : 'helm is not on PATH'}: preflight asks the cluster with helm; ${HELM_INSTALL_HINT}`,
        );
      const namespace = config.kubernetes.namespace;
      const cluster = helmClusterOf(config.kubernetes, process.cwd(), opts.kubeContext);
      const context = cluster.context;
      const where = `namespace ${namespace}${context ? ` of kube context ${context}` : ' of the current kube context'}`;
      let releases: ListedRelease[];
      try {
        releases = await listReleases({ helm: helm!, ...cluster });
      } catch (e) {
        if (!(e instanceof HelmError) && (e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        return usage(`preflight could not ask the cluster, so nothing is known about what runs in ${where}: ${(e as Error).message}`);
      }

      const token = process.env.CLOUDFLARE_API_TOKEN || process.env.TF_VAR_cloudflare_api_token;
      let dns;
      let dnsNote: string;
      if (!opts.dns) dnsNote = 'DNS not looked up (--no-dns)';
      else if (config.dns.provider !== 'cloudflare')
        dnsNote = `DNS not looked up: preflight reads Cloudflare only, and dns.provider is ${config.dns.provider}; check by hand that no federator record exists`;
      else if (!token) dnsNote = 'DNS not looked up (no CLOUDFLARE_API_TOKEN): set a token with DNS read access to check the federator records too';
      else {
        try {
          dns = await lookupCloudflareRecords(wantedRecords(config), { token, apiBase: opts.cloudflareApi });
        } catch (e) {
          return usage(`preflight could not read the DNS zones: ${(e as Error).message}`);
        }
        dnsNote = 'DNS: the federator records looked up in Cloudflare';
      }

      // First the checks validate and synth run (the pipeline: schema, files, the adoption record,
      // the rules on the resources, the lock), then what the cluster and DNS say. Whether the
      // environment is new is answered below from the cluster, not asked (adoption-undecided).
      const file = opts.config ?? (target !== undefined && isConfigFileTarget(target) ? target : undefined);
      const checked =
        file !== undefined
          ? validateEnvironments([{ file }], { locksDir: defaultLocksDir(file), cli: cliCommand() })
          : validateEnvironments(projectSources(), { locksDir: currentProject()?.locksDir, cli: cliCommand() });
      const findings = [
        ...checked.findings.filter((f) => f.environment === config.environment && f.rule !== PIPELINE_RULE_IDS.adoptionUndecided),
        ...preflightFindings({ config, releases, dns, command, kubeContext: opts.kubeContext }).map((f) => ({
          ...f,
          path: f.path ?? '',
          environment: config.environment,
        })),
      ];
      const failed = findings.some((f) => f.level === 'error');
      const shown = target !== undefined && target !== config.environment ? fileTarget(target) : config.environment;
      const inNamespace = releases.filter((r) => r.namespace === namespace);
      const running =
        inNamespace.length === 0
          ? 'runs no release'
          : `runs ${inNamespace.map((r) => `${r.name} (${r.chart}${r.chartVersion ? ` ${r.chartVersion}` : ''})`).join(', ')}`;
      write(
        `${failed ? '✖' : '✔'} ${shown}: ${where} ${running}; ${failed ? `refused: ${countFindings(findings)}` : findings.length > 0 ? `passed (${countFindings(findings)})` : 'passed'}\n`,
      );
      for (const f of [...findings].sort((a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1)))
        write(`${formatFinding(f, { withEnvironment: false })}\n`);
      write(`  · ${dnsNote}\n`);
      if (!failed && config.adoption === undefined && config.greenfield !== true) {
        write(`  · nothing the stacks create runs yet: this is a new backend. Say so in the config (greenfield: true), so that review knows\n`);
      }
      if (failed) exitWith(EXIT_CODES.findings);
    });
}
