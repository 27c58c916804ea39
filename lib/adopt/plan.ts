/**
 * Adoption of a running backend, as pure data: running values in; findings, the lock, the values
 * files, the adoption record and the report out. The command (`wire-federation adopt`) reads
 * the running values and writes what this returns; this module knows no file or folder.
 */
import type { Finding } from '../checks/finding';
import { secretLeaves } from '../checks/rules/secret-in-values';
import { findSecrets } from '../helm/values/secrets';
import { WireFederationConfig } from '../config/parse';
import type { EnvironmentLock } from '../guard/environment-lock';
import { lockFor } from '../guard/environment-lock';
import { ingressChart } from '../ingress/registry';
import type { Values } from '../helm/values/types';
import { wireServerValues } from '../helm/values/wire-server';
import { type CoturnCertificateSource, coturnValues } from '../helm/values/coturn';
import { sftdValues } from '../helm/values/sftd';
import { renderValues } from '../helm/values/yaml';
import { runningCertificateFindings, runningCertificateOf } from './certificate';
import type { DnsAdoption } from './cloudflare';
import { domainFindings, runningDomain } from './domain';
import { legacySettings } from './legacy';
import { AdoptionRecord, recordFormatOf, CHART_OF, RELEASE_KEYS, ReleaseKey, ReleaseRecord } from '../config/adoption/record';
import type { FederatorCertificateSource } from '../pki/certificate-source';
import { leafPaths, valueAtPath, withoutPaths } from '../helm/values/paths';
import { containsPrivateKey } from '../core/pem';
import { WireChart, ignoredValuePaths, valuesNotReadIn } from '../core/chart-facts';
import { mergeValues } from '../core/values';

/** One release as it runs (or as an offline values file describes it). */
export interface RunningRelease {
  /** The user-supplied values (`helm get values`, without chart defaults). */
  readonly values: Values;
  /** The release exists under the config's name and namespace: it is imported. */
  readonly exists: boolean;
  /** @default - unknown */
  readonly chartVersion?: string;
  /** @default - unknown */
  readonly revision?: number;
}

export interface AdoptionInput {
  /** The environment's config (parsed without its adoption record). */
  readonly config: WireFederationConfig;
  /** What runs; a release left out was not found (it will be installed). */
  readonly running: Partial<Record<ReleaseKey, RunningRelease>>;
  /** The environment's current lock. @default - none yet */
  readonly previousLock?: EnvironmentLock;
  /** Existing DNS records. @default - not looked up */
  readonly dns?: DnsAdoption;
  /** Where the values files will be, as the record names them (relative to the config's base directory). */
  readonly valuesFiles: Readonly<Record<'wireServer' | 'nginxIngressServices', string>> & {
    readonly wireIngress?: string;
    readonly coturn?: string;
    readonly sftd?: string;
  };
  /**
   * Running releases of what the stack installs besides Wire's (cert-manager, the issuer, Envoy
   * Gateway, the GatewayClass; see `support-releases.ts`), to import. @default - none
   */
  readonly supportReleases?: AdoptionRecord['supportReleases'];
}

/** A key the federation config now owns, with its running and its new value (both displayable). */
export interface OwnedChange {
  readonly release: ReleaseKey;
  readonly path: string;
  readonly from: string;
  readonly to: string;
}

export interface AdoptionPlan {
  /** Errors refuse the adoption: nothing may be written. */
  readonly findings: readonly Finding[];
  readonly refused: boolean;
  /** Set unless refused. */
  readonly lock?: EnvironmentLock;
  readonly record?: AdoptionRecord;
  /** Content of each values file to write (unless refused). */
  readonly valuesFiles: ReadonlyArray<{ readonly release: ReleaseKey; readonly path: string; readonly content: string }>;
  readonly changes: readonly OwnedChange[];
  /** Secrets the operator passes through `<release>_secret_values`, by release. */
  readonly sensitive: Readonly<Record<ReleaseKey, readonly string[]>>;
  /** Running secrets the federation config now provides, and how (e.g. TF_VAR_rabbitmq_password). */
  readonly ownedSecrets: ReadonlyArray<{ readonly release: ReleaseKey; readonly path: string; readonly passAs: string }>;
  /** DNS lines (imported / created). */
  readonly dnsReport: readonly string[];
}

/** The release name of `key` in the config (the chart's name when the config has no settings for it). */
export function releaseName(config: WireFederationConfig, key: ReleaseKey): string {
  return config.charts[key]?.releaseName ?? CHART_OF[key];
}

