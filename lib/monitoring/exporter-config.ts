/**
 * What the exporter's pod reads: the environment's config as a config file (JSON, no secrets,
 * no file paths of this repository), the command line of `wire-federation verify --serve`, and
 * the mount paths. Pure functions of the parsed config.
 */
import type { WireFederationConfig, WireFederationInput } from '../config';

/** Where the ConfigMap (config, CA bundles) is mounted in the pod (beside, not above, the secret: no nested mounts). */
export const CONFIG_DIR = '/etc/wire-federation/config';
/** Where the federator certificate secret (`tls.crt`, `tls.key`) is mounted. */
export const CLIENT_DIR = '/etc/wire-federation/client';
/** With calling: where our coturn's DTLS certificate secret (`tls.crt`, `tls.key`) is mounted (`--coturn-cert`). */
export const COTURN_DIR = '/etc/wire-federation/coturn';
/** The exporter's port (container and Service). */
export const METRICS_PORT = 9464;

/** ConfigMap keys. */
export const FILES = {
  config: 'config.json',
  /** Our CA bundle (what peers trust): `--ca`. */
  ca: 'ca.pem',
  /** The trust bundle of our federator (every peer's CA), for peers whose CA is another environment's output. */
  peerCas: 'peer-cas.pem',
  /** `pki.mode: provided`: the certificate chain and its CA (public), for the config's file fields. */
  providedChain: 'provided-certificate.pem',
  providedCa: 'provided-ca.pem',
  /** `calling` with `pki.mode: provided`: the brought coturn certificate chain (public). */
  providedCoturnChain: 'provided-coturn-certificate.pem',
} as const;

/** The exporter's config file and the PEM files it names. */
export interface ExporterConfigFiles {
  /** The config input the pod parses (validated by the same schema). */
  readonly config: WireFederationInput;
  /** Extra public files beside it, by ConfigMap key (known at synth). */
  readonly files: Readonly<Record<string, string>>;
  /** Peers whose CA comes from another environment's Terraform output: checked against the peer CA bundle file (`FILES.peerCas`). */
  readonly environmentPeers: readonly string[];
}

/**
 * The environment's config for the exporter: every setting verify reads, with defaults applied;
 * peer CAs inline; no values files, adoption record or state backend (the pod has none of
 * them); provided certificates as files beside the config. Nothing secret is in the parsed
 * config to begin with (secrets come from Terraform variables).
 */
export function exporterConfig(config: WireFederationConfig): ExporterConfigFiles {
  const { warnings: _w, adoption: _a, adoptionFile: _f, backend: _b, kubernetes, peers, charts, pki, monitoring: _m, calling, ...rest } = config;
  const release = (r: { version: string; releaseName: string } | undefined) => (r ? { version: r.version, releaseName: r.releaseName } : undefined);
  const files: Record<string, string> = {};
  const previous = pki.previousCaCertificates.map((pem) => ({ pem }));
  let pkiInput: WireFederationInput['pki'];
  if (pki.mode === 'provided') {
    files[FILES.providedChain] = pki.certificateChainPem;
    files[FILES.providedCa] = pki.caPem;
    pkiInput = { mode: 'provided', certificateFile: FILES.providedChain, caFile: FILES.providedCa, previousCaCertificates: previous };
  } else {
    pkiInput = { ...pki, previousCaCertificates: previous };
  }
  const environmentPeers = peers.filter((p) => p.caCertificates.some((c) => c.kind === 'environment')).map((p) => p.domain);
  // Calling (only when on, so that it reads back): a brought coturn certificate as a file beside the config, no key.
  let callingInput: WireFederationInput['calling'];
  if (calling.enabled && calling.coturn !== undefined) {
    const { certificate, ...coturn } = calling.coturn;
    if (certificate !== undefined) files[FILES.providedCoturnChain] = certificate.certificateChainPem;
    callingInput = { ...calling, coturn: { ...coturn, ...(certificate !== undefined ? { certificate: { certificateFile: FILES.providedCoturnChain } } : {}) } };
  }
  const input: WireFederationInput = {
    ...rest,
    kubernetes: { namespace: kubernetes.namespace },
    charts: {
      repository: charts.repository,
      wireServer: release(charts.wireServer)!,
      ...(charts.nginxIngressServices ? { nginxIngressServices: release(charts.nginxIngressServices) } : {}),
      ...(charts.wireIngress ? { wireIngress: release(charts.wireIngress) } : {}),
      ...(callingInput && charts.coturn ? { coturn: release(charts.coturn) } : {}),
      ...(callingInput && charts.sftd ? { sftd: release(charts.sftd) } : {}),
    },
    ...(callingInput ? { calling: callingInput } : {}),
    peers: peers.map((p) => ({
      domain: p.domain,
      searchPolicy: p.searchPolicy,
      caCertificates: p.caCertificates.map((c) => (c.kind === 'pem' ? { pem: c.pem } : { environment: c.environment })),
      ...(p.allowedTeams ? { allowedTeams: p.allowedTeams } : {}),
      ...(callingInput && p.calling !== undefined ? { calling: p.calling } : {}),
    })),
    pki: pkiInput,
  };
  return { config: input, files, environmentPeers };
}

export interface ExporterArgsOptions {
  readonly interval: string;
  readonly timeoutMs: number;
  readonly peers: boolean;
  readonly dnsServer?: string;
  readonly environmentPeers: readonly string[];
  /** With calling: present our coturn certificate (mounted at {@link COTURN_DIR}) to the peers' coturn servers. @default false */
  readonly coturn?: boolean;
}

/** The container's arguments: `wire-federation verify --serve` with the mounted files. */
export function exporterArgs(options: ExporterArgsOptions): string[] {
  const args = [
    'verify',
    '--config',
    `${CONFIG_DIR}/${FILES.config}`,
    '--serve',
    '--listen',
    `:${METRICS_PORT}`,
    '--interval',
    options.interval,
    '--timeout',
    String(options.timeoutMs),
    '--ca',
    `${CONFIG_DIR}/${FILES.ca}`,
    '--client-cert',
    `${CLIENT_DIR}/tls.crt`,
    '--client-key',
    `${CLIENT_DIR}/tls.key`,
  ];
  if (options.peers) {
    args.push('--peers');
    for (const domain of options.environmentPeers) args.push('--peer-ca', `${domain}=${CONFIG_DIR}/${FILES.peerCas}`);
  }
  if (options.dnsServer) args.push('--dns-server', options.dnsServer);
  if (options.coturn) args.push('--coturn-cert', `${COTURN_DIR}/tls.crt`, '--coturn-key', `${COTURN_DIR}/tls.key`);
  return args;
}
