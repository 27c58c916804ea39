/**
 * Preflight: before the first deploy of an environment, compare what the config would create
 * with what already runs (Helm releases in its namespace, the federator DNS records), so that a
 * running backend is adopted instead of being installed a second time. Pure: the caller reads
 * the cluster (`helm-releases.ts`) and the DNS provider (`../adopt/cloudflare.ts`).
 */
import type { Finding } from '../checks/finding';
import { defineCatalogue } from '../core/catalogue';
import { type CommandHint, shellWord } from '../config/command-hint';
import type { WireFederationConfig } from '../config/parse';
import { wantedRecords } from '../adopt/cloudflare';
import type { FoundRecord } from '../adopt/cloudflare';
import type { DnsRecordKind, ReleaseKey } from '../config/adoption/record';
import { ListedRelease, describeRelease } from './helm-releases';
import { installedElsewhereMessage, matchSupportReleases } from '../config/adoption/support-releases';

/** What each preflight check finds (docs/reference/checks.md). */
export const PREFLIGHT_RULES = defineCatalogue({
  'preflight-unadopted-release': {
    level: 'error',
    description:
      'a release the config installs (wire-server, nginx-ingress-services, wire-ingress, cert-manager, the CA issuer, Envoy Gateway, the GatewayClass) already runs under its name and the adoption record does not import it: run the `adopt` command the message names',
  },
  'preflight-release-name': {
    level: 'error',
    description: 'the namespace runs a Wire chart under another release name than the config: the first deploy would install a second one beside it',
  },
  'preflight-namespace': {
    level: 'error or warning',
    description:
      "a Wire chart runs in another namespace than `kubernetes.namespace` and none in the config's (a typo would install a second backend): an error, a warning when the config says `greenfield: true` (a second backend on purpose)",
  },
  'preflight-adopted-missing': { level: 'warning', description: 'the adoption record imports a release that does not run (the import would fail at plan)' },
  'preflight-unadopted-dns': { level: 'error', description: 'a federator DNS record the config creates already exists and no adoption record imports it' },
  'preflight-installed-elsewhere': {
    level: 'error',
    description:
      'cert-manager (`pki.installCertManagerVersion`) or Envoy Gateway (`ingress.gateway.installEnvoyGatewayVersion`) already runs in the cluster under another namespace or release name: the first deploy would install a second one; leave the running one alone (the message says how)',
  },
});

/** The id of a preflight check. */
export type PreflightRuleId = keyof typeof PREFLIGHT_RULES;

/** Rule ids of the preflight findings. */
export const PREFLIGHT_RULE_IDS = {
  /** A release the config installs already runs, and the environment has no adoption record. */
  unadoptedRelease: 'preflight-unadopted-release',
  /** The namespace runs a Wire chart under another release name than the config's. */
  releaseName: 'preflight-release-name',
  /** A Wire chart runs in another namespace than the config's, and none in the config's. */
  namespace: 'preflight-namespace',
  /** The adoption record imports a release that does not run. */
  adoptedMissing: 'preflight-adopted-missing',
  /** A federator DNS record the config creates already exists, and no adoption record imports it. */
  unadoptedDns: 'preflight-unadopted-dns',
  /** cert-manager or Envoy Gateway, which the config installs, already runs under another namespace or name. */
  installedElsewhere: 'preflight-installed-elsewhere',
} as const satisfies Record<string, PreflightRuleId>;

export interface PreflightInput {
  readonly config: WireFederationConfig;
  /** Every release of the cluster (`helm list --all-namespaces`). */
  readonly releases: readonly ListedRelease[];
  /** The federator records found in the DNS zones, by kind. @default - not looked up */
  readonly dns?: ReadonlyMap<DnsRecordKind, readonly FoundRecord[]>;
  /** The commands in the messages, as the user types them. */
  readonly command: CommandHint;
  /**
   * The kube context asked, when given on the command line (`--kube-context`): the adopt
   * command in the messages names it too, so that it reads the same cluster.
   * @default - the config's `kubernetes.context` (which adopt reads as well)
   */
  readonly kubeContext?: string;
}

/** One release the config installs. */
interface Wanted {
  readonly key: ReleaseKey;
  readonly chart: string;
  readonly name: string;
}

function wantedReleases(config: WireFederationConfig): Wanted[] {
  const out: Wanted[] = [{ key: 'wireServer', chart: 'wire-server', name: config.charts.wireServer.releaseName }];
  if (config.charts.nginxIngressServices !== undefined)
    out.push({ key: 'nginxIngressServices', chart: 'nginx-ingress-services', name: config.charts.nginxIngressServices.releaseName });
  if (config.charts.wireIngress !== undefined) out.push({ key: 'wireIngress', chart: 'wire-ingress', name: config.charts.wireIngress.releaseName });
  // Federated calling: a running coturn or sftd is adopted, never installed twice.
  if (config.charts.coturn !== undefined) out.push({ key: 'coturn', chart: 'coturn', name: config.charts.coturn.releaseName });
  if (config.charts.sftd !== undefined) out.push({ key: 'sftd', chart: 'sftd', name: config.charts.sftd.releaseName });
  return out;
}

const describe = describeRelease;

