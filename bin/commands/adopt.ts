/**
 * `wire-federation adopt <environment>`: brings a running backend under this project without
 * reinstalling it. Reads the running values of the wire-server release and of the ingress
 * release(s) the config installs (nginx-ingress-services, wire-ingress; the operator's helm and
 * kube context, or `--values-from` files), finds what the stack installs besides (cert-manager,
 * the CA issuer, Envoy Gateway, the GatewayClass: lib/config/adoption/support-releases.ts), refuses when the
 * running backend domain is not the config's, and otherwise writes the environment's lock, the
 * values files (no secret, no key the federation config now sets) and the adoption record (what
 * the stacks import). Exit 0 adopted, 1 refused or failed (nothing written), 2 usage.
 */
import { InputFileError, readBoundedText } from '../../lib/files/read';
import { writeFileAtomic } from '../../lib/files/write';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { CLOUDFLARE_API, dnsAdoption, lookupCloudflareRecords, wantedRecords } from '../../lib/adopt/cloudflare';
import { HelmError, helmClusterOf, readRunningRelease } from '../../lib/adopt/helm-reader';
import { ListedRelease, SUPPORTED_HELM, describeRelease, listArgs, listReleases } from '../../lib/preflight/helm-releases';
import { AdoptionPlan, RunningRelease, planAdoption, releaseName } from '../../lib/adopt/plan';
import { AdoptionRecord, CHART_OF, RELEASE_KEYS, ReleaseKey, renderAdoptionRecord } from '../../lib/config/adoption/record';
import { installedElsewhereMessage, matchSupportReleases, supportRecordOf, wantedSupportReleases } from '../../lib/config/adoption/support-releases';
import { SECRET_VALUES_VARIABLE } from '../../lib/helm/secret-values-variable';
import { FederationConfigError, WireFederationConfig, WireFederationInput, parseFederationConfig, readConfigInput } from '../../lib/config';
import { readLock, writeLock } from '../../lib/guard/lock-file';
import type { Values } from '../../lib/helm/values/types';
import type { Finding } from '../../lib/checks/finding';
import { oneLine } from '../../lib/config/errors';
import { formatFinding } from '../../lib/validation/format';
import { validateEnvironments, validateFederationConfig } from '../../lib/validation/pipeline';
import { UsageError, cliCommand, currentProject, isConfigFileTarget, projectSources, unknownEnvironmentMessage } from '../config-source';
import { fileTarget } from '../../lib/config/command-hint';
import { sourceOf } from '../project';
import { exitWith } from '../exit';
import { collect, commandOutput } from '../output';

interface AdoptOptions {
  readonly config?: string;
  readonly valuesFrom: readonly string[];
  readonly helm?: string;
  readonly kubeContext?: string;
  readonly locksDir?: string;
  readonly record?: string;
  readonly cloudflareApi: string;
  readonly dns: boolean;
}

/** Where a config comes from: its raw input and the directory its relative paths start from. */
interface ConfigSource {
  readonly input: WireFederationInput & { adoptionFile?: string };
  readonly baseDir: string;
  readonly source: string;
  readonly locksDir: string;
  /** Default place of the adoption record (relative to baseDir). */
  readonly defaultRecord: string;
}

function configSource(env: string | undefined, file: string | undefined, locksDir: string | undefined): ConfigSource {
  if (env && file) throw new UsageError('give an environment name or --config <file>, not both');
  if (file) {
    let input: unknown;
    try {
      input = readConfigInput(file);
    } catch (e) {
      if (!(e instanceof FederationConfigError)) throw e;
      throw new UsageError(`--config ${file}: ${e.problems.map((p) => p.message).join('; ')}`);
    }
    if (input === null || typeof input !== 'object') throw new UsageError(`--config: "${file}" holds no config map`);
    const dir = dirname(resolve(file));
    const name = String((input as { environment?: unknown }).environment ?? 'environment');
    return {
      input: input as ConfigSource['input'],
      baseDir: dir,
      source: file,
      locksDir: locksDir ?? join(dir, 'locks'),
      defaultRecord: `adopted/${name}.json`,
    };
  }
  if (!env) throw new UsageError('give an environment name or --config <file>');
  const project = currentProject();
  const input = project?.environments.find((e) => e.environment === env);
  if (!project || !input) throw new UsageError(unknownEnvironmentMessage(env));
  const locks = locksDir ?? project.locksDir;
  if (locks === undefined) throw new UsageError('give --locks-dir: this project names no locks directory');
  // The record goes beside the locks directory (stacks/environments/adopted/ in this repository).
  const defaultRecord = slash(relative(project.baseDir, join(dirname(resolve(project.baseDir, locks)), 'adopted', `${env}.json`)));
  return { input, baseDir: project.baseDir, source: sourceOf(project, env), locksDir: locks, defaultRecord };
}

