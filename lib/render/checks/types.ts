/**
 * Checks on rendered manifests: the types they share, their rule ids, and small helpers.
 * Checks are organised per chart (one file each, registered in `./index.ts`); a check is a pure
 * function of the config and the rendered manifests.
 */
import { parse } from 'yaml';
import type { WireFederationConfig } from '../../config';
import type { Finding } from '../../checks/finding';
import { defineCatalogue } from '../../core/catalogue';
import type { Manifest } from '../helm';
import type { ReleaseToRender, StackOutputs } from '../releases';

/** What each render check finds in the rendered manifests (docs/reference/checks.md). */
export const RENDER_RULES = defineCatalogue({
  'render-failed': {
    level: 'error',
    description:
      "helm template failed; the chart's own `required`/`fail` message is shown (e.g. a missing non-federation value such as `elasticsearch-index.elasticsearch.host`)",
  },
  'render-missing-manifest': {
    level: 'error',
    description:
      "a manifest a check needs is not rendered (brig's ConfigMap, the federator Deployment, the federator Ingress or listener, the federator Certificate)",
  },
  'render-backend-domain': {
    level: 'error',
    description: 'the backend domain in the brig, galley, cargohold or background-worker configuration differs from `backendDomain` (names the service)',
  },
  'render-federation-strategy': { level: 'error', description: "brig's federation strategy is not `federation.strategy`" },
  'render-federation-remotes': { level: 'error', description: "brig's static remote list is not the configured peers (or not empty with `remotes.mode: api`)" },
  'render-federation-protocols': {
    level: 'error',
    description: 'galley\'s `federationProtocols` as rendered differs from what the values ask for (the chart turns `[mls, proteus]` into `["mls proteus"]`)',
  },
  'render-federator-ca': {
    level: 'error',
    description: "the federator's `federator-ca` ConfigMap is not our trust bundle (our CA and every peer's; a missing peer CA is named)",
  },
  'render-federator-client-secret': {
    level: 'error',
    description:
      "the secret the federator mounts as its client certificate (`federator-certificate-secret`) is made by no release nor by the stack, or the listener's TLS secret is made by nobody (wire-ingress)",
  },
  'render-client-verification': {
    level: 'error',
    description:
      "the federator Ingress does not demand client certificates (`auth-tls-verify-client: on`) against `<namespace>/federator-ca-secret`, or the wire-ingress listener does not validate them against wire-server's `federator-ca`",
  },
  'render-client-ca': { level: 'error', description: '`federator-ca-secret` is missing, empty or not our trust bundle' },
  'render-verify-depth': { level: 'error', description: '`auth-tls-verify-depth` below 1 or not `federation.verifyDepth`' },
  'render-federator-host': { level: 'error', description: 'the federator Ingress or listener does not serve `federatorDomain`' },
  'render-federator-issuer': { level: 'error', description: 'cert-manager mode: the federator Certificate is not issued by our CA ClusterIssuer' },
  'render-federator-certificate': {
    level: 'error',
    description: 'cert-manager mode: the federator Certificate lacks the federator domain (a one-label wildcard counts) or server + client usage',
  },
  'render-system-ca-store': { level: 'error', description: "the federator's `useSystemCAStore` differs from `federation.useSystemCaStore`" },
  'render-patch-policy': {
    level: 'error',
    description:
      'wire-ingress: no EnvoyPatchPolicy adds the federator host with a trailing dot to the federator route, so peers arriving through the SRV target get `route_not_found`',
  },
  'render-ignored-value': {
    level: 'warning',
    description:
      "a value the chart ignores in the release's setting (docs/reference/chart-versions.md): `secrets.tlsWildcardCert`/`Key` with `tls.useCertManager: true`, so a private key travels to Helm for nothing; names who sets it",
  },
  'render-known-bad-release': {
    level: 'error',
    description: 'the release pins a chart version to skip (5.26.x federated, 5.29.x, 5.31.x) and names the version to use',
  },
  'render-bsi-profile': {
    level: 'warning',
    description:
      "wire-ingress with the BSI TR-02102-2 profile (`FIPS_202205_tls_profile`) while our federator chain or a peer's CA is RSA: under it the listener accepts ECDSA client chains only",
  },
  'render-coturn-federation': {
    level: 'error',
    description:
      'coturn: turnserver.conf lacks `federation-listening-port=<calling.coturn.federationPort>`, `federation-listening-ip`, `federation-no-dtls=false` (DTLS on) or `federation-cert`/`federation-pkey` from the Secret `coturn-dtls-certificate`',
  },
  'render-coturn-whitelist': {
    level: 'error',
    description:
      "coturn: the `federation-remote-whitelist=<host>[,<issuer CN>]` lines are not exactly the peers' calling endpoints (a missing peer's DTLS connections are refused)",
  },
  'render-coturn-ca': {
    level: 'error',
    description: "coturn: `CA-file` is not the bundle of `ca.cert`, or that bundle is not our trust bundle (our CA and every peer's)",
  },
  'render-coturn-allowlist': {
    level: 'error',
    description: "coturn: the rate-limit allowlist (`401-allowlist`) lacks a peer's coturn public IP or one of our SFT IPs",
  },
  'render-coturn-certificate': {
    level: 'error',
    description:
      'coturn: no DTLS certificate Secret, or (cert-manager mode) its Certificate is not issued by our CA ClusterIssuer, does not cover the coturn host, or lacks server + client usage',
  },
  'render-sftd-multisft': {
    level: 'error',
    description:
      'sftd: not started with `-t <TURN URI of our coturn> -s /secrets/zrest_secret.txt` (multiSFT without discovery), or no `zrest_secret.txt` Secret',
  },
  'render-brig-calling': {
    level: 'error or warning',
    description:
      "calling on: brig's ConfigMap lacks `multiSFT: true` or `setSftListAllServers: enabled` (errors), or has no `setSftStaticUrl` to list (a warning)",
  },
  'render-unread-value': {
    level: 'warning',
    description:
      'a value path the chart never reads (not in its default values, and no template names its key): a typo, a removed key or a key of another chart version; names who set it (values file, `sensitiveValues` or the federation config)',
  },
});

