/**
 * The config against its adoption record: the one set of rules that every entry point runs,
 * because the parser runs them when it reads the record (`adoptionFile`): validate, synth (the
 * repository's app and a consumer's stack), preflight, adopt's check of the adopted config,
 * `card add` and the library (`parseFederationConfig`, `validateFederationConfig`). Pure.
 *
 * What a running backend has is the record's truth; a config that would plan something else
 * (another release name or namespace, an older chart, a certificate that leaves public hosts
 * without one) is an error, with the fix. Values files made for another PKI mode or ingress
 * chart are a warning: adopt again.
 */
import type { ConfigProblem } from '../errors';
import type { CommandHint } from '../command-hint';
import { compareVersions } from '../../core/versions';
import { normalizeDnsName } from '../../core/names';
import { ADOPTION_RECORD_FORMAT, AdoptionRecord, CHART_OF, RELEASE_KEYS } from './record';
import { SupportReleasesConfig, supportRecordProblems } from './support-releases';

/** Rule ids of the config-versus-record checks (registered in `CONFIG_RULES`). */
export const RECORD_RULES = {
  release: 'adoption-release',
  downgrade: 'adoption-downgrade',
  stale: 'adoption-stale',
  certificateHosts: 'adoption-certificate-hosts',
  format: 'adoption-record-format',
} as const;

/** What the rules read of the config (its schema output). */
export interface RecordRulesConfig {
  readonly federatorDomain: string;
  readonly kubernetes: { readonly namespace: string };
  readonly ingress: SupportReleasesConfig['ingress'];
  readonly pki: { readonly mode: string };
  /** Each release's `version`, `releaseName` and `downgradeFrom` are read where present (any chart config fits). */
  readonly charts: { readonly [key: string]: unknown };
}

interface ReleaseSettings {
  readonly version: string;
  readonly releaseName: string;
  readonly downgradeFrom?: string;
}