/** Placeholders for values only known at apply; shown as their description. */
const AT_APPLY = {
  trustBundle: "(at apply: PEM bundle of our CA and the peers' CAs)",
  certificate: '(at apply: the federator certificate made by Terraform)',
  secret: '(secret)',
};

/** The federation values of both releases, for the config (apply-time content as placeholders). */
function federationValues(config: WireFederationConfig): Record<ReleaseKey, { values: Values; sensitive: string[] }> {
  const wire = wireServerValues({ config, trustBundle: AT_APPLY.trustBundle, rabbitmqUsername: AT_APPLY.secret, rabbitmqPassword: AT_APPLY.secret });
  const pki = config.pki;
  const certificate: FederatorCertificateSource =
    pki.mode === 'cert-manager'
      ? {
          kind: 'cert-manager',
          issuerName: pki.issuerName,
          certmasterEmail: pki.certmasterEmail,
          inTestMode: pki.inTestMode,
          duration: pki.duration,
          renewBefore: pki.renewBefore,
          rotationPolicy: pki.rotationPolicy,
        }
      : { kind: 'secret', certificatePem: pki.mode === 'provided' ? pki.certificateChainPem : AT_APPLY.certificate, privateKeyPem: AT_APPLY.secret };
  const nginx = ingressChart('nginx-ingress-services').values({ config, trustBundle: AT_APPLY.trustBundle, certificate });
  // wire-ingress values need ingress.gateway: only for a config that installs it.
  const ingress =
    config.charts.wireIngress !== undefined
      ? ingressChart('wire-ingress').values({ config, trustBundle: AT_APPLY.trustBundle, certificate })
      : { values: {}, sensitive: [] };
  // coturn and sftd: with calling on only (their values need calling.coturn).
  const calling = config.calling.enabled && config.calling.coturn !== undefined;
  const coturnCertificate: CoturnCertificateSource =
    pki.mode === 'cert-manager'
      ? { kind: 'cert-manager', issuerName: pki.issuerName, duration: pki.duration, renewBefore: pki.renewBefore }
      : { kind: 'secret', certificatePem: AT_APPLY.certificate, privateKeyPem: AT_APPLY.secret };
  const coturn = calling
    ? coturnValues({ config, certificate: coturnCertificate, caBundle: AT_APPLY.trustBundle, turnSecret: AT_APPLY.secret })
    : { values: {}, sensitive: [] };
  const sftd = calling ? sftdValues({ config, turnSecret: AT_APPLY.secret }) : { values: {}, sensitive: [] };
  // A sensitive list element (secrets.zrestSecrets[0]) owns the whole list.
  const paths = (s: readonly { path: string }[]) => s.map((x) => x.path.replace(/\[\d+\]$/, ''));
  return {
    wireServer: { values: wire.values, sensitive: paths(wire.sensitive) },
    nginxIngressServices: { values: nginx.values, sensitive: paths(nginx.sensitive) },
    wireIngress: { values: ingress.values, sensitive: paths(ingress.sensitive) },
    coturn: { values: coturn.values, sensitive: paths(coturn.sensitive) },
    sftd: { values: sftd.values, sensitive: paths(sftd.sensitive) },
  };
}

/** How the stacks get an owned secret. */
function passAs(path: string): string {
  if (/\.secrets\.rabbitmq\.username$/.test(path)) return 'TF_VAR_rabbitmq_username';
  if (/\.secrets\.rabbitmq\.password$/.test(path)) return 'TF_VAR_rabbitmq_password';
  if (path === 'secrets.tlsWildcardKey') return 'the key of the federator certificate the config makes (pki.mode)';
  if (path === 'secrets.zrestSecrets' || path === 'multiSFT.secret')
    return "the TURN secret: brig's secrets.turn.secret among the wire-server secrets, else TF_VAR_calling_turn_secret";
  if (path === 'federate.dtls.tls.key') return 'the key of the coturn certificate the config makes (pki.mode)';
  return 'the federation config';
}

const HELM_PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/;

/**
 * Secrets inside lists (or secrets that are not text): set_sensitive cannot carry them by path.
 * The list (or the leaf) is named, once.
 */
function unsplittableSecrets(values: Values): string[] {
  const paths = findSecrets(values)
    .filter((f) => f.inList || typeof valueAtPath(values, f.path) !== 'string')
    .map((f) => (f.inList ? f.path.slice(0, f.path.indexOf('[')) : f.path));
  return [...new Set(paths)];
}

