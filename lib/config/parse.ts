/**
 * Turns untrusted input (a TypeScript object, or a parsed YAML/JSON file) into a
 * {@link WireFederationConfig}, or a {@link FederationConfigError} listing every problem.
 */
import { InputFileError, jsonErrorWithoutContent, readBoundedText } from '../files/read';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigProblem, FederationConfigError, describeValue, formatPath } from './errors';
import { wireFederationConfigSchema } from './schema';
import { parseIntervalMs } from './duration';
import { relativeDnsName } from '../dns/names';
import { containsPrivateKey, parseCertificates } from '../pki/pem';
import { checkProvidedCertificate } from '../pki/provided-checks';
import { mergeValues } from '../helm/values/merge';
import type { Values as HelmValues } from '../helm/values/types';
import { AdoptionImports, AdoptionRecord, adoptionRecordSchema, importsOf } from '../adopt/record';
import { adoptionRecordProblems, recordFormatProblem } from '../adopt/record-rules';
import { packageVersion } from '../monitoring/exporter-image';
import { CommandHint, commandHint, fileTarget } from './command-hint';
import { CHART_FEATURES, FIXED_FEDERATOR_CERTIFICATE, LISTENER_SET_MIN_ENVOY_GATEWAY, WIRE_INGRESS_FEDERATOR_SECTION, WireChart, compareVersions, featureMinimum, hasFeature, knownBadRelease, wireIngressLayout } from '../core/chart-facts';
import { type KeyAdvice, type OtherVariant, adviseKey, closestKey, keysAt } from './suggest';
import { type ParsedCallingConfig, resolveCalling } from './calling';

type SchemaOutput = z.output<typeof wireFederationConfigSchema>;
type SchemaPeer = SchemaOutput['peers'][number];
type SchemaRelease = SchemaOutput['charts']['wireServer'];

/** A CA certificate trusted for a peer: PEM known at synth, or another environment's CA output. */
export type TrustedCa =
  | { readonly kind: 'pem'; readonly pem: string; /** file path or "inline" */ readonly origin: string }
  | { readonly kind: 'environment'; readonly environment: string };

export interface PeerConfig extends Omit<SchemaPeer, 'caCertificates' | 'restrictToTeams'> {
  readonly caCertificates: readonly TrustedCa[];
  /**
   * Teams of this peer whose users may find ours (brig `restrict_by_team`), from `allowedTeams`
   * or its deprecated name `restrictToTeams`. @default - all users of the peer
   */
  readonly allowedTeams?: string[];
}

export interface ReleaseConfig extends SchemaRelease {
  /** The operator's values files merged in order (later files win), as one object. */
  readonly operatorValues: HelmValues;
  /** Each values file that parsed, in order: checks name the file that sets a value. */
  readonly valuesDocuments: readonly ValuesDocument[];
}

/** One of the operator's values files, read and parsed. */
export interface ValuesDocument {
  /** The file as the config names it (relative to the config's base directory). */
  readonly file: string;
  /** Its config path, e.g. `charts.wireServer.valuesFiles[0]`. */
  readonly path: string;
  readonly values: HelmValues;
}

type SchemaPki = Exclude<SchemaOutput['pki'], { mode: 'letsencrypt-only' }>;
type WithResolvedCas<T> = Omit<T, 'previousCaCertificates' | 'signingCaGeneration'> & {
  /** Our CA certificates from before a rotation, still published to peers. */
  readonly previousCaCertificates: readonly string[];
};

/** PKI settings after parsing: files read and checked, defaults applied. */
export type PkiConfig =
  | (WithResolvedCas<Extract<SchemaPki, { mode: 'private-ca' }>> & { readonly signingCaGeneration: number })
  | (WithResolvedCas<Extract<SchemaPki, { mode: 'cert-manager' }>> & { readonly signingCaGeneration: number })
  | (WithResolvedCas<Extract<SchemaPki, { mode: 'provided' }>> & {
      /** The certificate chain (leaf first), checked at synth. */
      readonly certificateChainPem: string;
      /** The CA certificate(s) that signed the chain. */
      readonly caPem: string;
      /** Certificates between the leaf and the CA, plus one (what nginx `verify_depth` must allow). */
      readonly chainDepth: number;
    });