/** Wire's releases the config installs: wire-server, its ingress release(s), coturn and sftd (calling). */
function installedKeys(config: WireFederationConfig): ReleaseKey[] {
  return RELEASE_KEYS.filter((k) => config.charts[k] !== undefined);
}

/** `--values-from <chart>=<file>`: by chart name or the config's release name. */
function valuesFromFiles(specs: readonly string[], config: WireFederationConfig): Partial<Record<ReleaseKey, Values>> {
  const out: Partial<Record<ReleaseKey, Values>> = {};
  const keys = installedKeys(config);
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const name = eq > 0 ? spec.slice(0, eq) : '';
    const key = keys.find((k) => CHART_OF[k] === name || releaseName(config, k) === name);
    if (!key) throw new UsageError(`--values-from must be ${keys.map((k) => `${CHART_OF[k]}=<file>`).join(' or ')}; received "${spec}"`);
    const file = spec.slice(eq + 1);
    let doc: unknown;
    try {
      // Bounded: a regular file only (never a FIFO, a device or a directory), at most the input limit.
      doc = parseYaml(readBoundedText(file, { what: 'values file' }));
    } catch (e) {
      if (e instanceof InputFileError && e.code !== 'not-found') throw new UsageError(`--values-from ${name}: ${e.message}`);
      throw new UsageError(
        `--values-from ${name}: cannot read "${file}" as YAML (${e instanceof InputFileError ? 'ENOENT' : ((e as NodeJS.ErrnoException).code ?? (e as Error).message.split('\n')[0])})`,
      );
    }
    if (doc !== null && doc !== undefined && (typeof doc !== 'object' || Array.isArray(doc)))
      throw new UsageError(`--values-from ${name}: "${file}" must hold a map of values`);
    out[key] = (doc as Values | null) ?? {};
  }
  return out;
}

/** A finding as one line, in the shape the validation report uses: `✖ message [rule]`. */
const findingLine = (f: Finding): string => `${f.level === 'error' ? '✖' : '⚠'} ${oneLine(f.message)} [${f.rule}]\n`;

const slash = (p: string): string => p.split('\\').join('/');

/** A jq path expression for a dotted Helm path (keys quoted: some contain "-"). */
const jqPath = (path: string): string =>
  `.${path
    .split('.')
    .map((k) => `[${JSON.stringify(k)}]`)
    .join('')}`;

