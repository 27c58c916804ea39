/**
 * What each version of Wire's Helm charts reads, requires or ignores, which releases are known
 * to be broken, and from which version each feature exists: ONE table. Every config rule, values
 * builder, adopt finding and render check that depends on a chart version asks this module (and
 * `docs/reference/chart-versions.md` is generated from it). Pure data and pure functions; imports
 * nothing of this project but the ground floor's version comparison.
 *
 * Sources (in the project's words, docs/reference/chart-versions.md lists them): Wire's upgrade
 * notes per release (wire-docs, "config-references/wire-server-5.xx"), the wire-server charts
 * (`charts/*`) and the wire-ingress chart's README and templates.
 */

/** The Wire charts whose versions the facts are about. */
export type WireChart = 'wire-server' | 'nginx-ingress-services' | 'wire-ingress';

/** The charts that can terminate the federator's mutual TLS (`ingress.chart`); lib/ingress/registry.ts implements each. */
export const INGRESS_CHARTS = ['nginx-ingress-services', 'wire-ingress'] as const satisfies readonly WireChart[];

import { compareVersions } from './versions';

/** Compares two `x.y.z` versions (pre-release and build suffixes ignored): lib/core/versions.ts. */
export { compareVersions };

/** Versions from `from` (inclusive) up to `before` (exclusive); an open end when left out. */
export interface VersionRange {
  readonly from?: string;
  readonly before?: string;
}

/** Whether `version` lies in `range`. */
export function inRange(version: string, range: VersionRange): boolean {
  return (range.from === undefined || compareVersions(version, range.from) >= 0) && (range.before === undefined || compareVersions(version, range.before) < 0);
}

/** A range in words: `5.24.0 – 5.29.x`, `5.32.0 and later`. */
export function describeRange(range: VersionRange): string {
  const before = range.before === undefined ? undefined : previousSeries(range.before);
  if (range.from !== undefined && before !== undefined) return range.from === `${before.replace(/\.x$/, '')}.0` ? `${before}` : `${range.from} – ${before}`;
  if (range.from !== undefined) return `${range.from} and later`;
  if (before !== undefined) return `up to ${before}`;
  return 'every version';
}

/** `5.30.0` → `5.29.x` (the series just below a `x.y.0`); other versions: `before x.y.z`. */
function previousSeries(version: string): string {
  const [major, minor, patch] = version.split(/[-+]/)[0].split('.').map(Number);
  if (patch === 0 && minor > 0) return `${major}.${minor - 1}.x`;
  return `before ${version}`;
}

// ---------------------------------------------------------------------------------------------
// Releases to skip

/** A release series that must not be deployed (for everybody, or for federated backends). */
export interface KnownBadRelease {
  /** The series, e.g. `5.26.x`. */
  readonly series: string;
  /** The versions it covers. */
  readonly range: VersionRange;
  /** The charts released with it (Wire releases its charts together under one version). */
  readonly charts: readonly WireChart[];
  /** Only a problem for a backend that federates. */
  readonly federatedOnly: boolean;
  /** The version to deploy instead. */
  readonly useInstead: string;
  /** Why, in Wire's words where possible. */
  readonly why: string;
  /** Where the fact comes from. */
  readonly source: string;
}

const ALL_RELEASED: readonly WireChart[] = ['wire-server', 'nginx-ingress-services', 'wire-ingress'];

/** The releases to skip. */
export const KNOWN_BAD_RELEASES: readonly KnownBadRelease[] = [
  {
    series: '5.26.x',
    range: { from: '5.26.0', before: '5.27.0' },
    charts: ALL_RELEASED,
    federatedOnly: true,
    useInstead: '5.27.0',
    why: 'Wire: "Federated environments: skip this version" (unresolved issues in federated mode; go straight from 5.25 to 5.27)',
    source: 'Wire upgrade notes, wire-server 5.26.0 and 5.27.0',
  },
  {
    series: '5.29.x',
    range: { from: '5.29.0', before: '5.30.0' },
    charts: ALL_RELEASED,
    federatedOnly: false,
    useInstead: '5.30.0',
    why: 'Wire: "This release is broken. Skip it. Upgrade from 5.28 directly to 5.30"',
    source: 'Wire upgrade notes, wire-server 5.29.0',
  },
  {
    series: '5.31.x',
    range: { from: '5.31.0', before: '5.32.0' },
    charts: ALL_RELEASED,
    federatedOnly: false,
    useInstead: '5.32.0',
    why: 'Wire: "5.31 is broken and gets skipped" (withdrawn the day it was published)',
    source: 'Wire upgrade notes, wire-server 5.32.0',
  },
];