/** A parsed config: every default applied, files read and checked. */
export interface WireFederationConfig extends Omit<SchemaOutput, 'peers' | 'charts' | 'pki' | 'calling'> {
  readonly peers: readonly PeerConfig[];
  readonly pki: PkiConfig;
  /** Federated calls (coturn, sftd, brig's SFT settings); `enabled: false` by default. */
  readonly calling: ParsedCallingConfig;
  /** Not wrong, but worth a look (e.g. a provided certificate expiring soon). */
  readonly warnings: readonly ConfigProblem[];
  /**
   * What `wire-federation adopt` recorded (`adoptionFile`): the stacks import these instead of
   * creating them. @default - nothing is imported
   */
  readonly adoption?: { readonly record: AdoptionRecord; readonly imports: AdoptionImports };
  readonly charts: Omit<SchemaOutput['charts'], 'wireServer' | 'nginxIngressServices' | 'wireIngress' | 'coturn' | 'sftd'> & {
    readonly wireServer: ReleaseConfig;
    /** Present with ingress.chart nginx-ingress-services and during a migration from it. */
    readonly nginxIngressServices?: ReleaseConfig;
    /** Present with ingress.chart wire-ingress. */
    readonly wireIngress?: ReleaseConfig;
    /** coturn (calling); required with calling.enabled. */
    readonly coturn?: ReleaseConfig;
    /** sftd (calling); required with calling.enabled. */
    readonly sftd?: ReleaseConfig;
  };
}

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
      caCertificates: peer.caCertificates.flatMap((source, j) =>
        resolveCa(source, `peers[${i}].caCertificates[${j}]`, baseDir, problems),
      ),
      ...(teams === undefined ? {} : { allowedTeams: teams }),
    };
  });
  checkTeams(data.teams, problems);
  const command = options.command ?? commandHint({ target: data.environment });
  const record = data.adoptionFile === undefined ? undefined : readAdoptionRecord(data.adoptionFile, data, baseDir, problems, command);
  if (record !== undefined) {
    // The config against what runs: the same rules for every entry point (lib/adopt/record-rules.ts).
    const checked = adoptionRecordProblems(data, record, data.adoptionFile!, command);
    problems.push(...checked.problems);
    warnings.push(...checked.warnings);
  }
  const release = (settings: SchemaRelease, key: string): ReleaseConfig => {
    // The adopted values come first: the operator's own values files override them.
    const adopted = key === 'wireServer' || key === 'nginxIngressServices' || key === 'wireIngress' ? record?.releases[key] : undefined;
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
  const calling = resolveCalling(data, (file, field, what) => readConfigFile(file, field, what, baseDir, problems), (file) => resolveConfigPath(file, baseDir), problems, warnings);
  if (data.remotes.mode === 'config') {
    data.peers.forEach((p, i) => {
      const key = p.allowedTeams !== undefined ? 'allowedTeams' : p.restrictToTeams !== undefined ? 'restrictToTeams' : undefined;
      if (key !== undefined) {
        problems.push({
          path: `peers[${i}].${key}`,
          rule: 'restrict-needs-api',
          message: 'needs remotes.mode api: brig\'s setFederationDomainConfigs list cannot restrict teams; set remotes: {mode: api} (docs/remote-backends.md, "Team restrictions")',
        });
      }
    });
  }
  if (problems.length > 0) throw new FederationConfigError(problems, options.source);
  return { ...data, peers, charts, pki: pki!, calling, warnings, ...(record ? { adoption: { record, imports: importsOf(record) } } : {}) };
}

/**
 * The allowed teams of peer `i`: `allowedTeams`, or the deprecated `restrictToTeams` with a
 * warning (same brig setting; only the project's docs had the meaning wrong). Both is an error.
 */
function allowedTeamsOf(
  restrictToTeams: string[] | undefined,
  allowedTeams: string[] | undefined,
  i: number,
  problems: ConfigProblem[],
  warnings: ConfigProblem[],
): string[] | undefined {
  if (restrictToTeams !== undefined && allowedTeams !== undefined) {
    problems.push({
      path: `peers[${i}].restrictToTeams`,
      rule: 'allowed-teams-twice',
      message: `is the deprecated name of peers[${i}].allowedTeams, and both are set (restrictToTeams ${describeValue(restrictToTeams)}, allowedTeams ${describeValue(allowedTeams)}): keep allowedTeams with the PEER's team ids whose users may find ours, and remove restrictToTeams`,
    });
    return allowedTeams;
  }
  if (restrictToTeams !== undefined) {
    warnings.push({
      path: `peers[${i}].restrictToTeams`,
      rule: 'deprecated-restrict-to-teams',
      message: `is deprecated: rename it to allowedTeams (accepted until the next minor version). The meaning changed in this project's docs, not in brig: these ids were always teams OF THE PEER whose users may find ours (brig restrict_by_team), although older docs said "our teams". Received ${describeValue(restrictToTeams)}: if these are your own team ids, replace them with the peer's, or no user of the peer can find anyone here`,
    });
    return restrictToTeams;
  }
  return allowedTeams;
}