/** A render check id. */
export type RenderRuleId = keyof typeof RENDER_RULES;

/** Rule ids of the render checks (stable: scripts and tests match on them). */
export const RENDER_RULE_IDS = {
  /** helm template failed (a chart's `required`/`fail`, a missing chart). */
  renderFailed: 'render-failed',
  /** A manifest the checks need is not rendered (e.g. brig's ConfigMap). */
  missingManifest: 'render-missing-manifest',
  /** The backend domain in brig, galley, cargohold or background-worker differs or is missing. */
  backendDomain: 'render-backend-domain',
  /** brig's federation strategy is not the configured one. */
  strategy: 'render-federation-strategy',
  /** brig's static remote list is not the configured peers. */
  remotes: 'render-federation-remotes',
  /** galley's federationProtocols is not the list the values ask for. */
  protocols: 'render-federation-protocols',
  /** The federator's CA bundle (`federator-ca`) is not our trust bundle. */
  federatorCa: 'render-federator-ca',
  /** The federator's client certificate secret is made by nobody. */
  clientCertificateSecret: 'render-federator-client-secret',
  /** The federator ingress does not demand client certificates, or checks them against the wrong CA. */
  clientVerification: 'render-client-verification',
  /** The client CA bundle of the federator ingress is missing, empty or not our trust bundle. */
  clientCa: 'render-client-ca',
  /** `auth-tls-verify-depth` is not the configured depth (or below 1). */
  verifyDepth: 'render-verify-depth',
  /** The federator ingress/listener does not serve the federator domain. */
  federatorHost: 'render-federator-host',
  /** The federator Certificate is not issued by our CA issuer. */
  issuer: 'render-federator-issuer',
  /** The federator Certificate lacks the federator domain or server+client usage. */
  certificate: 'render-federator-certificate',
  /** The federator's OS trust store setting is not the configured one. */
  systemCaStore: 'render-system-ca-store',
  /** wire-ingress: no EnvoyPatchPolicy adds the federator host with a trailing dot (SRV targets are absolute names). */
  patchPolicy: 'render-patch-policy',
  /** A value path (ours or the operator's) that the chart never reads. */
  unreadValue: 'render-unread-value',
  /** A value the chart ignores in the setting the release has (the chart-facts table), e.g. a wildcard key under cert-manager. */
  ignoredValue: 'render-ignored-value',
  /** A known-bad chart release (the chart-facts table). */
  knownBadRelease: 'render-known-bad-release',
  /** wire-ingress: the BSI TLS profile with an RSA federator chain or peer CA (the profile accepts ECDSA client chains only). */
  bsiProfile: 'render-bsi-profile',
  /** coturn: the federation listener lines of turnserver.conf (port, DTLS, certificate files). */
  coturnFederation: 'render-coturn-federation',
  /** coturn: the federation-remote-whitelist entries are not the peers' calling endpoints. */
  coturnWhitelist: 'render-coturn-whitelist',
  /** coturn: CA-file is not our trust bundle. */
  coturnCa: 'render-coturn-ca',
  /** coturn: the rate-limit allowlist lacks the peers' coturn IPs or our SFT IPs. */
  coturnAllowlist: 'render-coturn-allowlist',
  /** coturn: the DTLS certificate (Secret or cert-manager Certificate) is missing or wrong. */
  coturnCertificate: 'render-coturn-certificate',
  /** sftd: not started with multiSFT against our coturn, or without its TURN secret. */
  sftdMultiSft: 'render-sftd-multisft',
  /** brig without multiSFT, setSftListAllServers or an SFT URL while calling is on. */
  brigCalling: 'render-brig-calling',
} as const satisfies Record<string, RenderRuleId>;