/**
 * The known-bad release `version` of `chart` belongs to, for a backend that federates (or not).
 * Pre-release labels count as their release (`5.26.0-rc.1` is 5.26.x).
 */
export function knownBadRelease(chart: WireChart, version: string, federated = true): KnownBadRelease | undefined {
  return KNOWN_BAD_RELEASES.find((r) => r.charts.includes(chart) && inRange(version, r.range) && (federated || !r.federatedOnly));
}

// ---------------------------------------------------------------------------------------------
// Features by version

/** A chart capability that exists in some versions only. */
export interface ChartFeature {
  readonly chart: WireChart;
  /** The versions that have it. */
  readonly range: VersionRange;
  /** The value paths (or objects) it is about. */
  readonly values: readonly string[];
  /** The versions whose chart reads `values`, when wider than `range` (added in a release to skip). @default - `range` */
  readonly readRange?: VersionRange;
  /** What it means for federation. */
  readonly meaning: string;
  /** Where the fact comes from. */
  readonly source: string;
}

/** The version-dependent chart capabilities the project relies on. */
export const CHART_FEATURES = {
  /** wire-ingress (Gateway API, Envoy Gateway), the successor of nginx-ingress-services. */
  wireIngress: {
    chart: 'wire-ingress',
    range: { from: '5.32.0' },
    values: ['(the chart)'],
    meaning: "the Gateway-API ingress chart exists (released with wire-server 5.32.0); the federator client CA comes from wire-server's federator-ca ConfigMap",
    source: 'wire-server CHANGELOG 5.32.0; charts/wire-ingress',
  },
  /**
   * `federator.tls.issuer.{name,kind}`: a separate issuer for the federator certificate. Added in
   * 5.26.0, but 5.26.x must be skipped by federated backends: 5.27.0 is the first release such a
   * backend may run with it.
   */
  federatorIssuer: {
    chart: 'nginx-ingress-services',
    range: { from: '5.27.0' },
    values: ['federator.tls.issuer.name', 'federator.tls.issuer.kind'],
    readRange: { from: '5.26.0' },
    meaning:
      'a separate (private CA) issuer for the federator certificate, needed by pki.mode cert-manager; added in 5.26.0, which federated backends must skip',
    source: 'wire-server charts/nginx-ingress-services (5.26.0); Wire upgrade notes 5.26.0',
  },
  /** `federator.tls.{duration,renewBefore}` and `issuer.group` (wire-server #5025); fixed 2160h/360h before. */
  federatorTlsSettings: {
    chart: 'nginx-ingress-services',
    range: { from: '5.28.0' },
    values: ['federator.tls.duration', 'federator.tls.renewBefore', 'federator.tls.issuer.group'],
    meaning: 'the federator certificate lifetime and issuer group are read; before, the certificate is fixed at 2160h / 360h',
    source: 'wire-server PR #5025 (chart 5.28.0)',
  },
  /**
   * `background-worker.config.federationDomain`: required from 5.24.0; from 5.30.0
   * background-worker reads galley's configuration (its federation domain) and the key is a
   * duplicate to drop.
   */
  backgroundWorkerDomain: {
    chart: 'wire-server',
    range: { from: '5.24.0', before: '5.30.0' },
    values: ['background-worker.config.federationDomain'],
    meaning: "background-worker has its own copy of the backend domain; from 5.30.0 it takes galley's (galley.config.settings.federationDomain)",
    source: 'wire-server charts/wire-server/templates/background-worker/configmap.yaml; Wire upgrade notes 5.30.0',
  },
  /**
   * wire-ingress's ListenerSet layout: every listener, the federator's included, is a section of a
   * `ListenerSet` (gateway.networking.k8s.io/v1; Envoy Gateway >= 1.9, Gateway API 1.6.1,
   * Kubernetes >= 1.33); its name is `gateway.listeners.federator.sectionName`. Before, the
   * federator listener is on the `Gateway`.
   */
  wireIngressListenerSet: {
    chart: 'wire-ingress',
    range: { from: '5.35.0' },
    values: ['gateway.listeners.federator.sectionName'],
    meaning:
      'the federator listener is a ListenerSet section (name configurable), its client-certificate validation a ListenerSet-targeted ClientTrafficPolicy; needs Envoy Gateway >= 1.9 (released August 2026, after 5.34.0)',
    source: 'wire-server charts/wire-ingress README and templates (listenerset.yaml, clienttrafficpolicy-federator.yaml)',
  },
} as const satisfies Record<string, ChartFeature>;