/** Declared teams: each id and each name once. */
function checkTeams(teams: readonly { name: string; id: string }[], problems: ConfigProblem[]): void {
  const ids = new Map<string, number>();
  const names = new Map<string, number>();
  teams.forEach((team, i) => {
    const id = team.id.toLowerCase();
    if (ids.has(id)) {
      problems.push({ path: `teams[${i}].id`, rule: 'duplicate-team', message: `team id ${describeValue(team.id)} is declared twice (also teams[${ids.get(id)}]): declare each team once` });
    } else ids.set(id, i);
    if (names.has(team.name)) {
      problems.push({ path: `teams[${i}].name`, rule: 'duplicate-team', message: `team name ${describeValue(team.name)} is used twice (also teams[${names.get(team.name)}]): give each team its own name` });
    } else names.set(team.name, i);
  });
}

/** Reads and checks the adoption record: it must belong to this environment and its domain. */
function readAdoptionRecord(file: string, data: SchemaOutput, baseDir: string, problems: ConfigProblem[], command: CommandHint): AdoptionRecord | undefined {
  const text = readConfigFile(file, 'adoptionFile', 'adoption record', baseDir, problems);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    problems.push({ path: 'adoptionFile', rule: 'adoption-record', message: `adoption record is not valid JSON (${jsonErrorWithoutContent(e)}); received ${describeValue(file)}. Run \`${command('adopt')}\` again` });
    return undefined;
  }
  const newer = recordFormatProblem(json, file, packageVersion(), command);
  if (newer !== undefined) {
    problems.push(newer);
    return undefined;
  }
  const parsed = adoptionRecordSchema.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({ path: 'adoptionFile', rule: 'adoption-record', message: `${file}: ${formatPath(issue.path) || '(record)'} ${issue.message}; received ${describeValue(valueAt(json, issue.path))}` });
    }
    return undefined;
  }
  const record = parsed.data;
  if (record.environment !== data.environment || record.backendDomain !== data.backendDomain) {
    problems.push({
      path: 'adoptionFile',
      message: `${file} records environment ${record.environment} with backend domain ${JSON.stringify(record.backendDomain)}, but this is environment ${data.environment} with backend domain ${JSON.stringify(data.backendDomain)}: name this environment's own record, or run \`${command('adopt')}\``,
    });
    return undefined;
  }
  const recordedDns = Object.keys(record.dnsRecords).filter((k) => record.dnsRecords[k as keyof typeof record.dnsRecords] !== undefined);
  if (recordedDns.length > 0 && data.dns.provider !== 'cloudflare') {
    problems.push({ path: 'adoptionFile', rule: 'adoption-record', message: `${file} records Cloudflare DNS records to import (${recordedDns.join(', ')}), but dns.provider is ${data.dns.provider}: remove dnsRecords from the record, or run \`${command('adopt')}\` again` });
    return undefined;
  }
  if (record.dnsRecords.aaaa !== undefined && data.ingress.ipv6 === undefined) {
    problems.push({ path: 'adoptionFile', rule: 'adoption-record', message: `${file} records an AAAA record to import (${record.dnsRecords.aaaa}), but ingress.ipv6 is not set: set ingress.ipv6 to manage it, or run \`${command('adopt')}\` again` });
    return undefined;
  }
  return record;
}

/**
 * Providers that address records relative to a zone given by its DNS name (Azure, RFC 2136) need
 * the backend domain inside the backend zone and the federator domain inside the infrastructure
 * zone.
 */
function checkDnsZones(data: SchemaOutput, problems: ConfigProblem[]): void {
  const dns = data.dns;
  if (dns.provider !== 'azure' && dns.provider !== 'rfc2136') return;
  const zoneOf = (z: string | { name: string }): string => (typeof z === 'string' ? z : z.name);
  const backendField = dns.provider === 'azure' ? 'dns.backendZone.name' : 'dns.backendZone';
  const backendZone = zoneOf(dns.backendZone);
  if (relativeDnsName(data.backendDomain, backendZone) === undefined) {
    problems.push({ path: backendField, rule: 'schema', message: `is ${JSON.stringify(backendZone)}, which does not contain the backend domain ${data.backendDomain} (the SRV record goes there): give the zone the backend domain is in; received ${describeValue(backendZone)}` });
  }
  const infra = dns.infrastructureZone === undefined ? undefined : zoneOf(dns.infrastructureZone);
  if (relativeDnsName(data.federatorDomain, infra ?? backendZone) === undefined) {
    const field = infra === undefined ? 'dns.infrastructureZone' : dns.provider === 'azure' ? 'dns.infrastructureZone.name' : 'dns.infrastructureZone';
    problems.push({
      path: field,
      rule: 'schema',
      message: infra === undefined
        ? `is required: the federator domain ${data.federatorDomain} is not inside the backend zone ${backendZone}, so its A/AAAA records need the zone it is in; received ${describeValue(undefined)}`
        : `is ${JSON.stringify(infra)}, which does not contain the federator domain ${data.federatorDomain} (the A/AAAA records go there): give the zone the federator domain is in; received ${describeValue(infra)}`,
    });
  }
}

