/**
 * Turns untrusted input (a TypeScript object, or a parsed YAML/JSON file) into a
 * {@link WireFederationConfig}, or a {@link FederationConfigError} listing every problem.
 *
 * The orchestration only; each job has its file: the parsed types (`model.ts`), the files the
 * config names (`files.ts`), the rules across fields (`rules.ts`) and schema errors with "did you
 * mean" (`schema-problems.ts`).
 */
import { ConfigProblem, FederationConfigError } from './errors';
import { wireFederationConfigSchema } from './schema';
import { RELEASE_KEYS, type ReleaseKey, importsOf } from './adoption/record';
import { adoptionRecordProblems } from './adoption/record-rules';
import { CommandHint, commandHint } from './command-hint';
import { mergeValues, type Values as HelmValues } from '../core/values';
import type { PeerConfig, ReleaseConfig, SchemaRelease, WireFederationConfig } from './model';
import { readAdoptionRecord, readConfigFile, readValuesFiles, resolveCa, resolveConfigPath, resolvePki } from './files';
import { resolveCalling } from './calling';
import { allowedTeamsOf, checkDnsZones, checkIngress, checkKnownBadReleases, checkMonitoringTimeout, checkTeamRestrictions, checkTeams } from './rules';
import { schemaProblems } from './schema-problems';

export type { TrustedCa, PeerConfig, ReleaseConfig, ValuesDocument, PkiConfig, WireFederationConfig } from './model';
export { WIRE_INGRESS_MIN_CHART, usesNginxIngressServices, FEDERATOR_ISSUER_MIN_CHART, FEDERATOR_TLS_SETTINGS_MIN_CHART, compareVersions } from './rules';
export { resolveConfigPath } from './files';
export { type KeySuggestions, keySuggestions, valueAt } from './schema-problems';

export interface ParseOptions {
  /**
   * Directory that relative file paths (CA files, values files) are resolved against.
   * @default the current working directory
   */
  readonly baseDir?: string;
  /** Named in the error message, e.g. the config file path. */
  readonly source?: string;
  /**
   * Builds the commands messages tell the user to run, as typed where the config is checked.
   * @default - `npx wire-federation <command> <environment>`
   */
  readonly command?: CommandHint;
}

/**
 * Validates a config. Returns the typed config or throws {@link FederationConfigError} with every
 * problem as `{path, message}`; each message names the field, shows the value received and says
 * what is allowed.
 */
export function parseFederationConfig(input: unknown, options: ParseOptions = {}): WireFederationConfig {
  const result = wireFederationConfigSchema.safeParse(input);
  if (!result.success) throw new FederationConfigError(schemaProblems(result.error.issues, input), options.source);
  const baseDir = options.baseDir ?? process.cwd();
  const problems: ConfigProblem[] = [];
  const data = result.data;
  const warnings: ConfigProblem[] = [];
  const peers = data.peers.map(({ restrictToTeams, allowedTeams, ...peer }, i): PeerConfig => {
    const teams = allowedTeamsOf(restrictToTeams, allowedTeams, i, problems, warnings);
    return {
      ...peer,
      caCertificates: peer.caCertificates.flatMap((source, j) => resolveCa(source, `peers[${i}].caCertificates[${j}]`, baseDir, problems)),
      ...(teams === undefined ? {} : { allowedTeams: teams }),
    };
  });
  checkTeams(data.teams, problems);
  const command = options.command ?? commandHint({ target: data.environment });
  const record = data.adoptionFile === undefined ? undefined : readAdoptionRecord(data.adoptionFile, data, baseDir, problems, command);
  if (record !== undefined) {
    // The config against what runs: the same rules for every entry point (lib/config/adoption/record-rules.ts).
    const checked = adoptionRecordProblems(data, record, data.adoptionFile!, command);
    problems.push(...checked.problems);
    warnings.push(...checked.warnings);
  }
  const release = (settings: SchemaRelease, key: string): ReleaseConfig => {
    // The adopted values come first: the operator's own values files override them.
    const adopted = (RELEASE_KEYS as readonly string[]).includes(key) ? record?.releases[key as ReleaseKey] : undefined;
    const valuesFiles = [...(adopted?.valuesFile !== undefined ? [adopted.valuesFile] : []), ...settings.valuesFiles];
    const sensitiveValues = [...new Set([...settings.sensitiveValues, ...(adopted?.sensitiveValues ?? [])])];
    const valuesDocuments = readValuesFiles(valuesFiles, `charts.${key}.valuesFiles`, baseDir, problems);
    const operatorValues = valuesDocuments.reduce<HelmValues>((acc, d) => mergeValues(acc, d.values), {});
    return { ...settings, valuesFiles, sensitiveValues, operatorValues, valuesDocuments };
  };
  const optionalRelease = (key: 'nginxIngressServices' | 'wireIngress' | 'coturn' | 'sftd'): ReleaseConfig | undefined => {
    const settings = data.charts[key];
    return settings === undefined ? undefined : release(settings, key);
  };
  const charts = {
    ...data.charts,
    wireServer: release(data.charts.wireServer, 'wireServer'),
    nginxIngressServices: optionalRelease('nginxIngressServices'),
    wireIngress: optionalRelease('wireIngress'),
    coturn: optionalRelease('coturn'),
    sftd: optionalRelease('sftd'),
  };
  checkIngress(data, problems);
  checkKnownBadReleases(data, problems);
  checkDnsZones(data, problems);
  checkMonitoringTimeout(data, warnings);
  const pki = resolvePki(data, baseDir, problems, warnings);
  const calling = resolveCalling(
    data,
    (file, field, what) => readConfigFile(file, field, what, baseDir, problems),
    (file) => resolveConfigPath(file, baseDir),
    problems,
    warnings,
  );
  checkTeamRestrictions(data, problems);
  if (problems.length > 0) throw new FederationConfigError(problems, options.source);
  return { ...data, peers, charts, pki: pki!, calling, warnings, ...(record ? { adoption: { record, imports: importsOf(record) } } : {}) };
}