/** A feature's name. */
export type ChartFeatureName = keyof typeof CHART_FEATURES;

/** Whether `version` of the feature's chart has the feature. */
export function hasFeature(feature: ChartFeatureName, version: string): boolean {
  return inRange(version, CHART_FEATURES[feature].range);
}

/**
 * The value paths of the table that `chart` `version` does not read (a feature it lacks, or one it
 * no longer has): e.g. background-worker's own backend domain from 5.30.0.
 */
export function valuesNotReadIn(chart: WireChart, version: string): string[] {
  return Object.values(CHART_FEATURES as Record<string, ChartFeature>)
    .filter((f) => f.chart === chart && !inRange(version, f.readRange ?? f.range))
    .flatMap((f) => f.values.filter((v) => !v.startsWith('(')));
}

/** The first version with the feature. */
export function featureMinimum(feature: ChartFeatureName): string {
  return (CHART_FEATURES[feature].range as VersionRange).from ?? '0.0.0';
}

// ---------------------------------------------------------------------------------------------
// Constants of the charts the project relies on

/** What nginx-ingress-services fixes the federator certificate at before `federatorTlsSettings`. */
export const FIXED_FEDERATOR_CERTIFICATE = { duration: '2160h', renewBefore: '360h' } as const;

/** The two layouts of wire-ingress's federator listener. */
export type WireIngressLayout = 'gateway-listener' | 'listener-set';

/** The layout of wire-ingress `version`. */
export function wireIngressLayout(version: string): WireIngressLayout {
  return hasFeature('wireIngressListenerSet', version) ? 'listener-set' : 'gateway-listener';
}

/** The Envoy Gateway the ListenerSet layout needs (a ClientTrafficPolicy on a ListenerSet section). */
export const LISTENER_SET_MIN_ENVOY_GATEWAY = 'v1.9.0';

/** wire-ingress's default federator section name (`gateway.listeners.federator.sectionName`). */
export const WIRE_INGRESS_FEDERATOR_SECTION = 'federator';

/**
 * The TLS profile value of wire-ingress's BSI TR-02102-2 mode (`FIPS_202205_tls_profile`): client
 * certificate chains must be ECDSA (P-256/P-384) under it.
 */
export const WIRE_INGRESS_BSI_PROFILE_VALUE = 'FIPS_202205_tls_profile';

// ---------------------------------------------------------------------------------------------
// The backend domain in the wire-server chart

/** Where a wire-server service reads the backend domain: its value path, and its ConfigMap key and path. */
export interface BackendDomainPlace {
  readonly service: 'brig' | 'galley' | 'cargohold' | 'background-worker';
  /** The values path. */
  readonly value: string;
  /** The ConfigMap data key the service's configuration is in (ConfigMap named after the service). */
  readonly key: string;
  /** The path inside that configuration. */
  readonly path: string;
  /** Only in the versions that have this feature. @default - every version */
  readonly feature?: ChartFeatureName;
}