/** First wire-ingress version (the successor of nginx-ingress-services): the chart-facts table. */
export const WIRE_INGRESS_MIN_CHART = featureMinimum('wireIngress');

/** Whether a nginx-ingress-services release serves the federator (its chart, or the side-by-side step of a migration). */
export function usesNginxIngressServices(config: Pick<SchemaOutput, 'ingress'>): boolean {
  return config.ingress.chart === 'nginx-ingress-services' || config.ingress.migration?.phase === 'side-by-side';
}

/** The ingress settings that depend on each other: chart, gateway, migration, release settings. */
function checkIngress(data: SchemaOutput, problems: ConfigProblem[]): void {
  const { chart, gateway, migration } = data.ingress;
  if (chart === 'nginx-ingress-services') {
    if (data.charts.nginxIngressServices === undefined) {
      problems.push({ path: 'charts.nginxIngressServices', message: `is required: a map of settings such as {version: '5.32.0'} with ingress.chart nginx-ingress-services (the default); or set ingress.chart to wire-ingress with charts.wireIngress; received ${describeValue(undefined)}` });
    }
    if (gateway !== undefined) problems.push({ path: 'ingress.gateway', message: 'is used only with ingress.chart wire-ingress: remove it, or set ingress.chart to wire-ingress' });
    if (migration !== undefined) problems.push({ path: 'ingress.migration', message: 'needs ingress.chart wire-ingress (the chart migrated to); see docs/ingress-charts.md, "Migrating to wire-ingress"' });
    return;
  }
  if (data.charts.wireIngress === undefined) {
    problems.push({ path: 'charts.wireIngress', message: `is required: a map of settings such as {version: '${WIRE_INGRESS_MIN_CHART}'} with ingress.chart wire-ingress; received ${describeValue(undefined)}` });
  } else if (!hasFeature('wireIngress', data.charts.wireIngress.version)) {
    problems.push({ path: 'charts.wireIngress.version', message: `is ${data.charts.wireIngress.version}, but wire-ingress exists from ${WIRE_INGRESS_MIN_CHART} on: pin ${WIRE_INGRESS_MIN_CHART} or later` });
  }
  if (gateway !== undefined && data.charts.wireIngress !== undefined && gateway.federatorSectionName !== WIRE_INGRESS_FEDERATOR_SECTION && wireIngressLayout(data.charts.wireIngress.version) !== 'listener-set') {
    problems.push({
      path: 'ingress.gateway.federatorSectionName',
      rule: 'chart-version',
      message: `is ${JSON.stringify(gateway.federatorSectionName)}, but wire-ingress ${data.charts.wireIngress.version} puts the federator listener on the Gateway under the fixed name ${WIRE_INGRESS_FEDERATOR_SECTION} (a configurable section name exists from ${featureMinimum('wireIngressListenerSet')}, the ListenerSet layout): leave it out, or pin ${featureMinimum('wireIngressListenerSet')} or later`,
    });
  }
  const egVersion = gateway?.installEnvoyGatewayVersion;
  if (egVersion !== undefined && data.charts.wireIngress !== undefined && wireIngressLayout(data.charts.wireIngress.version) === 'listener-set' && compareVersions(egVersion.slice(1), LISTENER_SET_MIN_ENVOY_GATEWAY.slice(1)) < 0) {
    problems.push({
      path: 'ingress.gateway.installEnvoyGatewayVersion',
      rule: 'chart-version',
      message: `is ${egVersion}, but wire-ingress ${data.charts.wireIngress.version} puts the federator listener on a ListenerSet, whose client-certificate policy needs Envoy Gateway ${LISTENER_SET_MIN_ENVOY_GATEWAY} or later (Gateway API 1.6.1 CRDs, Kubernetes 1.33+): install ${LISTENER_SET_MIN_ENVOY_GATEWAY} or later, or pin wire-ingress before ${featureMinimum('wireIngressListenerSet')}`,
    });
  }
  if (gateway === undefined) {
    problems.push({ path: 'ingress.gateway', message: `is required: a map of settings with ingress.chart wire-ingress, at least {className: '<the GatewayClass of Envoy Gateway>'} (wire-ingress gateway.className); received ${describeValue(undefined)}` });
  }
  if (migration?.phase === 'side-by-side' && data.charts.nginxIngressServices === undefined) {
    problems.push({ path: 'charts.nginxIngressServices', message: `is required: a map of settings while ingress.migration.phase is side-by-side (the old release keeps running with its settings until the A/AAAA records have moved); received ${describeValue(undefined)}` });
  }
}

/**
 * First nginx-ingress-services version a federated backend may run with `federator.tls.issuer`
 * (added in 5.26.0, a release federated backends must skip): the chart-facts table.
 */
