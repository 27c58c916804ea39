/**
 * The rules across fields of a config (after the schema): what one field allows depends on
 * another (ingress chart and its settings, chart versions and PKI mode, DNS zones and domains,
 * team restrictions and the remotes mode). Each pushes problems with the field, the value and
 * the fix.
 */
import { ConfigProblem, describeValue } from './errors';
import { parseIntervalMs } from '../core/durations';
import type { SchemaOutput } from './model';
import { relativeDnsName } from '../core/names';
import {
  CHART_FEATURES,
  FIXED_FEDERATOR_CERTIFICATE,
  LISTENER_SET_MIN_ENVOY_GATEWAY,
  WIRE_INGRESS_FEDERATOR_SECTION,
  WireChart,
  compareVersions,
  featureMinimum,
  hasFeature,
  knownBadRelease,
  wireIngressLayout,
} from '../core/chart-facts';

/**
 * The allowed teams of peer `i`: `allowedTeams`, or the deprecated `restrictToTeams` with a
 * warning (same brig setting; only the project's docs had the meaning wrong). Both is an error.
 */
export function allowedTeamsOf(
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
export function checkTeams(teams: readonly { name: string; id: string }[], problems: ConfigProblem[]): void {
  const ids = new Map<string, number>();
  const names = new Map<string, number>();
  teams.forEach((team, i) => {
    const id = team.id.toLowerCase();
    if (ids.has(id)) {
      problems.push({
        path: `teams[${i}].id`,
        rule: 'duplicate-team',
        message: `team id ${describeValue(team.id)} is declared twice (also teams[${ids.get(id)}]): declare each team once`,
      });
    } else ids.set(id, i);
    if (names.has(team.name)) {
      problems.push({
        path: `teams[${i}].name`,
        rule: 'duplicate-team',
        message: `team name ${describeValue(team.name)} is used twice (also teams[${names.get(team.name)}]): give each team its own name`,
      });
    } else names.set(team.name, i);
  });
}

/**
 * Providers that address records relative to a zone given by its DNS name (Azure, RFC 2136) need
 * the backend domain inside the backend zone and the federator domain inside the infrastructure
 * zone.
 */
export function checkDnsZones(data: SchemaOutput, problems: ConfigProblem[]): void {
  const dns = data.dns;
  if (dns.provider !== 'azure' && dns.provider !== 'rfc2136') return;
  const zoneOf = (z: string | { name: string }): string => (typeof z === 'string' ? z : z.name);
  const backendField = dns.provider === 'azure' ? 'dns.backendZone.name' : 'dns.backendZone';
  const backendZone = zoneOf(dns.backendZone);
  if (relativeDnsName(data.backendDomain, backendZone) === undefined) {
    problems.push({
      path: backendField,
      rule: 'schema',
      message: `is ${JSON.stringify(backendZone)}, which does not contain the backend domain ${data.backendDomain} (the SRV record goes there): give the zone the backend domain is in; received ${describeValue(backendZone)}`,
    });
  }
  const infra = dns.infrastructureZone === undefined ? undefined : zoneOf(dns.infrastructureZone);
  if (relativeDnsName(data.federatorDomain, infra ?? backendZone) === undefined) {
    const field = infra === undefined ? 'dns.infrastructureZone' : dns.provider === 'azure' ? 'dns.infrastructureZone.name' : 'dns.infrastructureZone';
    problems.push({
      path: field,
      rule: 'schema',
      message:
        infra === undefined
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
export function checkIngress(data: SchemaOutput, problems: ConfigProblem[]): void {
  const { chart, gateway, migration } = data.ingress;
  if (chart === 'nginx-ingress-services') {
    if (data.charts.nginxIngressServices === undefined) {
      problems.push({
        path: 'charts.nginxIngressServices',
        message: `is required: a map of settings such as {version: '5.32.0'} with ingress.chart nginx-ingress-services (the default); or set ingress.chart to wire-ingress with charts.wireIngress; received ${describeValue(undefined)}`,
      });
    }
    if (gateway !== undefined)
      problems.push({ path: 'ingress.gateway', message: 'is used only with ingress.chart wire-ingress: remove it, or set ingress.chart to wire-ingress' });
    if (migration !== undefined)
      problems.push({
        path: 'ingress.migration',
        message: 'needs ingress.chart wire-ingress (the chart migrated to); see docs/ingress-charts.md, "Migrating to wire-ingress"',
      });
    return;
  }
  if (data.charts.wireIngress === undefined) {
    problems.push({
      path: 'charts.wireIngress',
      message: `is required: a map of settings such as {version: '${WIRE_INGRESS_MIN_CHART}'} with ingress.chart wire-ingress; received ${describeValue(undefined)}`,
    });
  } else if (!hasFeature('wireIngress', data.charts.wireIngress.version)) {
    problems.push({
      path: 'charts.wireIngress.version',
      message: `is ${data.charts.wireIngress.version}, but wire-ingress exists from ${WIRE_INGRESS_MIN_CHART} on: pin ${WIRE_INGRESS_MIN_CHART} or later`,
    });
  }
  if (
    gateway !== undefined &&
    data.charts.wireIngress !== undefined &&
    gateway.federatorSectionName !== WIRE_INGRESS_FEDERATOR_SECTION &&
    wireIngressLayout(data.charts.wireIngress.version) !== 'listener-set'
  ) {
    problems.push({
      path: 'ingress.gateway.federatorSectionName',
      rule: 'chart-version',
      message: `is ${JSON.stringify(gateway.federatorSectionName)}, but wire-ingress ${data.charts.wireIngress.version} puts the federator listener on the Gateway under the fixed name ${WIRE_INGRESS_FEDERATOR_SECTION} (a configurable section name exists from ${featureMinimum('wireIngressListenerSet')}, the ListenerSet layout): leave it out, or pin ${featureMinimum('wireIngressListenerSet')} or later`,
    });
  }
  const egVersion = gateway?.installEnvoyGatewayVersion;
  if (
    egVersion !== undefined &&
    data.charts.wireIngress !== undefined &&
    wireIngressLayout(data.charts.wireIngress.version) === 'listener-set' &&
    compareVersions(egVersion.slice(1), LISTENER_SET_MIN_ENVOY_GATEWAY.slice(1)) < 0
  ) {
    problems.push({
      path: 'ingress.gateway.installEnvoyGatewayVersion',
      rule: 'chart-version',
      message: `is ${egVersion}, but wire-ingress ${data.charts.wireIngress.version} puts the federator listener on a ListenerSet, whose client-certificate policy needs Envoy Gateway ${LISTENER_SET_MIN_ENVOY_GATEWAY} or later (Gateway API 1.6.1 CRDs, Kubernetes 1.33+): install ${LISTENER_SET_MIN_ENVOY_GATEWAY} or later, or pin wire-ingress before ${featureMinimum('wireIngressListenerSet')}`,
    });
  }
  if (gateway === undefined) {
    problems.push({
      path: 'ingress.gateway',
      message: `is required: a map of settings with ingress.chart wire-ingress, at least {className: '<the GatewayClass of Envoy Gateway>'} (wire-ingress gateway.className); received ${describeValue(undefined)}`,
    });
  }
  if (migration?.phase === 'side-by-side' && data.charts.nginxIngressServices === undefined) {
    problems.push({
      path: 'charts.nginxIngressServices',
      message: `is required: a map of settings while ingress.migration.phase is side-by-side (the old release keeps running with its settings until the A/AAAA records have moved); received ${describeValue(undefined)}`,
    });
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
export function checkKnownBadReleases(data: SchemaOutput, problems: ConfigProblem[]): void {
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
export function checkMonitoringTimeout(data: SchemaOutput, warnings: ConfigProblem[]): void {
  const m = data.monitoring;
  const intervalMs = parseIntervalMs(m.interval);
  if (!m.enabled || intervalMs === undefined || 3 * m.timeoutMs < intervalMs) return;
  warnings.push({
    path: 'monitoring.timeoutMs',
    rule: 'monitoring-timeout',
    message: `is ${m.timeoutMs} ms, and three of them (${3 * m.timeoutMs} ms: a peer's SRV lookup, address lookup and TLS handshake one after the other) do not fit in monitoring.interval ${m.interval}: a slow peer's checks are reported as errors ("no verdict within the round deadline"); lower timeoutMs below ${Math.floor(intervalMs / 3)} or raise the interval; received ${describeValue(m.timeoutMs)}`,
  });
}

/**
 * The chart versions pki.mode cert-manager needs: nginx-ingress-services with
 * `federator.tls.issuer`, and `duration`/`renewBefore` only where the chart reads them.
 */
export function checkPkiChartVersions(data: SchemaOutput, problems: ConfigProblem[]): void {
  const pki = data.pki;
  if (pki.mode !== 'cert-manager') return;
  const nginx = usesNginxIngressServices(data) ? data.charts.nginxIngressServices : undefined;
  if (nginx !== undefined && !hasFeature('federatorIssuer', nginx.version) && knownBadRelease('nginx-ingress-services', nginx.version) === undefined) {
    problems.push({
      path: 'charts.nginxIngressServices.version',
      rule: 'chart-version',
      message: `is ${nginx.version}, but pki.mode cert-manager needs nginx-ingress-services >= ${FEDERATOR_ISSUER_MIN_CHART} (federator.tls.issuer, a separate issuer for the federator certificate: ${CHART_FEATURES.federatorIssuer.meaning}). Pin ${FEDERATOR_ISSUER_MIN_CHART} or later, or use pki.mode private-ca`,
    });
  }
  if (nginx !== undefined && hasFeature('federatorIssuer', nginx.version) && !hasFeature('federatorTlsSettings', nginx.version)) {
    for (const field of ['duration', 'renewBefore'] as const) {
      if (pki[field] === FIXED_DURATIONS[field]) continue;
      problems.push({
        path: `pki.${field}`,
        rule: 'chart-version',
        message: `is ${pki[field]}, but nginx-ingress-services ${nginx.version} ignores federator.tls.${field} (read from ${FEDERATOR_TLS_SETTINGS_MIN_CHART} on; before, the federator certificate is fixed at ${FIXED_DURATIONS.duration} / ${FIXED_DURATIONS.renewBefore}). Pin charts.nginxIngressServices.version ${FEDERATOR_TLS_SETTINGS_MIN_CHART} or later, or leave pki.${field} out`,
      });
    }
  }
}

/** Team restrictions need brig's internal API: its config list cannot restrict teams. */
export function checkTeamRestrictions(data: SchemaOutput, problems: ConfigProblem[]): void {
  if (data.remotes.mode !== 'config') return;
  data.peers.forEach((p, i) => {
    const key = p.allowedTeams !== undefined ? 'allowedTeams' : p.restrictToTeams !== undefined ? 'restrictToTeams' : undefined;
    if (key !== undefined) {
      problems.push({
        path: `peers[${i}].${key}`,
        rule: 'restrict-needs-api',
        message:
          'needs remotes.mode api: brig\'s setFederationDomainConfigs list cannot restrict teams; set remotes: {mode: api} (docs/remote-backends.md, "Team restrictions")',
      });
    }
  });
}