/** Displays a value without ever showing a secret (`secret` true) and with PEMs summarized. */
export function display(value: unknown, secret = false): string {
  if (value === undefined) return '(not set)';
  if (secret || findSecrets(value).length > 0) return '(secret, not shown)';
  if (typeof value === 'string') {
    if (Object.values(AT_APPLY).includes(value)) return value;
    const certs = value.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;
    if (certs > 0) return `(PEM, ${certs} certificate${certs === 1 ? '' : 's'})`;
    if (containsPrivateKey(value)) return '(secret, not shown)';
  }
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

/** Plans the adoption. Pure: the same input gives the same plan. */
export function planAdoption(input: AdoptionInput): AdoptionPlan {
  const { config } = input;
  const findings: Finding[] = [];
  const empty: AdoptionPlan = {
    findings,
    refused: true,
    valuesFiles: [],
    changes: [],
    sensitive: { wireServer: [], nginxIngressServices: [], wireIngress: [], coturn: [], sftd: [] },
    ownedSecrets: [],
    dnsReport: [],
  };

  const wire = input.running.wireServer;
  if (wire === undefined) {
    findings.push({
      level: 'error',
      rule: 'adopt-release',
      message: `no running wire-server release ${config.kubernetes.namespace}/${config.charts.wireServer.releaseName}: nothing to adopt (check charts.wireServer.releaseName, kubernetes.namespace and the kube context). A new backend needs no adoption: deploy it`,
    });
    return empty;
  }
  // The one mistake that can never be undone: the backend domain.
  const running = runningDomain(wire.values, wire.chartVersion);
  findings.push(...domainFindings(running, config.backendDomain, `${config.charts.wireServer.releaseName} release`));
  if (input.previousLock !== undefined && running.domain !== undefined && input.previousLock.backendDomain !== running.domain) {
    findings.push({
      level: 'error',
      rule: 'adopt-backend-domain',
      message: `the lock of environment ${config.environment} pins ${JSON.stringify(input.previousLock.backendDomain)}, but the running backend uses ${JSON.stringify(running.domain)}: the lock belongs to another backend, or the kube context points at the wrong cluster. Nothing was written`,
    });
  }
  if (findings.some((f) => f.level === 'error')) return empty;

  const federation = federationValues(config);
  const legacy = legacySettings(wire.values, config);
  findings.push(...legacy.findings);
  const nginx = input.running.nginxIngressServices;
  if (nginx !== undefined) findings.push(...runningCertificateFindings(nginx.values, config));
  // The ingress releases the config installs (nginx-ingress-services, wire-ingress, or both side
  // by side), and coturn and sftd (calling).
  for (const key of ['nginxIngressServices', 'wireIngress', 'coturn', 'sftd'] as const) {
    if (config.charts[key] === undefined || input.running[key] !== undefined) continue;
    findings.push({
      level: 'warning',
      rule: 'adopt-release',
      message: `no running ${CHART_OF[key]} release ${config.kubernetes.namespace}/${releaseName(config, key)}: the first deploy installs it. If ${key === 'coturn' || key === 'sftd' ? `your ${CHART_OF[key]} runs` : 'your ingresses come from a release'} of another name, set charts.${key}.releaseName and run adopt again`,
    });
  }
  // A pinned chart below the running one: the record carries the running version, and the
  // config-versus-record rules (adoption-downgrade) judge it wherever the config is checked.

  const changes: OwnedChange[] = [];
  const ownedSecrets: Array<{ release: ReleaseKey; path: string; passAs: string }> = [];
  const sensitive: Record<ReleaseKey, string[]> = { wireServer: [], nginxIngressServices: [], wireIngress: [], coturn: [], sftd: [] };
  const valuesFiles: Array<{ release: ReleaseKey; path: string; content: string }> = [];
  const releases: Partial<Record<ReleaseKey, ReleaseRecord>> = {};

  for (const key of RELEASE_KEYS) {
    const release = input.running[key];
    if (release === undefined) continue;
    const valuesFile = input.valuesFiles[key] ?? `${CHART_OF[key]}.yaml`;
    const fed = federation[key];
    const secrets = new Set(secretLeaves(release.values));
    const drop = new Set<string>(key === 'wireServer' ? legacy.drop : []);
    // Keys the federation config owns: reported with the running and the new value.
    for (const path of leafPaths(fed.values)) {
      const current = valueAtPath(release.values, path);
      if (current === undefined) continue;
      drop.add(path);
      const next = valueAtPath(fed.values, path);
      if (JSON.stringify(current) !== JSON.stringify(next)) changes.push({ release: key, path, from: display(current, secrets.has(path)), to: display(next) });
    }
    for (const path of fed.sensitive) {
      if (valueAtPath(release.values, path) === undefined) continue;
      drop.add(path);
      ownedSecrets.push({ release: key, path, passAs: passAs(path) });
    }
    // Values the chart ignores once the federation values apply (the chart-facts table, e.g. the
    // wildcard certificate and key under cert-manager): not kept, so no key travels to Helm for nothing.
    const merged = mergeValues(release.values, fed.values);
    /** Drops a running value the chart will not read, and says why in the plan. */
    const dropUnread = (path: string, why: string): void => {
      if (drop.has(path) || valueAtPath(release.values, path) === undefined) return;
      drop.add(path);
      changes.push({ release: key, path, from: display(valueAtPath(release.values, path), secrets.has(path)), to: `(dropped: ${why})` });
    };
    for (const { path, rule } of ignoredValuePaths(CHART_OF[key] as WireChart, (p) => valueAtPath(merged, p))) {
      dropUnread(path, `ignored with ${rule.when.path}: ${JSON.stringify(rule.when.equals)}`);
    }
    // Values the pinned chart version no longer reads (e.g. background-worker's own backend
    // domain from 5.30.0, which takes galley's): duplicates to drop.
    const pinned = config.charts[key]?.version;
    for (const path of pinned === undefined ? [] : valuesNotReadIn(CHART_OF[key] as WireChart, pinned)) {
      dropUnread(path, `${CHART_OF[key]} ${pinned} does not read it`);
    }
    const unsplittable = unsplittableSecrets(withoutPaths(release.values, drop));
    const operatorSecrets = [...secrets].filter((p) => !drop.has(p) && !p.includes('[') && !unsplittable.includes(p)).sort();
    for (const path of unsplittable) {
      findings.push({
        level: 'error',
        rule: 'adopt-secret',
        message: `${CHART_OF[key]} value ${path} holds secrets inside a list (or a non-text secret), which cannot be passed by path through set_sensitive. Nothing was written: restructure it (e.g. one entry per secret key) or move the secret into a Kubernetes Secret the chart reads, then run adopt again`,
      });
    }
    for (const path of operatorSecrets.filter((p) => !HELM_PATH.test(p))) {
      findings.push({
        level: 'error',
        rule: 'adopt-secret',
        message: `${CHART_OF[key]} secret value at ${JSON.stringify(path)} has a key Helm's --set syntax cannot name (only letters, digits, "_" and "-"): nothing was written; move it out of the values by hand`,
      });
    }
    sensitive[key] = operatorSecrets;
    const kept = withoutPaths(release.values, [...drop, ...operatorSecrets]);
    const header =
      `# ${CHART_OF[key]}: the running values of ${config.environment}, written by wire-federation adopt.\n` +
      '# Secrets are not here (see charts.' +
      key +
      '.sensitiveValues in the adoption record), nor the keys the\n' +
      '# federation config sets. Edit freely: your values files listed in the config apply on top.\n';
    valuesFiles.push({ release: key, path: valuesFile, content: header + (Object.keys(kept).length > 0 ? renderValues(kept) : '{}\n') });
    releases[key] = {
      import: release.exists ? `${config.kubernetes.namespace}/${releaseName(config, key)}` : undefined,
      chartVersion: release.chartVersion,
      revision: release.revision,
      valuesFile,
      sensitiveValues: operatorSecrets,
    };
  }
  if (input.dns) findings.push(...input.dns.findings);
  if (findings.some((f) => f.level === 'error')) return { ...empty, findings };

  const domain = running.domain!;
  return {
    findings,
    refused: false,
    lock: lockFor({ ...config, backendDomain: domain }, input.previousLock),
    record: {
      format: recordFormatOf({ releases, supportReleases: input.supportReleases ?? {} }),
      environment: config.environment,
      backendDomain: domain,
      releases,
      dnsRecords: input.dns?.imports ?? {},
      supportReleases: input.supportReleases ?? {},
      adoptedWith: { pkiMode: config.pki.mode, ingressChart: config.ingress.chart },
      runningCertificate: nginx === undefined ? undefined : runningCertificateOf(nginx.values),
    },
    valuesFiles,
    changes,
    sensitive,
    ownedSecrets,
    dnsReport: input.dns?.report ?? [],
  };
}