export const FEDERATOR_ISSUER_MIN_CHART = featureMinimum('federatorIssuer');

/**
 * First nginx-ingress-services version that reads `federator.tls.duration`, `renewBefore` and
 * `issuer.group` (wire-server #5025); before, the federator certificate is fixed at
 * 2160h / 360h: the chart-facts table.
 */
export const FEDERATOR_TLS_SETTINGS_MIN_CHART = featureMinimum('federatorTlsSettings');
const FIXED_DURATIONS = FIXED_FEDERATOR_CERTIFICATE;

/** Compares two `x.y.z` versions (pre-release suffixes ignored). */
export { compareVersions };

const RELEASE_CHARTS: ReadonlyArray<readonly ['wireServer' | 'nginxIngressServices' | 'wireIngress', WireChart]> = [
  ['wireServer', 'wire-server'],
  ['nginxIngressServices', 'nginx-ingress-services'],
  ['wireIngress', 'wire-ingress'],
];

/**
 * Releases to skip (the chart-facts table): every config here federates, so a 5.26.x release is
 * refused as well as the broken 5.29.x and 5.31.x, each with the version to pin instead.
 */
function checkKnownBadReleases(data: SchemaOutput, problems: ConfigProblem[]): void {
  for (const [key, chart] of RELEASE_CHARTS) {
    const release = data.charts[key];
    if (release === undefined) continue;
    const bad = knownBadRelease(chart, release.version, true);
    if (bad === undefined) continue;
    problems.push({
      path: `charts.${key}.version`,
      rule: 'chart-known-bad',
      message: `is ${release.version}, a ${chart} release to skip${bad.federatedOnly ? ' in federated environments' : ''} (${bad.series}): ${bad.why}. Pin ${bad.useInstead} (or later) instead; see docs/reference/chart-versions.md`,
    });
  }
}

/**
 * A round of the exporter waits up to three timeouts in a row for one peer (the SRV lookup, the
 * address lookup, then the TLS handshake beside the federation call): with 3 × timeoutMs at or above the interval, a
 * slow peer makes rounds overrun and report its checks as errors.
 */
function checkMonitoringTimeout(data: SchemaOutput, warnings: ConfigProblem[]): void {
  const m = data.monitoring;
  const intervalMs = parseIntervalMs(m.interval);
  if (!m.enabled || intervalMs === undefined || 3 * m.timeoutMs < intervalMs) return;
  warnings.push({
    path: 'monitoring.timeoutMs',
    rule: 'monitoring-timeout',
    message: `is ${m.timeoutMs} ms, and three of them (${3 * m.timeoutMs} ms: a peer's SRV lookup, address lookup and TLS handshake one after the other) do not fit in monitoring.interval ${m.interval}: a slow peer's checks are reported as errors ("no verdict within the round deadline"); lower timeoutMs below ${Math.floor(intervalMs / 3)} or raise the interval; received ${describeValue(m.timeoutMs)}`,
  });
}

