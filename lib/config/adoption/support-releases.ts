/**
 * The releases the stack installs besides Wire's, which a running cluster may already have:
 * cert-manager (`pki.installCertManagerVersion`), the CA ClusterIssuer's release (pki.mode
 * cert-manager, named like the issuer), Envoy Gateway (`ingress.gateway.installEnvoyGatewayVersion`)
 * and the GatewayClass's release (`ingress.gateway.createGatewayClass`). What the config would
 * install, where, and the one set of answers about them that preflight, adopt and the
 * config-versus-record rules give. Pure: the caller lists the releases (`helm list`).
 */
import type { ConfigProblem } from '../errors';
import type { CommandHint } from '../command-hint';
import type { AdoptionRecord, SupportReleaseKey, SupportReleaseRecord } from './record';
import { SUPPORT_RELEASE_KEYS } from './record';
import { compareVersions as compare } from '../../core/versions';

/** Release name of cert-manager when the stack installs it. */
export const CERT_MANAGER_RELEASE = 'cert-manager';
/** Release name of Envoy Gateway when the stack installs it. */
export const ENVOY_GATEWAY_RELEASE = 'envoy-gateway';
/** Release name of the GatewayClass release for a class name. */
export function gatewayClassReleaseName(className: string): string {
  return `gateway-class-${className}`.slice(0, 53).replace(/-+$/, '');
}

/** What the answers read of the config (its schema output, or the parsed config). */
export interface SupportReleasesConfig {
  readonly ingress: {
    readonly chart: string;
    readonly gateway?: {
      readonly className: string;
      readonly installEnvoyGatewayVersion?: string;
      readonly envoyGatewayNamespace?: string;
      readonly createGatewayClass?: boolean;
    };
  };
  readonly pki: { readonly mode: string };
}

/** A release the config installs besides Wire's. */
export interface WantedSupportRelease {
  readonly key: SupportReleaseKey;
  /** What it is, for messages. */
  readonly what: string;
  readonly namespace: string;
  readonly name: string;
  /** The chart it installs. */
  readonly chart: string;
  /** The version the config installs. @default - a local chart (no version to compare) */
  readonly version?: string;
  /**
   * A third-party controller (cert-manager, Envoy Gateway): one per cluster, found by chart in
   * every namespace; a second install clashes with the running one (CRDs, webhooks).
   */
  readonly onePerCluster: boolean;
  /** The config field that makes the stack install it. */
  readonly field: string;
  /** The config field of its namespace. */
  readonly namespaceField: string;
  /** The config field of its release name. @default - the name is fixed: {@link field} */
  readonly nameField?: string;
  /** How to leave a running one alone instead, in words. */
  readonly leaveAlone: (namespace: string) => string;
}

/** The releases besides Wire's that the config installs. */
export function wantedSupportReleases(config: SupportReleasesConfig): WantedSupportRelease[] {
  const out: WantedSupportRelease[] = [];
  const pki = config.pki as { mode: string; issuerName?: string; certManagerNamespace?: string; installCertManagerVersion?: string };
  if (pki.mode === 'cert-manager') {
    const namespace = pki.certManagerNamespace ?? 'cert-manager';
    if (pki.installCertManagerVersion !== undefined) {
      out.push({
        key: 'certManager',
        what: 'cert-manager',
        namespace,
        name: CERT_MANAGER_RELEASE,
        chart: 'cert-manager',
        version: pki.installCertManagerVersion,
        onePerCluster: true,
        field: 'pki.installCertManagerVersion',
        namespaceField: 'pki.certManagerNamespace',
        leaveAlone: (ns) =>
          `remove pki.installCertManagerVersion (cert-manager is installed already)${ns !== namespace ? ` and set pki.certManagerNamespace: ${ns} (where a ClusterIssuer reads its CA secret)` : ''}`,
      });
    }
    const issuer = pki.issuerName ?? 'wire-federation-ca';
    out.push({
      key: 'issuer',
      what: `the CA ClusterIssuer ${issuer}`,
      namespace,
      name: issuer,
      chart: 'wire-federation-ca-issuer',
      onePerCluster: false,
      field: 'pki.mode',
      namespaceField: 'pki.certManagerNamespace',
      nameField: 'pki.issuerName',
      leaveAlone: () => 'choose another pki.issuerName (a new ClusterIssuer beside the running one)',
    });
  }
  const gateway = config.ingress.chart === 'wire-ingress' ? config.ingress.gateway : undefined;
  if (gateway !== undefined) {
    const namespace = gateway.envoyGatewayNamespace ?? 'envoy-gateway-system';
    if (gateway.installEnvoyGatewayVersion !== undefined) {
      out.push({
        key: 'envoyGateway',
        what: 'Envoy Gateway',
        namespace,
        name: ENVOY_GATEWAY_RELEASE,
        chart: 'gateway-helm',
        version: gateway.installEnvoyGatewayVersion,
        onePerCluster: true,
        field: 'ingress.gateway.installEnvoyGatewayVersion',
        namespaceField: 'ingress.gateway.envoyGatewayNamespace',
        leaveAlone: (ns) =>
          `remove ingress.gateway.installEnvoyGatewayVersion (Envoy Gateway is installed already; its EnvoyPatchPolicy API must be enabled)${ns !== namespace ? ` and set ingress.gateway.envoyGatewayNamespace: ${ns}` : ''}`,
      });
    }
    if (gateway.createGatewayClass === true) {
      out.push({
        key: 'gatewayClass',
        what: `the GatewayClass ${gateway.className}`,
        namespace,
        name: gatewayClassReleaseName(gateway.className),
        chart: 'wire-federation-gateway-class',
        onePerCluster: false,
        field: 'ingress.gateway.createGatewayClass',
        namespaceField: 'ingress.gateway.envoyGatewayNamespace',
        nameField: 'ingress.gateway.className',
        leaveAlone: () => 'set ingress.gateway.createGatewayClass: false (the GatewayClass exists)',
      });
    }
  }
  return out;
}