export function registerAdopt(program: Command): void {
  program
    .command('adopt')
    .description(
      'Bring a running Wire backend under this project without reinstalling: check its backend domain, write the lock, its values (no secrets) and what to import',
    )
    .argument('[target]', "a config file (.yaml, .yml, .json) or an environment name of the app's project")
    .option('-c, --config <file>', 'read the config from a YAML or JSON file instead')
    .option(
      '--values-from <chart=file>',
      'offline: the running values of a release from a file (helm get values <release> -o yaml) instead of helm; repeatable',
      collect,
      [],
    )
    .option('--helm <path>', 'helm binary (default: $HELM, else helm on PATH)')
    .option('--kube-context <name>', 'kube context to read the releases from (default: kubernetes.context of the config, else the current context)')
    .option('--locks-dir <dir>', 'directory of the lock files')
    .option('--record <file>', "where to write the adoption record (default: the config's adoptionFile)")
    .option('--cloudflare-api <url>', 'Cloudflare API base URL', CLOUDFLARE_API)
    .option('--no-dns', 'do not look up existing DNS records (they would be created)')
    .addHelpText(
      'after',
      `\nFinds Wire's releases by chart in every namespace (\`helm ${listArgs({}).join(' ')}\`, then \`helm get values\`); supports ${SUPPORTED_HELM}. --kubeconfig only when the config names kubernetes.kubeconfigPath, else helm reads $KUBECONFIG.` +
        '\nThe Cloudflare token comes from CLOUDFLARE_API_TOKEN (or TF_VAR_cloudflare_api_token); without it no record is looked up.\nExit codes: 0 adopted, 1 refused or failed (nothing written), 2 usage error.',
    )
    .action(async function (this: Command, target: string | undefined, opts: AdoptOptions) {
      const { write, writeErr } = commandOutput(this);
      // A config file where the environment name goes is the same as --config <file>.
      const asFile = target !== undefined && isConfigFileTarget(target);
      const env = asFile ? undefined : target;
      if (asFile && opts.config !== undefined) {
        writeErr('error: give a config file or --config <file>, not both\n');
        exitWith(2);
      }
      opts = asFile ? { ...opts, config: target } : opts;
      const fail = (message: string): never => {
        writeErr(`✖ ${message}\n✖ adopt refused: nothing was written\n`);
        exitWith(1);
      };
      let src: ConfigSource;
      let config: WireFederationConfig;
      try {
        src = configSource(env, opts.config, opts.locksDir);
        // The record may not exist yet: parse the config without it.
        config = parseFederationConfig({ ...src.input, adoptionFile: undefined }, { baseDir: src.baseDir, source: src.source });
      } catch (e) {
        if (e instanceof UsageError) {
          writeErr(`error: ${e.message}\n`);
          exitWith(2);
        }
        if (!(e instanceof FederationConfigError)) throw e;
        writeErr(`${e.message}\n`);
        exitWith(2);
      }
      const keys = installedKeys(config);
      const recordPath = slash(opts.record ?? src.input.adoptionFile ?? src.defaultRecord);
      const recordDir = dirname(recordPath);
      const valuesPaths = {
        wireServer: slash(join(recordDir, config.environment, 'wire-server.yaml')),
        nginxIngressServices: slash(join(recordDir, config.environment, 'nginx-ingress-services.yaml')),
        wireIngress: slash(join(recordDir, config.environment, 'wire-ingress.yaml')),
        coturn: slash(join(recordDir, config.environment, 'coturn.yaml')),
        sftd: slash(join(recordDir, config.environment, 'sftd.yaml')),
      };
      const abs = (p: string): string => (isAbsolute(p) ? p : resolve(src.baseDir, p));

      // What runs.
      let offline: Partial<Record<ReleaseKey, Values>>;
      try {
        offline = valuesFromFiles(opts.valuesFrom, config);
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        writeErr(`error: ${e.message}\n`);
        exitWith(2);
      }
      const running: Partial<Record<ReleaseKey, RunningRelease>> = {};
      const sources: string[] = [];
      const cluster = helmClusterOf(config.kubernetes, process.cwd(), opts.kubeContext);
      const helm = opts.helm ?? process.env.HELM ?? 'helm';
      const namespace = config.kubernetes.namespace;
      // Wire's releases by chart, in every namespace: a config whose namespace or release name
      // misses the running ones is refused, not taken for "nothing runs".
      let listed: ListedRelease[] = [];
      const wantedSupport = wantedSupportReleases(config);
      const online = keys.some((key) => offline[key] === undefined);
      if (online) {
        try {
          listed = await listReleases({ helm, ...cluster });
        } catch (e) {
          if (!(e instanceof HelmError) && (e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
          fail(`${(e as Error).message}${(e as NodeJS.ErrnoException).code === 'ENOENT' ? ` (helm ${listArgs(cluster).join(' ')}: no helm at ${helm})` : ''}`);
        }
      }
      const misses: string[] = [];
      for (const key of keys) {
        const name = `${namespace}/${releaseName(config, key)}`;
        const fromFile = offline[key];
        if (fromFile !== undefined) {
          running[key] = { values: fromFile, exists: true };
          sources.push(`${name} (values from file; the release is assumed to exist)`);
          continue;
        }
        // wire-server anywhere in the cluster; its ingress release in the config's namespace (an
        // nginx-ingress-services of another namespace belongs to another backend).
        const ofChart = listed.filter((r) => r.chart === CHART_OF[key] && (key === 'wireServer' || r.namespace === namespace));
        const mine = ofChart.find((r) => r.namespace === namespace && r.name === releaseName(config, key));
        if (mine === undefined) {
          if (ofChart.length > 0) {
            const field = ofChart.some((r) => r.namespace === namespace) ? `charts.${key}.releaseName` : 'kubernetes.namespace';
            misses.push(
              `no running ${CHART_OF[key]} release ${name} where the config says (${field}), but ${CHART_OF[key]} runs as ${ofChart.map(describeRelease).join(', ')}: ` +
                `if one of them is this backend, set kubernetes.namespace and charts.${key}.releaseName to it, then run adopt again`,
            );
          }
          continue;
        }
        try {
          const release = await readRunningRelease({ helm, release: mine.name, namespace, ...cluster }, mine);
          if (release) {
            running[key] = release;
            sources.push(
              `${name}${release.revision !== undefined ? ` revision ${release.revision}` : ''}${release.chartVersion !== undefined ? `, chart ${CHART_OF[key]} ${release.chartVersion}` : ''}`,
            );
          }
        } catch (e) {
          if (!(e instanceof HelmError)) throw e;
          fail(e.message);
        }
      }
      // What the stack installs besides Wire's (cert-manager, the issuer, Envoy Gateway, the
      // GatewayClass): a running one is imported; a controller running under another namespace or
      // name is refused (the config would install a second one).
      const supportReleases: AdoptionRecord['supportReleases'] = {};
      const supportNotes: string[] = [];
      if (!online && wantedSupport.length > 0) {
        supportNotes.push(
          `⚠ offline (--values-from): not looked up whether ${wantedSupport.map((w) => `${w.namespace}/${w.name} (${w.what})`).join(', ')} already run${wantedSupport.length === 1 ? 's' : ''}: the first plan installs ${wantedSupport.length === 1 ? 'it' : 'them'}. Run preflight before the first deploy [adopt-release]\n`,
        );
      }
      for (const match of matchSupportReleases(config, listed)) {
        const w = match.wanted;
        if (match.same !== undefined) {
          supportReleases[w.key] = supportRecordOf(match.same);
          sources.push(
            `${w.namespace}/${w.name} (${w.what}${match.same.chartVersion !== undefined ? `, chart ${match.same.chart} ${match.same.chartVersion}` : ''})`,
          );
          if (w.key === 'issuer') {
            supportNotes.push(
              `⚠ ${w.what} runs (release ${w.namespace}/${w.name}): its CA key pair Secret ${w.namespace}/${w.name}-key-pair probably exists too, and the first deploy fails creating it ("already exists"). ` +
                `Importing it (terraform import of its kubernetes_secret) replaces the running CA with the one Terraform makes (peers must then trust the new CA); to keep the running issuer untouched, ${w.leaveAlone(w.namespace)} and run adopt again [adopt-release]\n`,
            );
          }
        } else if (match.elsewhere.length > 0) misses.push(`${w.field}: ${installedElsewhereMessage(match)}`);
      }
      if (misses.length > 0) fail(misses.join('\n✖ '));

      const previousLock = readLock(src.locksDir, config.environment);
      const base = { config, running, previousLock, valuesFiles: valuesPaths, supportReleases };
      let plan: AdoptionPlan = planAdoption(base);
      if (plan.refused) {
        for (const f of plan.findings) writeErr(findingLine(f));
        writeErr('✖ adopt refused: nothing was written\n');
        exitWith(1);
      }

      // Existing DNS records (only once the domain is known to be right).
      const token = process.env.CLOUDFLARE_API_TOKEN || process.env.TF_VAR_cloudflare_api_token;
      let dnsNote: string | undefined;
      if (!opts.dns) dnsNote = 'not looked up (--no-dns): the first deploy creates the federator records; if they exist, it fails';
      else if (config.dns.provider !== 'cloudflare')
        dnsNote = `not looked up: adopt finds existing records in Cloudflare only, and dns.provider is ${config.dns.provider}. If the federator records exist, import them by hand (terraform import) before the first deploy, or it fails`;
      else if (!token)
        dnsNote =
          'not looked up (no CLOUDFLARE_API_TOKEN): the first deploy creates the federator records. If they already exist, set the token and run adopt again so they are imported';
      else {
        try {
          const wanted = wantedRecords(config);
          const found = await lookupCloudflareRecords(wanted, { token, apiBase: opts.cloudflareApi });
          plan = planAdoption({ ...base, dns: dnsAdoption(config, found) });
        } catch (e) {
          fail(`${(e as Error).message}. Give a token with DNS read access, or --no-dns`);
        }
        if (plan.refused) {
          for (const f of plan.findings) writeErr(findingLine(f));
          writeErr('✖ adopt refused: nothing was written\n');
          exitWith(1);
        }
      }

      // Report.
      const record = plan.record!;
      write(`Adopting ${config.environment}: backend domain ${record.backendDomain}, as the running backend uses it in all its places\n`);
      write(`Read: ${sources.join('; ')}\n`);
      for (const f of plan.findings) write(findingLine(f));
      for (const note of supportNotes) write(note);
      if (plan.changes.length > 0) {
        write('\nThe federation config now sets these keys (running → new); they are left out of the values files:\n');
        for (const c of plan.changes) write(`  ${CHART_OF[c.release]} ${c.path}: ${c.from} → ${c.to}\n`);
      }
      const secretLines: string[] = [];
      for (const key of keys) {
        const paths = plan.sensitive[key];
        if (paths.length === 0) continue;
        const variable = SECRET_VALUES_VARIABLE[key];
        const release = releaseName(config, key);
        const jq = paths.map((p) => `"${p}": ${jqPath(p)}`).join(', ');
        secretLines.push(`  ${CHART_OF[key]}: ${paths.join(', ')}`);
        secretLines.push(`    pass them as TF_VAR_${variable}='{"${paths[0]}":"…"${paths.length > 1 ? ', …' : ''}}', e.g. from the running release:`);
        secretLines.push(`    export TF_VAR_${variable}="$(helm get values ${release} -n ${config.kubernetes.namespace} -o json | jq -c '{${jq}}')"`);
      }
      const byVariable = new Map<string, string[]>();
      for (const s of plan.ownedSecrets) byVariable.set(s.passAs, [...(byVariable.get(s.passAs) ?? []), `${CHART_OF[s.release]} ${s.path}`]);
      for (const [how, paths] of byVariable) {
        secretLines.push(`  ${paths.join(', ')}: set by the federation config now; pass ${how.startsWith('TF_VAR_') ? `${how}, e.g.` : how}`);
        if (how.startsWith('TF_VAR_')) {
          const first = paths[0].split(' ')[1];
          secretLines.push(
            `    export ${how}="$(helm get values ${config.charts.wireServer.releaseName} -n ${config.kubernetes.namespace} -o json | jq -r '${jqPath(first)}')"`,
          );
        }
      }
      if (secretLines.length > 0) {
        write('\nSecrets (never written; listed as sensitiveValues in the adoption record):\n');
        write(`${secretLines.join('\n')}\n`);
      }
      write('\nDNS:\n');
      if (dnsNote) write(`  ${dnsNote}\n`);
      for (const line of plan.dnsReport) write(`  ${line}\n`);
      const imports = [
        ...keys.flatMap((k) =>
          record.releases[k]?.import
            ? [`helm_release ${record.releases[k].import}`]
            : [`helm_release ${config.kubernetes.namespace}/${releaseName(config, k)}: installed (not running)`],
        ),
        ...wantedSupport.map((w) =>
          record.supportReleases[w.key]
            ? `helm_release ${record.supportReleases[w.key]!.import} (${w.what})`
            : `helm_release ${w.namespace}/${w.name} (${w.what}): installed (not running)`,
        ),
        ...(['srv', 'a', 'aaaa'] as const).flatMap((k) => (record.dnsRecords[k] ? [`cloudflare_dns_record ${record.dnsRecords[k]}`] : [])),
      ];
      write(`\nThe first plan imports: ${imports.join(', ')}\n`);

      // Write: values files, record, lock.
      const written: string[] = [];
      for (const file of plan.valuesFiles) {
        writeFileAtomic(abs(file.path), file.content);
        written.push(file.path);
      }
      writeFileAtomic(abs(recordPath), renderAdoptionRecord(record));
      written.push(recordPath);
      written.push(fileTarget(writeLock(src.locksDir, plan.lock!)));
      write(`\nWrote:\n${written.map((w) => `  ${w}\n`).join('')}`);

      // The resulting config, with its record, through the validation pipeline synth runs.
      const adoptedInput = { ...src.input, adoptionFile: recordPath };
      const result =
        env !== undefined
          ? validateEnvironments(
              projectSources().map((s) => (s.input === src.input ? { ...s, input: adoptedInput } : s)),
              { locksDir: src.locksDir, cli: cliCommand() },
            )
          : validateFederationConfig(adoptedInput, {
              baseDir: src.baseDir,
              source: src.source,
              locksDir: src.locksDir,
              cli: cliCommand(),
              commandTarget: fileTarget(src.source),
            });
      const mine = result.findings.filter((f) => f.environment === config.environment);
      if (mine.length > 0) write(`\nChecks of the adopted config:\n${mine.map((f) => formatFinding(f, { withEnvironment: false })).join('\n')}\n`);
      if (mine.some((f) => f.level === 'error')) {
        write('✖ the adopted config has errors: fix them before deploying\n');
        exitWith(1);
      }
      if (src.input.adoptionFile === undefined || (opts.record !== undefined && opts.record !== src.input.adoptionFile)) {
        write(
          `\nNext: add  adoptionFile: '${recordPath}'  to the config of ${config.environment} (${src.source}), then review the plan: npx cdktf diff ${config.environment}\n`,
        );
      } else {
        write(`\nNext: review the plan: npx cdktf diff ${config.environment} (imports, one in-place update per release)\n`);
      }
    });
}