function resolvePki(data: SchemaOutput, baseDir: string, problems: ConfigProblem[], warnings: ConfigProblem[]): PkiConfig | undefined {
  const pki = data.pki;
  if (pki.mode === 'letsencrypt-only') return undefined; // refused by the schema
  const previousCaCertificates = pki.previousCaCertificates.flatMap((source, i) => {
    const path = `pki.previousCaCertificates[${i}]`;
    if ('environment' in source) {
      problems.push({ path, rule: 'schema', message: `must be {file} or {pem}: our own previous CA is not another environment's output; received ${describeValue(source)}` });
      return [];
    }
    return resolveCa(source, path, baseDir, problems).flatMap((ca) => (ca.kind === 'pem' ? [ca.pem] : []));
  });
  if (pki.mode === 'private-ca' || pki.mode === 'cert-manager') {
    const nginx = usesNginxIngressServices(data) ? data.charts.nginxIngressServices : undefined;
    if (pki.mode === 'cert-manager' && nginx !== undefined && !hasFeature('federatorIssuer', nginx.version) && knownBadRelease('nginx-ingress-services', nginx.version) === undefined) {
      problems.push({
        path: 'charts.nginxIngressServices.version',
        rule: 'chart-version',
        message: `is ${nginx.version}, but pki.mode cert-manager needs nginx-ingress-services >= ${FEDERATOR_ISSUER_MIN_CHART} (federator.tls.issuer, a separate issuer for the federator certificate: ${CHART_FEATURES.federatorIssuer.meaning}). Pin ${FEDERATOR_ISSUER_MIN_CHART} or later, or use pki.mode private-ca`,
      });
    }
    if (pki.mode === 'cert-manager' && nginx !== undefined && hasFeature('federatorIssuer', nginx.version) && !hasFeature('federatorTlsSettings', nginx.version)) {
      for (const field of ['duration', 'renewBefore'] as const) {
        if (pki[field] === FIXED_DURATIONS[field]) continue;
        problems.push({
          path: `pki.${field}`,
          rule: 'chart-version',
          message: `is ${pki[field]}, but nginx-ingress-services ${nginx.version} ignores federator.tls.${field} (read from ${FEDERATOR_TLS_SETTINGS_MIN_CHART} on; before, the federator certificate is fixed at ${FIXED_DURATIONS.duration} / ${FIXED_DURATIONS.renewBefore}). Pin charts.nginxIngressServices.version ${FEDERATOR_TLS_SETTINGS_MIN_CHART} or later, or leave pki.${field} out`,
        });
      }
    }
    return { ...pki, previousCaCertificates, signingCaGeneration: pki.signingCaGeneration ?? pki.caGenerations[0] };
  }
  // provided: read and check the files now, so mistakes show at synth and not as TLS errors.
  const read = (field: 'certificateFile' | 'keyFile' | 'caFile', file: string): string | undefined =>
    readConfigFile(file, `pki.${field}`, 'file', baseDir, problems);
  const certificatePem = read('certificateFile', pki.certificateFile);
  const caPem = read('caFile', pki.caFile);
  const keyPem = pki.keyFile === undefined ? undefined : read('keyFile', pki.keyFile);
  if (certificatePem === undefined || caPem === undefined || (pki.keyFile !== undefined && keyPem === undefined)) return undefined;
  const { findings, chainDepth } = checkProvidedCertificate({
    files: { certificateFile: pki.certificateFile, keyFile: pki.keyFile ?? '(variable federator_private_key)', caFile: pki.caFile },
    certificatePem,
    keyPem,
    caPem,
    federatorDomain: data.federatorDomain,
  });
  for (const f of findings) (f.level === 'error' ? problems : warnings).push({ path: `pki.${f.field}`, rule: 'provided-certificate', message: f.message });
  // Our own chain depth limits nothing here (federation.verifyDepth is about the PEERS' chains);
  // it is what each peer on nginx-ingress-services must allow: tell them (output federator_chain_depth).
  if (chainDepth > 1) {
    warnings.push({
      path: 'pki.certificateFile',
      rule: 'own-chain-depth',
      message: `the provided chain has ${chainDepth - 1} intermediate certificate${chainDepth === 2 ? '' : 's'} between the federator certificate and the CA: peers on nginx-ingress-services need tls.verify_depth (their federation.verifyDepth) of at least ${chainDepth} to accept our client certificate. Tell them (cdktf output federator_chain_depth); our own verifyDepth does not change it`,
    });
  }
  const chain = parseCertificates(certificatePem);
  const cas = parseCertificates(caPem);
  return {
    ...pki,
    keyFile: pki.keyFile === undefined ? undefined : resolveConfigPath(pki.keyFile, baseDir),
    previousCaCertificates,
    certificateChainPem: 'pems' in chain ? `${chain.pems.join('\n')}\n` : '',
    caPem: 'pems' in cas ? `${cas.pems.join('\n')}\n` : '',
    chainDepth,
  };
}