/** A release that runs, as `helm list` shows it (any status; preflight and adopt list them). */
export interface ListedRelease {
  readonly name: string;
  readonly namespace: string;
  /** The chart's name (the list's `<chart>-<version>` without the version). */
  readonly chart: string;
  readonly chartVersion?: string;
  readonly revision?: number;
  /** deployed, failed, pending-install, … */
  readonly status: string;
}

// The same wording as describeRelease (lib/preflight/helm-releases.ts), which this pure module,
// read by the config parser, does not import (that module runs helm).
const describe = (r: ListedRelease): string =>
  `${r.namespace}/${r.name} (chart ${r.chart}${r.chartVersion ? ` ${r.chartVersion}` : ''}${r.revision !== undefined ? `, revision ${r.revision}` : ''}, ${r.status})`;

/** What the cluster runs of one wanted release: itself (same namespace and name), or the same controller elsewhere. */
export interface SupportReleaseMatch {
  readonly wanted: WantedSupportRelease;
  /** The release the stack would create, running already. */
  readonly same?: ListedRelease;
  /** A one-per-cluster controller of the same chart under another namespace or name. */
  readonly elsewhere: readonly ListedRelease[];
}

/** The wanted releases against the cluster's releases. */
export function matchSupportReleases(config: SupportReleasesConfig, releases: readonly ListedRelease[]): SupportReleaseMatch[] {
  return wantedSupportReleases(config).map((wanted) => {
    const same = releases.find((r) => r.namespace === wanted.namespace && r.name === wanted.name);
    const elsewhere = same !== undefined || !wanted.onePerCluster ? [] : releases.filter((r) => r.chart === wanted.chart);
    return { wanted, same, elsewhere };
  });
}

/** The message for a controller that runs under another namespace or name: the config would install a second one. */
export function installedElsewhereMessage(match: SupportReleaseMatch): string {
  const w = match.wanted;
  const first = match.elsewhere[0];
  return (
    `is ${w.version ?? 'set'}, but ${w.what} already runs as release ${match.elsewhere.map(describe).join(', ')}: the first deploy would install a second ${w.what} as ${w.namespace}/${w.name}, ` +
    `which clashes with the running one (its CRDs and webhooks are cluster-wide). ${capitalize(w.leaveAlone(first.namespace))}; received ${JSON.stringify(w.version ?? true)}`
  );
}

/** The record entry of a running release the stack would create. */
export function supportRecordOf(same: ListedRelease): SupportReleaseRecord {
  return { import: `${same.namespace}/${same.name}`, chartVersion: same.chartVersion, revision: same.revision };
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The config against the record's `supportReleases`: a recorded release the config no longer
 * installs, or installs under another namespace or name, or at an older version, is an error
 * (the same rule ids as Wire's releases: adoption-release, adoption-downgrade).
 */
export function supportRecordProblems(
  config: SupportReleasesConfig,
  record: AdoptionRecord,
  file: string,
  command: CommandHint,
  rules: { readonly release: string; readonly downgrade: string },
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const adopt = `\`${command('adopt')}\``;
  const wanted = wantedSupportReleases(config);
  for (const key of SUPPORT_RELEASE_KEYS) {
    const recorded = record.supportReleases[key];
    if (recorded === undefined) continue;
    const w = wanted.find((x) => x.key === key);
    if (w === undefined) {
      problems.push({
        path: 'adoptionFile',
        rule: rules.release,
        message: `${file} imports the running ${key} release ${recorded.import} (supportReleases.${key}), but this config no longer installs it: the plan cannot import it. If the config is right, remove supportReleases.${key} from ${file} (the running release stays as it is), or run ${adopt} again; received ${JSON.stringify(recorded.import)}`,
      });
      continue;
    }
    const id = `${w.namespace}/${w.name}`;
    if (recorded.import !== id) {
      const [namespace, name] = recorded.import.split('/');
      const path = namespace !== w.namespace ? w.namespaceField : (w.nameField ?? w.field);
      const fix =
        namespace !== w.namespace
          ? `Set ${w.namespaceField}: ${namespace}`
          : w.nameField !== undefined
            ? `Set ${w.nameField} to match ${name}`
            : `The stack names its release ${w.name}: ${w.leaveAlone(namespace)}, and remove supportReleases.${key} from ${file}`;
      problems.push({
        path,
        rule: rules.release,
        message: `makes the stack install ${w.what} as release ${id}, but the running one the adoption record (${file}) imports is ${recorded.import}: the plan would import it and then replace it (a release's name and namespace cannot change in place). ${fix}; or, if it really moved, run ${adopt} again; received ${JSON.stringify(path === w.namespaceField ? w.namespace : path === w.field ? (w.version ?? true) : w.name)}`,
      });
      continue;
    }
    if (w.version !== undefined && recorded.chartVersion !== undefined && compare(w.version, recorded.chartVersion) < 0) {
      problems.push({
        path: w.field,
        rule: rules.downgrade,
        message: `is ${w.version}, but ${w.what} ${recorded.chartVersion} runs (adoption record ${file}${recorded.revision !== undefined ? `, revision ${recorded.revision}` : ''}): the first deploy would DOWNGRADE it. Pin ${recorded.chartVersion} or later; received ${JSON.stringify(w.version)}`,
      });
    }
  }
  return problems;
}