/** Every place any supported wire-server version reads the backend domain from. */
export const BACKEND_DOMAIN_PLACES: readonly BackendDomainPlace[] = [
  { service: 'brig', value: 'brig.config.optSettings.setFederationDomain', key: 'brig.yaml', path: 'optSettings.setFederationDomain' },
  { service: 'galley', value: 'galley.config.settings.federationDomain', key: 'galley.yaml', path: 'settings.federationDomain' },
  { service: 'cargohold', value: 'cargohold.config.settings.federationDomain', key: 'cargohold.yaml', path: 'settings.federationDomain' },
  {
    service: 'background-worker',
    value: 'background-worker.config.federationDomain',
    key: 'background-worker.yaml',
    path: 'federationDomain',
    feature: 'backgroundWorkerDomain',
  },
];

/**
 * The places wire-server `version` reads the backend domain from (four for 5.24.0 – 5.29.x,
 * three from 5.30.0). An unknown version: every place (adopt reads what is there).
 */
export function backendDomainPlaces(version: string | undefined): BackendDomainPlace[] {
  return BACKEND_DOMAIN_PLACES.filter((p) => p.feature === undefined || version === undefined || hasFeature(p.feature, version));
}

// ---------------------------------------------------------------------------------------------
// Values a chart ignores in some settings

/** Values a chart ignores while another value has a given setting. */
export interface IgnoredValues {
  readonly chart: WireChart;
  /** The ignored value paths. */
  readonly paths: readonly string[];
  /** The setting that makes the chart ignore them: `path` equal to `equals`. */
  readonly when: { readonly path: string; readonly equals: unknown };
  readonly meaning: string;
  readonly source: string;
}

/** Values ignored by setting, in every version the project supports. */
export const IGNORED_VALUES: readonly IgnoredValues[] = [
  {
    chart: 'nginx-ingress-services',
    paths: ['secrets.tlsWildcardCert', 'secrets.tlsWildcardKey'],
    when: { path: 'tls.useCertManager', equals: true },
    meaning:
      'with cert-manager the chart renders no Secret from the wildcard certificate (templates secret.yaml, secret_federator.yaml): a key passed there travels to Helm for nothing',
    source: 'wire-server charts/nginx-ingress-services/templates/secret.yaml, secret_federator.yaml',
  },
  {
    chart: 'wire-ingress',
    paths: ['secrets.tlsWildcardCert', 'secrets.tlsWildcardKey'],
    when: { path: 'tls.useCertManager', equals: true },
    meaning: 'with cert-manager the chart renders no Secret from the wildcard certificate (templates/secret.yaml)',
    source: 'wire-server charts/wire-ingress/templates/secret.yaml',
  },
];

/** The paths of `chart` that `values` set but the chart ignores in their setting (`get` reads a dotted path). */
export function ignoredValuePaths(chart: WireChart, get: (path: string) => unknown): Array<{ path: string; rule: IgnoredValues }> {
  return IGNORED_VALUES.filter((r) => r.chart === chart && get(r.when.path) === r.when.equals).flatMap((rule) =>
    rule.paths.filter((p) => get(p) !== undefined).map((path) => ({ path, rule })),
  );
}

// ---------------------------------------------------------------------------------------------
// Where the charts stand

/** The stable release the examples pin, and the newest known release. */
export const WIRE_RELEASES = {
  /** Wire's stable release since July 2026 (wire-builds pins it). */
  stable: '5.34.0',
  /** The newest release known to this table (September 2026). */
  newest: '5.36.0',
} as const;

/** Facts about a chart's publishing, by version. */
export const CHART_PUBLISHING = {
  /** Wire's classic Helm repository. */
  classicRepository: 'https://s3-eu-west-1.amazonaws.com/public.wire.com/charts',
  /** Wire's OCI registry (charts also published there since July 2026); `<channel>` e.g. stable. */
  ociRepository: 'oci://quay.io/wire/charts/<channel>',
} as const;

/** Whether a chart repository is an OCI registry (`oci://…`): charts are references, not `--repo`. */
export function isOciRepository(repository: string | undefined): boolean {
  return typeof repository === 'string' && repository.toLowerCase().startsWith('oci://');
}

/** The chart reference for an OCI repository: `oci://host/path/<chart>`. */
export function ociChartReference(repository: string, chart: string): string {
  return `${repository.replace(/\/+$/, '')}/${chart}`;
}