/** Resolves a path the way the config means it: `~` is the home directory, relative to baseDir. */
export function resolveConfigPath(path: string, baseDir: string): string {
  if (path === '~' || path.startsWith('~/')) return resolve(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

function resolveCa(
  source: SchemaPeer['caCertificates'][number],
  path: string,
  baseDir: string,
  problems: ConfigProblem[],
): TrustedCa[] {
  if ('environment' in source) return [{ kind: 'environment', environment: source.environment }];
  let text: string;
  let origin: string;
  let field: string;
  if ('file' in source) {
    field = `${path}.file`;
    origin = source.file;
    const content = readConfigFile(source.file, field, 'CA certificate file', baseDir, problems);
    if (content === undefined) return [];
    text = content;
  } else {
    field = `${path}.pem`;
    origin = 'inline';
    text = source.pem;
  }
  const whose = path.startsWith('pki.previousCaCertificates') ? 'our previous CA certificate' : "the peer's CA certificate";
  const where = origin === 'inline' ? 'the inline PEM' : `the file ${origin}`;
  if (containsPrivateKey(text)) {
    problems.push({ path: field, rule: 'ca-certificate', message: `${where} contains a PRIVATE KEY: give ${whose} only, never a key (remove the key from ${where})` });
    return [];
  }
  const parsed = parseCertificates(text);
  if ('error' in parsed) {
    problems.push({ path: field, rule: 'ca-certificate', message: `must be a PEM CA certificate, but ${origin === 'inline' ? 'it' : where} ${parsed.error} (give ${whose}); received ${describeValue(origin === 'inline' ? text : source)}` });
    return [];
  }
  return parsed.pems.map((pem) => ({ kind: 'pem' as const, pem, origin }));
}

/** Files by absolute path, read once per process: many environments name the same files. */
const files = new Map<string, string | undefined>();

/**
 * The content of a file the config names at `field` (relative to baseDir), or undefined after
 * recording a "<what> not found" problem.
 */
function readConfigFile(path: string, field: string, what: string, baseDir: string, problems: ConfigProblem[]): string | undefined {
  const file = resolveConfigPath(path, baseDir);
  if (!files.has(file)) {
    // Bounded: a regular file of at most the input limit (never a FIFO, a device or a directory).
    try {
      files.set(file, readBoundedText(file, { what }));
    } catch (e) {
      if (!(e instanceof InputFileError)) throw e;
      if (e.code === 'not-found') files.set(file, undefined);
      else {
        problems.push({ path: field, rule: 'input-file', message: `${e.message.replace(file, fileTarget(file))}; received ${describeValue(path)}` });
        return undefined;
      }
    }
  }
  const content = files.get(file);
  if (content === undefined) problems.push({ path: field, rule: 'file-not-found', message: `${what} not found; received ${describeValue(path)} (resolved to ${fileTarget(file)})` });
  return content;
}

function readValuesFiles(files: readonly string[], path: string, baseDir: string, problems: ConfigProblem[]): ValuesDocument[] {
  const documents: ValuesDocument[] = [];
  files.forEach((f, i) => {
    const field = `${path}[${i}]`;
    const text = readConfigFile(f, field, 'values file', baseDir, problems);
    if (text === undefined) return;
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (e) {
      problems.push({ path: field, rule: 'values-file', message: `values file ${f} is not valid YAML (${(e as Error).message.split('\n')[0]}); received ${describeValue(f)}` });
      return;
    }
    if (doc === null || doc === undefined) return;
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      problems.push({ path: field, rule: 'values-file', message: `values file ${f} must hold a YAML map at the top; received ${describeValue(f)}` });
      return;
    }
    documents.push({ file: f, path: field, values: doc as HelmValues });
  });
  return documents;
}

/** Misspelled keys among zod's issues: see {@link keySuggestions}. */
export interface KeySuggestions {
  /** For each `unrecognized_keys` issue: the advice for each unknown key that has one (a rename, or a key of another variant). */
  readonly advice: ReadonlyMap<z.core.$ZodIssue, ReadonlyMap<string, KeyAdvice>>;
  /** For each `unrecognized_keys` issue: the allowed key each unknown key is close to (typos only). */
  readonly suggestions: ReadonlyMap<z.core.$ZodIssue, ReadonlyMap<string, string>>;
  /** Whether `issue` is the "is required" of a key that a misspelled key meant: leave it out (one typo, one finding). */
  readonly missing: (issue: z.core.$ZodIssue) => boolean;
}

/**
 * "Did you mean" for the unknown keys of `issues` (from `schema` parsing `input`): the allowed
 * key each is close to (in the variant of a discriminated union the input selects), or the other
 * variant that has it, and which "is required" issues those typos explain.
 */
export function keySuggestions(schema: z.ZodType, issues: readonly z.core.$ZodIssue[], input: unknown): KeySuggestions {
  // Keys meant by a misspelled one, by the path of the "is required" problem they replace.
  const meant = new Map<string, string>();
  const advice = new Map<z.core.$ZodIssue, Map<string, KeyAdvice>>();
  const suggestions = new Map<z.core.$ZodIssue, Map<string, string>>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const byKey = new Map<string, KeyAdvice>();
    const renames = new Map<string, string>();
    for (const key of issue.keys) {
      const a = adviseKey(schema, issue.path, key, input);
      if (a === undefined) continue;
      byKey.set(key, a);
      if (a.kind === 'rename') {
        renames.set(key, a.key);
        meant.set(formatPath([...issue.path, a.key]), key);
      }
    }
    advice.set(issue, byKey);
    suggestions.set(issue, renames);
  }
  const missing = (i: z.core.$ZodIssue): boolean => i.code === 'invalid_type' && valueAt(input, i.path) === undefined && meant.has(formatPath(i.path));
  return { advice, suggestions, missing };
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: 'a map of settings',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
};

/**
 * Turns zod's issues into problems: one per field (a wrong type hides the follow-up checks of
 * the same field), zod's generic wording replaced where ours is clearer. An unknown key close to
 * an allowed one is one problem with "did you mean"; when that key is a missing required one,
 * its "is required" problem is left out (one typo, one finding). A key of another variant of a
 * discriminated union (`keyFile` with `pki.mode: private-ca`) is named as such, and a misspelled
 * discriminator (`mdoe`) gets "did you mean" instead of "mode must be one of …".
 */