/** Problems (errors) and warnings of `config` against `record` (read from `file`). */
export function adoptionRecordProblems(
  config: RecordRulesConfig,
  record: AdoptionRecord,
  file: string,
  command: CommandHint,
): { readonly problems: ConfigProblem[]; readonly warnings: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const adopt = `\`${command('adopt')}\``;

  for (const key of RELEASE_KEYS) {
    const recorded = record.releases[key];
    const settings = config.charts[key] as ReleaseSettings | undefined;
    if (recorded?.import !== undefined) {
      const [namespace, name] = recorded.import.split('/');
      if (settings === undefined && (key === 'coturn' || key === 'sftd')) {
        problems.push({
          path: `charts.${key}`,
          rule: RECORD_RULES.release,
          message: `is not set, but the adoption record (${file}) imports the running ${CHART_OF[key]} release ${recorded.import}, which this config no longer installs (calling): the plan cannot import it. Set charts.${key} with calling.enabled; or, if the running ${CHART_OF[key]} is no longer this project's, remove releases.${key} from ${file} (or run ${adopt} again); received ${JSON.stringify(undefined)}`,
        });
        continue;
      }
      if (settings === undefined) {
        problems.push({
          path: 'ingress.chart',
          rule: RECORD_RULES.release,
          message: `is ${config.ingress.chart}, but the adoption record (${file}) imports the running ${CHART_OF[key]} release ${recorded.import}, which this config no longer installs: the plan cannot import it. Once that release is gone, remove releases.${key}.import from ${file} (or run ${adopt} again); received ${JSON.stringify(config.ingress.chart)}`,
        });
        continue;
      }
      if (namespace !== config.kubernetes.namespace) {
        problems.push({
          path: 'kubernetes.namespace',
          rule: RECORD_RULES.release,
          message: `is ${JSON.stringify(config.kubernetes.namespace)}, but the running ${CHART_OF[key]} release that the adoption record (${file}) imports is ${recorded.import}: the plan would import it and then replace it, or install a second one in ${config.kubernetes.namespace}. Set kubernetes.namespace: ${namespace}; if the backend really moved, run ${adopt} again; received ${JSON.stringify(config.kubernetes.namespace)}`,
        });
      } else if (name !== settings.releaseName) {
        problems.push({
          path: `charts.${key}.releaseName`,
          rule: RECORD_RULES.release,
          message: `is ${JSON.stringify(settings.releaseName)}, but the running ${CHART_OF[key]} release that the adoption record (${file}) imports is ${recorded.import}: the plan would import it and then replace it with a release of another name (a release name cannot change in place). Set charts.${key}.releaseName: ${name}; if the release was renamed, run ${adopt} again; received ${JSON.stringify(settings.releaseName)}`,
        });
      }
    }
    if (settings === undefined) continue;
    const running = recorded?.chartVersion;
    const downgrade = running !== undefined && compareVersions(settings.version, running) < 0;
    const where = `${running} runs (adoption record ${file}${recorded?.revision !== undefined ? `, revision ${recorded.revision}` : ''})`;
    if (downgrade && settings.downgradeFrom !== running) {
      problems.push({
        path: `charts.${key}.version`,
        rule: RECORD_RULES.downgrade,
        message:
          `is ${settings.version}, but ${CHART_OF[key]} ${where}: the first deploy would DOWNGRADE it, and a chart's database migrations do not run backwards. ` +
          `Pin ${running} or later; if the downgrade is intended, say so: charts.${key}.downgradeFrom: '${running}'` +
          `${settings.downgradeFrom !== undefined ? ` (downgradeFrom is ${JSON.stringify(settings.downgradeFrom)}, not the running version)` : ''}; received ${JSON.stringify(settings.version)}`,
      });
    } else if (downgrade) {
      warnings.push({
        path: `charts.${key}.version`,
        rule: RECORD_RULES.downgrade,
        message: `is ${settings.version}: the first deploy downgrades ${CHART_OF[key]} from ${running}, as charts.${key}.downgradeFrom states. Remove downgradeFrom once deployed; received ${JSON.stringify(settings.version)}`,
      });
    } else if (settings.downgradeFrom !== undefined) {
      problems.push({
        path: `charts.${key}.downgradeFrom`,
        rule: RECORD_RULES.downgrade,
        message: `is ${JSON.stringify(settings.downgradeFrom)}, but charts.${key}.version ${settings.version} downgrades nothing${running !== undefined ? ` (${where})` : ' (the adoption record has no running chart version)'}: remove downgradeFrom; received ${JSON.stringify(settings.downgradeFrom)}`,
      });
    }
  }

  // cert-manager, the issuer, Envoy Gateway and the GatewayClass: the same rule ids.
  problems.push(...supportRecordProblems(config, record, file, command, RECORD_RULES));

  const recordedWith = record.adoptedWith;
  if (recordedWith !== undefined) {
    const files = RELEASE_KEYS.flatMap((k) => (record.releases[k]?.valuesFile !== undefined ? [record.releases[k].valuesFile] : []));
    const stale = (path: string, now: string, then: string): void => {
      warnings.push({
        path,
        rule: RECORD_RULES.stale,
        message:
          `is ${now}, but ${file} was adopted with ${path} ${then}: the adopted values files (${files.join(', ') || 'none'}) were split for ${then} and are out of date ` +
          `(adopt leaves out, and reports, the keys the federation config sets, which depend on it). Run ${adopt} again and review the change of those files; received ${JSON.stringify(now)}`,
      });
    };
    if (recordedWith.pkiMode !== config.pki.mode) stale('pki.mode', config.pki.mode, recordedWith.pkiMode);
    if (recordedWith.ingressChart !== config.ingress.chart) stale('ingress.chart', config.ingress.chart, recordedWith.ingressChart);
  }

  const certificate = record.runningCertificate;
  if (certificate !== undefined && config.pki.mode === 'private-ca') {
    const federator = normalizeDnsName(config.federatorDomain);
    const others = certificate.hosts.filter((h) => normalizeDnsName(h) !== federator);
    if (others.length > 0) {
      problems.push({
        path: 'pki.mode',
        rule: RECORD_RULES.certificateHosts,
        message:
          `is private-ca, but the running nginx-ingress-services serves one certificate on every ingress (${certificate.subject}; adoption record ${file}) for ${others.join(', ')} besides the federator: ` +
          `private-ca replaces it with a certificate for ${config.federatorDomain} only, from a CA no browser trusts, so ${others.join(', ')} (nginz-https, webapp, assets, …) would fail. ` +
          "Keep them with pki.mode cert-manager (Let's Encrypt keeps serving the public hosts, the private CA signs the federator's own certificate) " +
          `or pki.mode provided (your certificate, which must cover ${others.join(', ')} too); received "private-ca"`,
      });
    }
  }
  return { problems, warnings };
}

/**
 * A record of a newer format than this version reads: a problem naming both, checked before the
 * record's schema (whose unknown keys would otherwise be the only message).
 */
export function recordFormatProblem(json: unknown, file: string, toolVersion: string, command: CommandHint): ConfigProblem | undefined {
  const format = (json as { format?: unknown } | null)?.format;
  if (typeof format !== 'number' || format <= ADOPTION_RECORD_FORMAT) return undefined;
  return {
    path: 'adoptionFile',
    rule: RECORD_RULES.format,
    message: `${file} was written by a newer version of wire-federation-cdktf (record format ${format}); this version (${toolVersion}) reads record formats up to ${ADOPTION_RECORD_FORMAT} and would ignore what is new. Upgrade wire-federation-cdktf to the version that wrote it, or run \`${command('adopt')}\` again with this one; received format ${format}`,
  };
}