/** The findings of a preflight; no error means the first deploy creates nothing that exists. */
export function preflightFindings(input: PreflightInput): Finding<PreflightRuleId>[] {
  const { config, releases, command } = input;
  const findings: Finding<PreflightRuleId>[] = [];
  const imports = config.adoption?.imports;
  const adopt = `\`${command('adopt', ...(input.kubeContext !== undefined ? ['--kube-context', shellWord(input.kubeContext)] : []))}\``;
  const statement = config.greenfield === true ? ' The config says greenfield: true, which is not so: remove it.' : '';
  for (const w of wantedReleases(config)) {
    const field = `charts.${w.key}`;
    const namespace = config.kubernetes.namespace;
    const same = releases.find((r) => r.namespace === namespace && r.name === w.name);
    const imported = imports?.releases[w.key];
    if (same !== undefined) {
      if (imported === `${same.namespace}/${same.name}`) continue;
      const how = `Adopt it first: ${adopt}, then add the adoptionFile it names to the config`;
      findings.push({
        level: 'error',
        rule: PREFLIGHT_RULE_IDS.unadoptedRelease,
        path: imported === undefined ? 'adoptionFile' : `${field}.releaseName`,
        message:
          `release ${describe(same)} already runs${imported === undefined ? ` and environment ${config.environment} has no adoption record for it` : `, but the adoption record imports ${imported}`}: ` +
          `the first deploy would fail at apply ("cannot re-use a name that is still in use") after creating the DNS records. ${how}.${statement}`,
      });
      continue;
    }
    const others = releases.filter((r) => r.chart === w.chart && r.namespace === namespace && r.name !== w.name);
    // wire-server anywhere; an ingress release of another namespace belongs to another backend.
    const elsewhere = others.length > 0 || w.key !== 'wireServer' ? [] : releases.filter((r) => r.chart === w.chart && r.namespace !== namespace);
    for (const other of elsewhere) {
      const greenfield = config.greenfield === true;
      findings.push({
        level: greenfield ? 'warning' : 'error',
        rule: PREFLIGHT_RULE_IDS.namespace,
        path: 'kubernetes.namespace',
        message: greenfield
          ? `is ${JSON.stringify(namespace)}, and ${w.chart} runs as release ${describe(other)} in another namespace: the first deploy installs a second backend in ${namespace}, as greenfield: true states. If ${other.namespace} is this backend, set kubernetes.namespace: ${other.namespace} and adopt it instead`
          : `is ${JSON.stringify(namespace)}, but ${w.chart} runs as release ${describe(other)}, in no release of ${namespace}: the first deploy would install a second ${w.chart} in ${namespace}. ` +
            `If it is this backend, set kubernetes.namespace: ${other.namespace}${other.name !== w.name ? ` and ${field}.releaseName: '${other.name}'` : ''}, then adopt it: ${adopt}. If this is another backend on purpose, say greenfield: true`,
      });
    }
    for (const other of others) {
      findings.push({
        level: 'error',
        rule: PREFLIGHT_RULE_IDS.releaseName,
        path: `${field}.releaseName`,
        message:
          `is ${JSON.stringify(w.name)}, but the namespace runs ${w.chart} as release ${describe(other)}: the first deploy would install a second ${w.chart} beside it. ` +
          `Set ${field}.releaseName: '${other.name}', then adopt it: ${adopt}.${statement}`,
      });
    }
    if (imported !== undefined && others.length === 0 && elsewhere.length === 0) {
      findings.push({
        level: 'warning',
        rule: PREFLIGHT_RULE_IDS.adoptedMissing,
        path: 'adoptionFile',
        message: `the adoption record imports release ${imported}, which does not run in namespace ${config.kubernetes.namespace} (helm list): the import fails at plan. Check kubernetes.namespace and the kube context, or run ${adopt} again`,
      });
    }
  }
  // What the stack installs besides Wire's: cert-manager, the issuer, Envoy Gateway, the GatewayClass.
  for (const match of matchSupportReleases(config, releases)) {
    const w = match.wanted;
    const imported = imports?.supportReleases?.[w.key];
    const id = `${w.namespace}/${w.name}`;
    if (match.same !== undefined) {
      if (imported === id) continue;
      findings.push({
        level: 'error',
        rule: PREFLIGHT_RULE_IDS.unadoptedRelease,
        path: 'adoptionFile',
        message:
          `${w.what} (which ${w.field} makes the stack install) already runs as release ${describe(match.same)}, and ${imported === undefined ? `environment ${config.environment}'s adoption record does not import it` : `the adoption record imports ${imported}`}: ` +
          `the first deploy would fail at apply ("cannot re-use a name that is still in use"). Adopt it: ${adopt}, then add the adoptionFile it names to the config; or ${w.leaveAlone(w.namespace)}.`,
      });
    } else if (match.elsewhere.length > 0) {
      findings.push({ level: 'error', rule: PREFLIGHT_RULE_IDS.installedElsewhere, path: w.field, message: installedElsewhereMessage(match) });
    } else if (imported !== undefined) {
      findings.push({
        level: 'warning',
        rule: PREFLIGHT_RULE_IDS.adoptedMissing,
        path: 'adoptionFile',
        message: `the adoption record imports release ${imported} (${w.what}), which does not run (helm list): the import fails at plan. Check the kube context, or run ${adopt} again`,
      });
    }
  }
  if (input.dns !== undefined) {
    for (const want of wantedRecords(config)) {
      if (want.kind === 'aaaa' && config.ingress.ipv6 === undefined) continue;
      const found = input.dns.get(want.kind) ?? [];
      if (found.length === 0 || imports?.dnsRecords[want.kind] !== undefined) continue;
      const shown = found
        .map((r) => `${r.content ?? (r.data ? `${r.data.priority} ${r.data.weight} ${r.data.port} ${r.data.target}` : '?')} (id ${r.id})`)
        .join(', ');
      findings.push({
        level: 'error',
        rule: PREFLIGHT_RULE_IDS.unadoptedDns,
        path: 'adoptionFile',
        message:
          `the federator ${want.type} record ${want.name} already exists (${shown}) and no adoption record imports it: the first deploy would fail creating it. ` +
          `Adopt it: ${adopt} with CLOUDFLARE_API_TOKEN set (it records the import), or delete the record if nothing uses it.${statement}`,
      });
    }
  }
  return findings;
}