function schemaProblems(issues: readonly z.core.$ZodIssue[], input: unknown): ConfigProblem[] {
  const typeErrors = new Set(issues.filter((i) => i.code === 'invalid_type').map((i) => formatPath(i.path)));
  const { advice, missing } = keySuggestions(wireFederationConfigSchema, issues, input);
  return issues
    .filter((i) => i.code === 'invalid_type' || !typeErrors.has(formatPath(i.path)))
    .filter((i) => !missing(i))
    .flatMap((issue): ConfigProblem[] => {
      const path = formatPath(issue.path);
      const received = valueAt(input, issue.path);
      let message = issue.message;
      if (issue.code === 'unrecognized_keys') {
        const byKey = advice.get(issue) ?? new Map<string, KeyAdvice>();
        return issue.keys.map((k) => {
          const value = describeValue(valueAt(input, [...issue.path, k]));
          const a = byKey.get(k);
          const required = a?.kind === 'rename' && issues.some((i) => missing(i) && formatPath(i.path) === formatPath([...issue.path, a.key]));
          const container = valueAt(input, issue.path) as Record<string, unknown>;
          const fix =
            a === undefined
              ? 'check the spelling against the configuration reference (docs/reference/config.md)'
              : a.kind === 'other-variant'
                ? otherVariantFix(k, a.key, a.variant, valueAt(input, a.variant.path))
                : Object.prototype.hasOwnProperty.call(container, a.key)
                  ? `did you mean ${JSON.stringify(a.key)}? It is set as well: remove one of the two (check the spelling against docs/reference/config.md)`
                  : `did you mean ${JSON.stringify(a.key)}${required ? ' (required, and missing)' : ''}? Rename the key (check the spelling against docs/reference/config.md)`;
          return { path, rule: 'schema', message: `unknown setting ${JSON.stringify(k)}: ${fix}; received ${JSON.stringify(k)} = ${value}` };
        });
      }
      const misspelled = misspelledDiscriminator(issue, input);
      if (misspelled !== undefined) return [misspelled];
      if (issue.code === 'invalid_type' && message.startsWith('Invalid input')) {
        const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
        message = received === undefined ? `is required: ${expected}` : `must be ${expected}`;
      }
      return [{ path, rule: 'schema', message: `${message}; received ${describeValue(received)}` }];
    });
}

/** `a`, `a or b`, `a, b or c`. */
const either = (values: readonly unknown[]): string => {
  const all = values.map(String);
  return all.length <= 1 ? all.join('') : `${all.slice(0, -1).join(', ')} or ${all[all.length - 1]}`;
};

/** The fix for `key`, a setting (or a misspelling of `meant`) of a variant the input does not select. */
function otherVariantFix(key: string, meant: string, variant: OtherVariant, selected: unknown): string {
  const discriminator = formatPath(variant.path);
  const of = `a setting of ${discriminator} ${either(variant.values)}`;
  const what = key === meant ? `${JSON.stringify(meant)} is ${of}` : `did you mean ${JSON.stringify(meant)}? It is ${of}`;
  const here = selected === undefined ? `; ${discriminator} is not set, and its default has no ${JSON.stringify(meant)}` : `, not of ${discriminator} ${String(selected)}`;
  return `${what}${here}: remove it, or ${selected === undefined ? 'set' : 'change'} ${discriminator} (see docs/reference/config.md)`;
}

/**
 * A discriminated union without its discriminator (`pki` without `mode`) whose object has an
 * unknown key close to it (`mdoe`): one problem with "did you mean", at the object, instead of
 * "mode must be one of …".
 */
function misspelledDiscriminator(issue: z.core.$ZodIssue, input: unknown): ConfigProblem | undefined {
  const discriminator = (issue as { discriminator?: unknown }).discriminator;
  if (issue.code !== 'invalid_union' || typeof discriminator !== 'string' || issue.path[issue.path.length - 1] !== discriminator) return undefined;
  const at = issue.path.slice(0, -1);
  const container = valueAt(input, at);
  if (container === null || typeof container !== 'object' || Array.isArray(container) || discriminator in container) return undefined;
  const allowed = new Set(keysAt(wireFederationConfigSchema, at, input));
  const typo = Object.keys(container).find((k) => !allowed.has(k) && closestKey(k, [discriminator]) !== undefined);
  if (typo === undefined) return undefined;
  return {
    path: formatPath(at),
    rule: 'schema',
    message: `unknown setting ${JSON.stringify(typo)}: did you mean ${JSON.stringify(discriminator)} (required, and missing)? Rename the key (check the spelling against docs/reference/config.md); received ${JSON.stringify(typo)} = ${describeValue((container as Record<string, unknown>)[typo])}`,
  };
}

/** The value at `path` inside `input` (undefined when the path does not exist), for messages. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}