/** One release after `helm template`. */
export interface RenderedRelease {
  readonly release: ReleaseToRender;
  readonly manifests: readonly Manifest[];
}

/** Everything a check sees. */
export interface RenderContext {
  readonly config: WireFederationConfig;
  /** Every rendered release of the environment. */
  readonly releases: readonly RenderedRelease[];
  /** Secrets the stack creates itself (kubernetes_secret names), e.g. a federator TLS secret. */
  readonly terraformSecrets: readonly string[];
  /** Secrets the rendered releases make (see {@link ChartChecks.producedSecrets}), by release name. */
  readonly producedSecrets: readonly { readonly release: string; readonly secret: string }[];
  /** Outputs of deployed stacks, when given. */
  readonly outputs?: StackOutputs;
}

/** The checks of one chart. */
export interface ChartChecks {
  readonly chart: string;
  /** Findings on one rendered release of this chart. */
  check(ctx: RenderContext, rendered: RenderedRelease): Finding[];
  /** Secrets this release makes (directly or through a cert-manager Certificate). @default - none */
  producedSecrets?(rendered: RenderedRelease): string[];
}

/** Manifests of `kind` named `name`. */
export function find(manifests: readonly Manifest[], kind: string, name?: string | RegExp): Manifest[] {
  return manifests.filter((m) => m.kind === kind && (name === undefined || (typeof name === 'string' ? m.metadata.name === name : name.test(m.metadata.name))));
}

/** The YAML document of a ConfigMap data key, parsed (undefined when absent or not YAML). */
export function configMapYaml(m: Manifest | undefined, key: string): any {
  const text = m?.data?.[key];
  if (typeof text !== 'string') return undefined;
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

/** The value at a dotted path. */
export function at(obj: any, path: string): any {
  return path.split('.').reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), obj);
}

/** The PEM certificate blocks of a text, normalized (trimmed lines). */
export function pemBlocks(text: string | undefined): string[] {
  return (
    (text ?? '').match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)?.map((b) =>
      b
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .join('\n'),
    ) ?? []
  );
}

export const error = (rule: RenderRuleId, path: string, message: string): Finding<RenderRuleId> => ({ level: 'error', rule, path, message });
export const warning = (rule: RenderRuleId, path: string, message: string): Finding<RenderRuleId> => ({ level: 'warning', rule, path, message });

/** `Kind/name` of a manifest, for paths and messages. */
export const ref = (m: Pick<Manifest, 'kind' | 'metadata'>): string => `${m.kind}/${m.metadata.name}`;
